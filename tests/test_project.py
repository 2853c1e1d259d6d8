"""The README's commands and CI stay in step; `python -m lamina info`."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_ci_runs_the_readme_test_command():
    readme = open(os.path.join(ROOT, "README.md")).read().splitlines()
    fence = readme.index("```")
    demo, tests = readme[fence + 1], readme[fence + 2]
    assert "examples/demo.py" in demo and "pytest" in tests
    ci = open(os.path.join(ROOT, ".ci", "run")).read()
    assert tests in ci.splitlines()


def test_info_command():
    out = subprocess.run([sys.executable, "-m", "lamina", "info"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("lamina ") and "backend:" in out.stdout
