"""conf.py builds with its own checkout's llmkb, whichever checkout the shared venv was installed from.

An editable install points at one folder. A second clone or git worktree using the same .venv
built with the first checkout's code (its topics, directives and checks), or failed with "No
module named 'llmkb'" once that folder was deleted. conf.py puts its own folder first on sys.path.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

READ_CONF = """
import runpy, sys
class Tags:
    def has(self, tag): return False
runpy.run_path(sys.argv[1], init_globals={"tags": Tags()})
print(sys.modules["llmkb"].__file__)
"""


def test_conf_imports_the_llmkb_beside_it(tmp_path):
    # another checkout: its own conf.py and llmkb (a link to this one's package, so nothing is copied)
    checkout = tmp_path / "other-checkout"
    checkout.mkdir()
    (checkout / "conf.py").write_text((ROOT / "conf.py").read_text(encoding="utf-8"), encoding="utf-8")
    (checkout / "llmkb").symlink_to(ROOT / "llmkb", target_is_directory=True)
    out = subprocess.run([sys.executable, "-c", READ_CONF, str(checkout / "conf.py")], cwd=tmp_path,
                         capture_output=True, text=True, check=True)
    # the installed llmkb (this checkout's, or none) would give a path outside the other checkout
    assert Path(out.stdout.strip()) == checkout / "llmkb" / "__init__.py"
