#!/usr/bin/env python3
"""Set up the project's virtual environment and run one task in it.

    python3 run.py lab        open JupyterLab at notebooks/00_start_here.ipynb
    python3 run.py test       lint, then every test (maths, notebooks, browser)
    python3 run.py execute    re-execute notebooks in place (all, or those named),
                              keeping a backup of each in notebooks/.backup/
    python3 run.py bench      run the benchmarks in benchmarks/
    python3 run.py present    present live: notebooks as code-free pages with working
                              sliders (Voila), figures at projector sizes
    python3 run.py build      slide decks and static HTML of every notebook, offline,
                              into artifacts/site/
    python3 run.py reset NB   put notebook NB back as published; your copy is kept
                              beside it as NN_name.mine-<date-time>.ipynb
    python3 run.py links HUB REPO
                              an nbgitpuller link per notebook for a JupyterHub
                              (docs/classroom.md); --binder adds Binder links
    python3 run.py figures    every figure in reading and lecture style, checked, on one
                              page: artifacts/gallery/index.html
    python3 run.py --help     this text

Each task creates ``.venv`` on first use and reinstalls only when
pyproject.toml has changed, so a second run starts at once. Nothing is
installed outside ``.venv``. Extra arguments go to the underlying tool
(``python3 run.py test -k sigmoid``).

A broken ``.venv`` mends itself: one made by another Python, or without pip,
or missing a package, is rebuilt or reinstalled on the next run; offline, a
``.venv`` that works is used as it is. Two commands never install at once.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import venv
from contextlib import contextmanager
from pathlib import Path

MIN_PYTHON = (3, 11)  # pyproject.toml's requires-python (tests/test_run_py.py checks)

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / "run-py-stamp.json"  # what built .venv, see ensure_environment
OLD_STAMP = VENV / ".installed"  # the hash-only stamp of earlier versions of run.py
LOCK = ROOT / ".venv.lock"  # outside .venv: a rebuild deletes .venv
NOTEBOOKS = ROOT / "notebooks"
BACKUPS = NOTEBOOKS / ".backup"  # tools/execute_notebooks.py writes backups here
PRISTINE = NOTEBOOKS / ".pristine"  # the notebooks as downloaded, when there is no git


class Failure(Exception):
    """A one-line error for the user; ``code`` is the exit status (2: bad arguments)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


# --- the environment -----------------------------------------------------------


def check_python(version=None) -> None:
    """Stop at once, in one line, on a Python older than the project needs."""
    version = version or sys.version_info
    if tuple(version[:2]) < MIN_PYTHON:
        raise Failure(
            f"this project needs Python {'.'.join(map(str, MIN_PYTHON))} or newer, but "
            f"{sys.executable} is Python {'.'.join(map(str, version[:3]))}: run run.py with "
            f"a newer python3 (for example python{'.'.join(map(str, MIN_PYTHON))} run.py ...)",
            code=1,
        )


def pyproject() -> dict:
    import tomllib  # Python 3.11+, checked by check_python first

    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def pyproject_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def requirement_names(project: dict) -> list[str]:
    """The project itself and every distribution it needs (with the test extra)."""
    names = [project["project"]["name"]]
    extras = project["project"].get("optional-dependencies", {})
    for requirement in [*project["project"].get("dependencies", []), *extras.get("test", [])]:
        name = requirement
        for stop in "<>=!~;[ (":
            name = name.split(stop)[0]
        names.append(name.strip())
    return names


# Run by .venv's own Python (isolated: no current folder, no user site): its
# version, whether pip is there, and which required distributions are missing.
PROBE = """
import importlib.metadata as m, importlib.util as u, json, sys
missing = []
for name in sys.argv[1:]:
    try:
        m.version(name)
    except m.PackageNotFoundError:
        missing.append(name)
print(json.dumps({"python": "%d.%d.%d" % sys.version_info[:3],
                  "pip": u.find_spec("pip") is not None, "missing": missing}))
"""


def probe(names: list[str]) -> dict | None:
    """What .venv's Python reports about itself, or None if it does not run."""
    if not PYTHON.exists():
        return None
    try:
        result = subprocess.run(
            [str(PYTHON), "-I", "-c", PROBE, *names],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=VENV,
        )
        return json.loads(result.stdout) if result.returncode == 0 else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def read_stamp() -> dict | None:
    try:
        stamp = json.loads(STAMP.read_text())
        return stamp if isinstance(stamp, dict) else None
    except (OSError, ValueError):
        return None


def minor(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".")[:2])


@contextmanager
def environment_lock():
    """Hold an exclusive lock on .venv.lock: one run.py at a time checks and installs."""
    LOCK.touch(exist_ok=True)
    with open(LOCK, "r+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows
            import msvcrt

            while True:
                try:
                    msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                    break
                except OSError:
                    time.sleep(1)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                "run.py: another run.py is setting up .venv/; waiting for it to finish ...",
                flush=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def create_venv() -> None:
    venv.EnvBuilder(with_pip=True).create(VENV)


def rebuild_reason(state: dict | None, stamp: dict | None, needs_install: bool) -> str | None:
    """Why .venv must be deleted and made again, or None if it can be kept."""
    if not VENV.exists():
        return None
    if state is None:
        return f"its Python ({PYTHON.relative_to(ROOT)}) is missing or does not run"
    if minor(state["python"]) < MIN_PYTHON:
        return f"it was made by Python {state['python']}, and this project needs a newer one"
    if stamp and minor(stamp.get("python", "0.0")) != minor(state["python"]):
        return (
            f"it was made by Python {stamp['python']}, but its interpreter is now "
            f"Python {state['python']}"
        )
    if needs_install and not state["pip"]:
        return "it has no pip (No module named pip), so nothing can be installed into it"
    return None


def pip(*args: str) -> tuple[int, str]:
    result = subprocess.run(
        [str(PYTHON), "-m", "pip", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result.returncode, (result.stdout + result.stderr).strip()


OFFLINE_SIGNS = (
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Connection refused",
    "ConnectTimeout",
    "Read timed out",
    "ProxyError",
    "Could not fetch URL",
    "No matching distribution found",
    "Could not find a version that satisfies",
)


def ensure_environment(task: str = "the task") -> None:
    """Make .venv current, rebuilding it when broken; offline, keep one that works.

    ``.venv/run-py-stamp.json`` records what built it: its Python's version and
    the hash of pyproject.toml it was installed from. .venv is deleted and made
    again when its Python does not run, is too old, is not the one that made it,
    or has no pip while something must be installed. It is (re)installed when
    pyproject.toml changed or a required distribution is missing.
    """
    with environment_lock():
        project, wanted = pyproject(), pyproject_hash()
        names = requirement_names(project)
        state, stamp = probe(names), read_stamp()
        if stamp is None and state and OLD_STAMP.exists():
            # .venv from an earlier run.py: keep it if it is complete.
            stamp = {"python": state["python"], "pyproject": OLD_STAMP.read_text().strip()}
        current = (
            state is not None
            and stamp is not None
            and stamp.get("pyproject") == wanted
            and not state["missing"]
        )
        reason = rebuild_reason(state, stamp, needs_install=not current)
        if reason:
            print(f"run.py: rebuilding .venv/ because {reason} ...", flush=True)
            shutil.rmtree(VENV)
            state = stamp = None
        if current and not reason:
            if not STAMP.exists():
                write_stamp(state, wanted)
            return
        usable = (
            state is not None
            and not reason
            and project["project"]["name"] not in (state["missing"])
        )
        if not PYTHON.exists():
            print(f"Creating a virtual environment in {VENV.name}/ ...", flush=True)
            create_venv()
            pip("install", "--quiet", "--upgrade", "pip")  # best effort: the bundled one works
            print("Installing the project and its dependencies (about a minute) ...", flush=True)
        elif state and state["missing"] and stamp and stamp.get("pyproject") == wanted:
            print(f"run.py: .venv/ lacks {', '.join(state['missing'])}; reinstalling ...")
        elif stamp is None:  # an installation that was interrupted, or made by hand
            print("run.py: .venv/ was never fully installed; installing ...", flush=True)
        else:
            print("run.py: pyproject.toml changed; updating .venv/ ...", flush=True)
        code, output = pip("install", "--quiet", "-e", f"{ROOT}[test]")
        if code != 0:
            offline = any(sign in output for sign in OFFLINE_SIGNS)
            why = "the package index cannot be reached" if offline else "pip failed"
            if usable:
                print(
                    f"run.py: could not update .venv/ ({why}); running {task} with the "
                    "existing .venv/, which works. Run again when online to update it.",
                    flush=True,
                )
                return
            print(output[-2000:], file=sys.stderr)
            raise Failure(
                f"could not install the project into .venv/ ({why}; pip's message is above). "
                + (
                    "Connect to the internet and run the command again."
                    if offline
                    else "Fix the cause, or delete .venv/ and run the command again."
                ),
                code=1,
            )
        state = probe(names)
        if state is None or state["missing"]:
            raise Failure(
                "pip finished but .venv/ is still incomplete "
                f"({', '.join(state['missing']) if state else 'its Python does not run'}): "
                "delete .venv/ and run the command again",
                code=1,
            )
        write_stamp(state, wanted)


def write_stamp(state: dict, wanted: str) -> None:
    stamp = {
        "python": state["python"],
        "pyproject": wanted,
        "built_by": sys.executable,
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    STAMP.write_text(json.dumps(stamp, indent=2) + "\n")
    OLD_STAMP.unlink(missing_ok=True)


# --- running tools ----------------------------------------------------------------


def run(command, **kwargs) -> None:
    """Run a command; stop with its exit code if it fails."""
    code = subprocess.call([str(part) for part in command], cwd=ROOT, **kwargs)
    if code != 0:
        sys.exit(code)


def tool(name: str) -> Path:
    return BIN / (f"{name}.exe" if os.name == "nt" else name)


def need_tool(name: str, package: str) -> Path:
    path = tool(name)
    if not path.exists():
        raise Failure(
            f"{name} is not installed in .venv/: delete .venv/ and run the command again "
            f"(run.py then reinstalls everything), or run .venv/bin/pip install '{package}'",
            code=1,
        )
    return path


def root_flag() -> list[str]:
    # Jupyter refuses to start as root (containers, CI) without this flag.
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def split_options(args: list[str]) -> tuple[list[str], list[str]]:
    """(paths, options): options start with '-'."""
    return [a for a in args if not a.startswith("-")], [a for a in args if a.startswith("-")]


def show(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def notebook_path(arg: str, *, must_exist: bool = True, anywhere: bool = False) -> Path:
    """A notebook named on the command line, or a one-line Failure saying what is wrong."""
    path = (Path.cwd() / arg).resolve()
    if path.suffix != ".ipynb":
        guess = path.with_name(path.name + ".ipynb")
        hint = f" (did you mean {show(guess)}?)" if guess.exists() else ""
        raise Failure(f"{arg} is not a notebook: the name must end in .ipynb{hint}")
    if not anywhere and not path.is_relative_to(NOTEBOOKS):
        raise Failure(
            f"{arg} is outside notebooks/; this task rewrites or replaces the file, so it "
            "only touches the course's notebooks. Add --anywhere to do it anyway"
        )
    if must_exist and not path.is_file():
        names = [p.name for p in path.parent.glob("*.ipynb")] if path.parent.is_dir() else []
        close = difflib.get_close_matches(path.name, names, n=1)
        hint = f" (did you mean {show(path.parent / close[0])}?)" if close else ""
        raise Failure(f"no such notebook: {arg}{hint}")
    return path


def course_notebooks() -> list[Path]:
    """notebooks/NN_name.ipynb, without the copies reset keeps (NN_name.mine-*.ipynb)."""
    return sorted(p for p in NOTEBOOKS.glob("*.ipynb") if ".mine-" not in p.name)


# --- the tasks --------------------------------------------------------------------


def lab(args: list[str]) -> None:
    # default_url makes both the opened browser tab and the printed address
    # land on the index notebook.
    index = "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb"
    run([need_tool("jupyter", "jupyterlab>=4.2,<5"), "lab", *root_flag(), index, *args])


def test(args: list[str]) -> None:
    code = ["helpers", "tests", "notebooks", "benchmarks", "tools", "solutions", "run.py"]
    run([tool("ruff"), "check", *code])
    run([tool("ruff"), "format", "--check", *code])
    # pytest exits 5 when it collected no test: that is a failure too.
    run([tool("pytest"), *args])


def check_execute(args: list[str]) -> None:
    paths, options = split_options(args)
    unknown = [o for o in options if o not in ("--anywhere", "--no-backup")]
    if unknown:
        raise Failure(f"unknown option {unknown[0]} (execute takes --anywhere, --no-backup)")
    for arg in paths:
        notebook_path(arg, anywhere="--anywhere" in options)


def execute(args: list[str]) -> None:
    """Re-execute notebooks in place, top to bottom in a fresh kernel.

    Only notebooks inside notebooks/ unless ``--anywhere``; each one's previous
    version goes to notebooks/.backup/ first (see tools/execute_notebooks.py).
    """
    paths, options = split_options(args)
    paths = paths or [show(p) for p in course_notebooks()]
    run([PYTHON, "tools/execute_notebooks.py", *options, *paths])


def bench(args: list[str]) -> None:
    scripts = args or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "benchmarks").glob("*.py"))
    for script in scripts:
        print(f"== {script}", flush=True)
        run([PYTHON, script])


def check_present(args: list[str]) -> None:
    paths, _ = split_options(args)
    for arg in paths:
        path = (Path.cwd() / arg).resolve()
        if path.is_dir():
            continue
        if path.suffix == ".ipynb" and not path.exists():
            notebook_path(arg, anywhere=True)  # says "no such notebook", with a guess
        if not path.is_file() or path.suffix != ".ipynb":
            guess = path.with_name(path.name + ".ipynb")
            hint = f" (did you mean {show(guess)}?)" if guess.exists() else ""
            raise Failure(
                f"{arg} is neither a notebook nor a folder{hint}; voila's own options take "
                "the form --name=value"
            )


def present(args: list[str]) -> None:
    """Serve a notebook (or all of them) with Voila, lecture figure sizes on.

    ``present notebooks/04_vanishing_gradients.ipynb`` serves that notebook;
    without a notebook, the folder (a list of every notebook, whose navigation
    links then work). Further arguments go to voila (``--port=8870``).
    LESSONS_LECTURE=0 in the environment keeps reading sizes.

    The server (tools/present_server.py) listens on 127.0.0.1 only, wants a
    random token (the opened browser tab and the printed address carry it)
    and refuses requests whose Host header is not this machine (DNS rebinding).
    """
    need_tool("voila", "voila>=0.5,<0.6")
    command, env = present_command(*split_options(args))
    run(command, env=env)


def present_command(paths: list[str], options: list[str]) -> tuple[list, dict]:
    """The command line and environment of ``present`` (tests/browser start it the same way)."""
    env = dict(os.environ)
    env.setdefault("LESSONS_LECTURE", "1")
    env.setdefault("LESSONS_PRESENT_TOKEN", secrets.token_urlsafe(24))
    command = [PYTHON, ROOT / "tools" / "present_server.py", *(paths or ["notebooks"])]
    return [*command, "--Voila.ip=127.0.0.1", *options], env


def build(args: list[str]) -> None:
    """Slide decks and static HTML pages of the notebooks, into artifacts/site/."""
    run([PYTHON, "tools/build_site.py", *args])


def git_pristine(path: Path) -> bytes | None:
    """The notebook as in git's HEAD, or None without git or outside a git checkout."""
    if shutil.which("git") is None:
        return None
    relative = path.relative_to(ROOT).as_posix()
    result = subprocess.run(
        ["git", "show", f"HEAD:{relative}"], cwd=ROOT, capture_output=True, check=False
    )
    return result.stdout if result.returncode == 0 else None


def in_git_checkout() -> bool:
    if shutil.which("git") is None:
        return False
    result = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], cwd=ROOT, capture_output=True, text=True
    )
    return result.returncode == 0 and result.stdout.strip() == "true"


def keep_pristine_copies() -> None:
    """Without git (a downloaded zip), save each notebook as first seen, for reset."""
    if in_git_checkout() or not NOTEBOOKS.is_dir():
        return
    for path in course_notebooks():
        copy = PRISTINE / path.name
        if not copy.exists():
            PRISTINE.mkdir(exist_ok=True)
            shutil.copy2(path, copy)


def check_reset(args: list[str]) -> None:
    paths, options = split_options(args)
    if options:
        raise Failure(f"unknown option {options[0]} (reset takes notebook paths only)")
    if not paths:
        raise Failure("name the notebook to reset, e.g. notebooks/02_sigmoid.ipynb")
    for arg in paths:
        notebook_path(arg, must_exist=False)


def reset(args: list[str]) -> None:
    """Put notebooks back as published; the student's copy stays beside each one.

    The published version is git's HEAD (``git show HEAD:notebooks/NN_name.ipynb``)
    in a git checkout; without git, the copy run.py saved in notebooks/.pristine/
    the first time it ran. The current file is renamed to
    ``NN_name.mine-<YYYYmmdd-HHMMSS>.ipynb`` in the same folder, never deleted.
    """
    for arg in split_options(args)[0]:
        path = notebook_path(arg, must_exist=False)
        pristine = git_pristine(path)
        source = "git (HEAD)"
        if pristine is None and (PRISTINE / path.name).is_file():
            pristine, source = (PRISTINE / path.name).read_bytes(), "notebooks/.pristine/"
        if pristine is None:
            raise Failure(
                f"no published version of {arg} found (not in git's HEAD, no copy in "
                "notebooks/.pristine/); download the course again to get it",
                code=1,
            )
        if path.exists():
            if path.read_bytes() == pristine:
                print(f"{show(path)} is already as published; nothing to do")
                continue
            stamp = time.strftime("%Y%m%d-%H%M%S")
            mine = path.with_name(f"{path.stem}.mine-{stamp}.ipynb")
            path.rename(mine)
            print(f"your version is kept as {show(mine)}")
        path.write_bytes(pristine)
        print(f"{show(path)} restored from {source}")


def links(args: list[str]) -> None:
    """Print an nbgitpuller link per notebook (tools/pull_links.py; standard library only)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import pull_links

    sys.exit(pull_links.main(args))


def figures(args: list[str]) -> None:
    """Every figure in both styles, with the figure checks' verdicts, on one page."""
    run([PYTHON, "tools/gallery.py", *args])


# One entry per task: name -> function(args). Add a task by adding a line here and
# to the list in the docstring above; the optional CHECKS entry validates the
# arguments before the environment is set up, NO_ENVIRONMENT skips the setup.
TASKS = {
    "lab": lab,
    "test": test,
    "execute": execute,
    "bench": bench,
    "present": present,
    "build": build,
    "reset": reset,
    "links": links,
    "figures": figures,
}
CHECKS = {"execute": check_execute, "present": check_present, "reset": check_reset}
NO_ENVIRONMENT = {"reset", "links"}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    try:
        check_python()
        if not argv or argv[0] in ("-h", "--help", "help"):
            print(__doc__)
            sys.exit(0 if argv else 2)
        name, args = argv[0], argv[1:]
        if name not in TASKS:
            close = difflib.get_close_matches(name, TASKS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            print(f"run.py: unknown task {name!r}{hint}\n{__doc__}", file=sys.stderr)
            sys.exit(2)
        if name in CHECKS:
            CHECKS[name](args)
        keep_pristine_copies()
        if name not in NO_ENVIRONMENT:
            ensure_environment(name)
        TASKS[name](args)
    except Failure as failure:
        task = f" {argv[0]}" if argv and argv[0] in TASKS else ""
        print(f"run.py{task}: {failure}", file=sys.stderr)
        sys.exit(failure.code)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
