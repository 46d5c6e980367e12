"""Every third-party module the project imports is a declared dependency.

Reads the imports of helpers/, tools/, tests/, benchmarks/, solutions/ and run.py
with ``ast`` (not by importing them) and maps each top-level module to the
distribution that provides it in this environment.
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCAL = {"helpers", "conftest"}
LOCAL_FOLDERS = ("tests", "tests/browser", "tools", "benchmarks")


def _optional(tree: ast.AST) -> set[int]:
    """ids of import nodes inside ``try: ... except ImportError`` (optional extras)."""
    optional = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        caught = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
        if caught & {"ImportError", "ModuleNotFoundError", "(ImportError, ModuleNotFoundError)"}:
            optional |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return optional


def imported_modules() -> dict[str, str]:
    """Top-level module -> first file importing it, for every absolute import.

    An import guarded by ``except ImportError`` is optional (a benchmark comparing
    with PyTorch when it happens to be installed) and is not counted.
    """
    found: dict[str, str] = {}
    files = [ROOT / "run.py"]
    for folder in ("helpers", "tools", "tests", "benchmarks", "solutions"):
        files += sorted((ROOT / folder).rglob("*.py"))
    for path in files:
        tree = ast.parse(path.read_text(), filename=str(path))
        optional = _optional(tree)
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + project["optional-dependencies"]["test"]
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in listed}


def test_every_third_party_import_is_declared():
    providers = packages_distributions()
    missing = []
    for module, where in imported_modules().items():
        if module in sys.stdlib_module_names or module in LOCAL or module == "__future__":
            continue
        if any((ROOT / folder / f"{module}.py").exists() for folder in LOCAL_FOLDERS):
            continue  # one of the project's own scripts, imported by a test
        distributions = {d.lower().replace("_", "-") for d in providers.get(module, [module])}
        if not distributions & declared():
            missing.append(f"{module} (imported in {where}, from {sorted(distributions)})")
    assert not missing, "imported but not declared in pyproject.toml: " + "; ".join(missing)
