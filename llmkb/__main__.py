"""``python -m llmkb``: the command line (llmkb/cli.py), or one line saying which dependency this
Python lacks. The system ``python3`` has none of them; a traceback ending in ``No module named
'latexcodec'`` told a new contributor nothing about the virtualenv."""

import sys

try:
    from .cli import main
except ModuleNotFoundError as err:
    if (err.name or "llmkb").partition(".")[0] == "llmkb":
        raise  # a module of llmkb itself is missing: a bug, keep the traceback
    command = " ".join(["python -m llmkb", *sys.argv[1:]])
    print(f"python -m llmkb: no module named '{err.name}' in {sys.executable} — llmkb's dependencies live in "
          f"the project's .venv: create it once with `make .venv/.test-installed`, then run "
          f"`.venv/bin/{command}` (docs/appendix/contributing.md)", file=sys.stderr)
    sys.exit(2)

sys.exit(main())
