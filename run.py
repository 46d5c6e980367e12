#!/usr/bin/env python3
"""Set up the project's virtual environment and run one task in it.

    python3 run.py lab        open JupyterLab at notebooks/00_start_here.ipynb
    python3 run.py test       lint, then every test (maths, notebooks, browser)
    python3 run.py execute    re-execute notebooks in place (all, or those named)
    python3 run.py bench      run the benchmarks in benchmarks/
    python3 run.py present    present live: notebooks as code-free pages with working
                              sliders (Voila), figures at projector sizes
    python3 run.py build      slide decks and static HTML of every notebook, offline,
                              into artifacts/site/
    python3 run.py figures    every figure in reading and lecture style, checked, on one
                              page: artifacts/gallery/index.html

Each task creates ``.venv`` on first use and reinstalls only when
pyproject.toml has changed, so a second run starts at once. Nothing is
installed outside ``.venv``. Extra arguments go to the underlying tool
(``python3 run.py test -k sigmoid``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"
NOTEBOOKS = ROOT / "notebooks"


def ensure_environment() -> None:
    """Create .venv and install the project into it, unless already current."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV.name}/ ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing the project and its dependencies (first run only) ...", flush=True)
    run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([PYTHON, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"])
    STAMP.write_text(wanted)


def run(command, **kwargs) -> None:
    """Run a command; stop with its exit code if it fails."""
    code = subprocess.call([str(part) for part in command], cwd=ROOT, **kwargs)
    if code != 0:
        sys.exit(code)


def tool(name: str) -> Path:
    return BIN / (f"{name}.exe" if os.name == "nt" else name)


def root_flag() -> list[str]:
    # Jupyter refuses to start as root (containers, CI) without this flag.
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def lab(args: list[str]) -> None:
    # default_url makes both the opened browser tab and the printed address
    # land on the index notebook.
    index = "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb"
    run([tool("jupyter"), "lab", *root_flag(), index, *args])


def test(args: list[str]) -> None:
    run([tool("ruff"), "check", "helpers", "tests", "notebooks", "benchmarks", "tools", "run.py"])
    # pytest exits 5 when it collected no test: that is a failure too.
    run([tool("pytest"), *args])


def execute(args: list[str]) -> None:
    """Re-execute notebooks in place, top to bottom in a fresh kernel."""
    paths = args or sorted(str(p.relative_to(ROOT)) for p in NOTEBOOKS.glob("*.ipynb"))
    run([PYTHON, "tools/execute_notebooks.py", *paths])


def bench(args: list[str]) -> None:
    scripts = args or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "benchmarks").glob("*.py"))
    for script in scripts:
        print(f"== {script}", flush=True)
        run([PYTHON, script])


def present(args: list[str]) -> None:
    """Serve a notebook (or all of them) with Voila, lecture figure sizes on.

    ``present notebooks/04_vanishing_gradients.ipynb`` serves that notebook;
    without a notebook, the folder (a list of every notebook, whose navigation
    links then work). Further arguments go to voila (``--port=8870``).
    LESSONS_LECTURE=0 in the environment keeps reading sizes.
    """
    notebooks = [a for a in args if a.endswith(".ipynb")]
    options = [a for a in args if not a.endswith(".ipynb")]
    env = dict(os.environ)
    env.setdefault("LESSONS_LECTURE", "1")
    # Voila itself does not refuse root; it listens on this machine only.
    run([tool("voila"), *(notebooks or ["notebooks"]), "--Voila.ip=127.0.0.1", *options], env=env)


def build(args: list[str]) -> None:
    """Slide decks and static HTML pages of the notebooks, into artifacts/site/."""
    run([PYTHON, "tools/build_site.py", *args])


def figures(args: list[str]) -> None:
    """Every figure in both styles, with the figure checks' verdicts, on one page."""
    run([PYTHON, "tools/gallery.py", *args])


TASKS = {
    "lab": lab,
    "test": test,
    "execute": execute,
    "bench": bench,
    "present": present,
    "build": build,
    "figures": figures,
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(__doc__)
        sys.exit(2)
    ensure_environment()
    TASKS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
