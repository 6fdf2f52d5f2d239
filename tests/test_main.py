"""``python -m llmkb`` run by a Python without llmkb's dependencies (the system python3 instead of
.venv's) prints one line naming the missing module and the fix, and exits 2 — not a traceback."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# runs ``python -m llmkb ARGS`` in a Python where importing ``hidden`` fails as if it were not installed
HIDING = """
import importlib.abc, runpy, sys
hidden = sys.argv[1]
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == hidden or name.startswith(hidden + "."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Hide())
sys.argv = ["llmkb", *sys.argv[2:]]
runpy.run_module("llmkb", run_name="__main__", alter_sys=True)
"""


def run_without(module: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", HIDING, module, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_a_missing_dependency_is_one_line_naming_it_and_the_fix():
    out = run_without("latexcodec", "check")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    (line,) = out.stderr.splitlines()
    assert "no module named 'latexcodec'" in line
    assert "make .venv/.test-installed" in line and "`.venv/bin/python -m llmkb check`" in line
    assert out.stdout == ""


def test_a_missing_module_of_llmkb_itself_keeps_its_traceback():
    out = run_without("llmkb.cli", "check")
    assert out.returncode == 1
    assert "Traceback" in out.stderr and "No module named 'llmkb.cli'" in out.stderr
