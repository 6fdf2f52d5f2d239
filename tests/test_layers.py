"""The layers of llmkb/: the refs.bib data layer (llmkb/bib/) never reaches the Sphinx side.

``python -m llmkb check | fmt | export | add`` and the benchmarks' generators read refs.bib through
llmkb/bib/ alone; the build (llmkb/sphinx_ext/ and what it runs: search/, math/, plots/) reads
llmkb/bib/, never the reverse. An import in the wrong direction, even one inside a function, would
tie the data layer to Sphinx again, so every import of every module the data layer can reach counts.
"""

from __future__ import annotations

import ast
from pathlib import Path

LLMKB = Path(__file__).resolve().parent.parent / "llmkb"

#: what the data layer may never import, directly or through another llmkb module
FORBIDDEN = ("sphinx", "sphinxcontrib", "docutils", "myst_parser",
             "llmkb.sphinx_ext", "llmkb.search", "llmkb.math", "llmkb.plots", "llmkb.cli", "llmkb.preview")
#: modules whose functions only Sphinx calls (``llmkb.setup``, the entry point ``extensions = ["llmkb"]``
#: names): importing them runs only their module-level imports
ENTRY_POINTS = {"llmkb"}


def module_path(name: str) -> Path | None:
    """The file of llmkb module ``name`` (a package's __init__.py), or None if it is not one."""
    base = LLMKB.parent.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def module_name(path: Path) -> str:
    parts = path.relative_to(LLMKB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file, at any depth; ``from x import y``
    names x.y when y is a module, else x. Importing a package's module runs the package's
    __init__ too, so each parent package counts as imported."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in (tree.body if name in ENTRY_POINTS else ast.walk(tree)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.append((full if module_path(full) else base, node.lineno))
    with_parents = []
    for target, line in found:
        parts = target.split(".")
        with_parents += [(".".join(parts[:i]), line) for i in range(1, len(parts))] + [(target, line)]
    return with_parents


def reaches_forbidden(start: Path) -> list[str]:
    """Each forbidden import reachable from ``start``, as the chain of imports that reaches it."""
    chains, seen, todo = [], {module_name(start)}, [(start, [module_name(start)])]
    while todo:
        path, chain = todo.pop()
        for target, line in imports(path):
            step = chain[:-1] + [f"{chain[-1]} (line {line})", target]
            if any(target == f or target.startswith(f + ".") for f in FORBIDDEN):
                chains.append(" -> ".join(step))
            elif target.startswith("llmkb") and target not in seen and (found := module_path(target)):
                seen.add(target)
                todo.append((found, step))
    return chains


def test_the_data_layer_never_reaches_the_sphinx_side():
    modules = sorted((LLMKB / "bib").glob("*.py"))
    assert len(modules) > 10  # the package is where this test looks for it
    problems = [chain for path in modules for chain in reaches_forbidden(path)]
    assert not problems, (
        "llmkb/bib/ must not import the Sphinx side (move what both need into llmkb/bib/, or do "
        "the Sphinx work in llmkb/sphinx_ext/):\n" + "\n".join(problems))


def test_the_check_follows_imports_inside_functions_and_other_packages(tmp_path):
    """The rule's own test: a chain through another llmkb module and an import inside a function
    are both found (llmkb.cite.dialog_files imports the Sphinx side inside functions)."""
    chains = reaches_forbidden(LLMKB / "cite" / "dialog_files.py")
    assert any("llmkb.sphinx_ext" in chain for chain in chains), chains
    assert not reaches_forbidden(LLMKB / "bib" / "file.py")
