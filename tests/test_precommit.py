"""The pre-commit configuration: local hooks only, each one a command that works here."""

import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))


def hooks() -> dict[str, dict]:
    return {h["id"]: h for repo in CONFIG["repos"] for h in repo["hooks"]}


def test_every_repo_is_local():
    assert CONFIG["repos"], "no hook at all"
    assert [repo["repo"] for repo in CONFIG["repos"]] == ["local"] * len(CONFIG["repos"])
    assert all("rev" not in repo for repo in CONFIG["repos"])


def test_the_promised_hooks_exist_and_run_system_commands():
    assert set(hooks()) == {"bib-check", "bib-fmt", "seedcopy", "ruff"}
    for hook in hooks().values():
        assert hook["language"] == "system" and hook["pass_filenames"] is False, hook["id"]
        assert "://" not in hook["entry"], hook["id"]


def run_entry(hook_id: str) -> subprocess.CompletedProcess:
    """Run a hook's command as pre-commit would, with this interpreter in place of .venv/bin/python."""
    argv = shlex.split(hooks()[hook_id]["entry"])
    if argv[0] == ".venv/bin/python":
        argv[0] = sys.executable
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_bib_hooks_pass_on_the_repository():
    for hook_id in ("bib-check", "bib-fmt"):
        out = run_entry(hook_id)
        assert out.returncode == 0, (hook_id, out.stdout[-2000:], out.stderr[-2000:])


def test_seedcopy_hook_is_guarded():
    entry = hooks()["seedcopy"]["entry"]
    assert "if [ -f ../shared/tools/seedcopy.py ]" in entry
    out = run_entry("seedcopy")
    assert out.returncode == 0, out.stdout[-2000:]


def test_ruff_hook_covers_llmkb_and_tests():
    assert hooks()["ruff"]["entry"].endswith("ruff check llmkb tests")
