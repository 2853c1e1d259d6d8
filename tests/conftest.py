import os
import tempfile

# Tests never touch the user's ~/.lamina: each session gets a fresh home.
os.environ.setdefault("LAMINA_HOME", tempfile.mkdtemp(prefix="lamina-home-"))
