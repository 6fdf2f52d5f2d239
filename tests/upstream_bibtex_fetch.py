"""Fetch sphinxcontrib-bibtex's own test suite, of exactly the installed version (``make test`` runs this).

    python tests/upstream_bibtex_fetch.py [DEST]

DEST defaults to ``<venv>/upstream-tests``. The suite ships in the package's sdist only, so this
downloads the sdist from the package index (``pip download --no-deps --no-binary :all:``) into a
temporary directory and unpacks its ``test/`` and ``pytest.ini`` (upstream's markers and default
deselection) into ``DEST/sphinxcontrib-bibtex-<version>/``. Nothing of upstream's lands in the
repository. Idempotent: when that directory exists it does nothing; it appears whole or not at
all (unpacked next to it, then renamed). tests/test_upstream_bibtex.py runs the suite.
"""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "sphinxcontrib-bibtex"


def suite_dir(root: Path | None = None) -> Path:
    version = importlib.metadata.version(PACKAGE)
    return (root or Path(sys.prefix) / "upstream-tests") / f"{PACKAGE}-{version}"


def fetch(dest: Path) -> str:
    if (dest / "test" / "conftest.py").is_file():
        return f"{dest}: already there"
    version = importlib.metadata.version(PACKAGE)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        "--dest", tmp, f"{PACKAGE}=={version}"], check=True)
        (sdist,) = Path(tmp).glob("*.tar.gz")
        with tarfile.open(sdist) as tar:
            tar.extractall(tmp, filter="data")  # "data": no links or paths out of tmp
        (top,) = (p for p in Path(tmp).iterdir() if p.is_dir())
        partial = dest.with_name(dest.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        shutil.copytree(top / "test", partial / "test")
        shutil.copy2(top / "pytest.ini", partial / "pytest.ini")
        partial.rename(dest)
    return f"{dest}: {PACKAGE} {version}'s test suite, from its sdist"


if __name__ == "__main__":
    try:
        print(fetch(suite_dir(Path(sys.argv[1]) if len(sys.argv) > 1 else None)))
    except (subprocess.CalledProcessError, OSError, ValueError) as exc:
        sys.exit(f"could not fetch {PACKAGE}'s test suite: {exc} — check the network or the package index "
                 f"(pip download --no-deps --no-binary :all: {PACKAGE}==<installed version>)")
