import os
import shutil
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


def require(condition: bool, why: str, hint: str) -> None:
    """Skip locally with a one-line install hint; fail in CI, where nothing may skip silently."""
    if condition:
        return
    message = f"{why} — install: {hint}"
    if IN_CI:
        pytest.fail(f"CI=true but {message}")
    pytest.skip(message)


def require_program(name: str, hint: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} not found", hint)
    return path
