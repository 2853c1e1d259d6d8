"""Only lamina/backend/<name>/ imports an engine; `import lamina` loads only
what the chosen backend needs."""

import os
import re
import subprocess
import sys

import lamina

ROOT = os.path.dirname(os.path.abspath(lamina.__file__))
ENGINE = re.compile(r"^\s*(import|from)\s+(torch|jax|jaxlib|optax)\b", re.M)


def test_engines_imported_only_in_backend_packages():
    offenders = []
    for folder, _, files in os.walk(ROOT):
        rel = os.path.relpath(folder, ROOT)
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            text = open(path).read()
            for match in ENGINE.finditer(text):
                engine = match.group(2)
                allowed = rel.startswith(os.path.join("backend", "torch")) \
                    if engine == "torch" else rel.startswith(
                        os.path.join("backend", "jax"))
                if not allowed:
                    offenders.append(f"{os.path.join(rel, name)}: {engine}")
    assert not offenders, offenders


def test_import_lamina_loads_no_extra_packages():
    code = ("import sys, lamina; heavy = [m for m in ('jax', 'sklearn', "
            "'matplotlib', 'pandas', 'scipy', 'keras', 'tensorflow') "
            "if m in sys.modules]; print(heavy)")
    env = dict(os.environ, LAMINA_BACKEND="torch")
    out = subprocess.run([sys.executable, "-c", code], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", out.stdout
