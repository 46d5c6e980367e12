"""run.py (issue 16): a self-healing environment, one-line errors, reset, locks.

Every test works on a temporary copy of run.py beside a tiny pyproject.toml,
never on the project's own .venv. Most load that copy as a module and replace
the one slow step, creating a virtual environment with pip, by a small venv
without pip plus a fake ``pip`` package that records its calls and "installs"
by writing ``*.dist-info`` folders (or, with FAKE_PIP_OFFLINE=1, fails as pip
does when the package index cannot be reached). No test needs the network;
one runs the real pip against an index on a closed port.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The fakes are POSIX shell scripts and venv layouts (bin/, lib/pythonX.Y/); CI is Linux.
pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX venv layout and shell scripts")

TINY_PYPROJECT = """\
[project]
name = "tiny-course"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["tinydep>=1"]

[project.optional-dependencies]
test = ["tinytest"]
"""

FAKE_PIP = r"""
import json, os, pathlib, sys, sysconfig, tomllib
log = os.environ.get("FAKE_PIP_LOG")
if log:
    with open(log, "a") as handle:
        handle.write(json.dumps(sys.argv[1:]) + "\n")
if os.environ.get("FAKE_PIP_OFFLINE"):
    print("WARNING: Retrying (Retry(total=0)) after connection broken by "
          "'NewConnectionError(': Failed to establish a new connection: "
          "[Errno 111] Connection refused')'", file=sys.stderr)
    print("ERROR: Could not find a version that satisfies the requirement setuptools>=69",
          file=sys.stderr)
    sys.exit(1)
args = sys.argv[1:]
if "-e" in args:
    project = pathlib.Path(args[args.index("-e") + 1].split("[")[0])
    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    names = [meta["name"], *meta.get("dependencies", []),
             *meta.get("optional-dependencies", {}).get("test", [])]
    site = pathlib.Path(sysconfig.get_paths()["purelib"])
    for name in names:
        for stop in "<>=!~;[ ":
            name = name.split(stop)[0]
        info = site / f"{name.replace('-', '_')}-1.0.dist-info"
        info.mkdir(exist_ok=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
"""


def site_packages(venv_dir: Path) -> Path:
    return next((venv_dir / "lib").glob("python3*/site-packages"))


def make_small_venv(venv_dir: Path, with_fake_pip: bool = True) -> None:
    """A venv without pip (fast), with the fake pip instead of the real one."""
    venv.EnvBuilder(with_pip=False, symlinks=True).create(venv_dir)
    if with_fake_pip:
        pip = site_packages(venv_dir) / "pip"
        pip.mkdir()
        (pip / "__init__.py").write_text("")
        (pip / "__main__.py").write_text(FAKE_PIP)


class Project:
    """A temporary copy of run.py with a tiny project, loaded as a module."""

    def __init__(self, path: Path, monkeypatch):
        self.path = path
        shutil.copy(ROOT / "run.py", path / "run.py")
        (path / "pyproject.toml").write_text(TINY_PYPROJECT)
        (path / "benchmarks").mkdir()
        self.pip_log = path / "pip-calls.log"
        monkeypatch.setenv("FAKE_PIP_LOG", str(self.pip_log))
        monkeypatch.delenv("FAKE_PIP_OFFLINE", raising=False)
        monkeypatch.chdir(path)
        spec = importlib.util.spec_from_file_location(f"run_copy_{id(self)}", path / "run.py")
        self.run = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.run)
        self.run.create_venv = lambda: make_small_venv(self.run.VENV)
        self.ran: list[list[str]] = []
        self.run.TASKS["noop"] = self.ran.append

    @property
    def venv(self) -> Path:
        return self.path / ".venv"

    def main(self, *argv: str) -> int:
        try:
            self.run.main(list(argv))
        except SystemExit as exit_:
            return exit_.code
        return 0

    def pip_calls(self) -> list[list[str]]:
        if not self.pip_log.exists():
            return []
        calls = [json.loads(line) for line in self.pip_log.read_text().splitlines()]
        self.pip_log.unlink()
        return calls

    def stamp(self) -> dict:
        return json.loads((self.venv / "run-py-stamp.json").read_text())

    def mark(self) -> Path:
        """A file inside .venv: it survives a reinstall, not a rebuild."""
        marker = self.venv / "marker"
        marker.write_text("this .venv")
        return marker


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    return Project(tmp_path, monkeypatch)


def installs(calls) -> int:
    return sum(1 for call in calls if "-e" in call)


# --- the Python version, --help, unknown tasks, bad paths ---------------------------------


def test_min_python_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    spec = importlib.util.spec_from_file_location("run_for_version", ROOT / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    wanted = ".".join(map(str, run.MIN_PYTHON))
    assert project["project"]["requires-python"] == f">={wanted}"


def test_old_python_gets_one_line_and_exit_1(project, capsys, monkeypatch):
    with pytest.raises(project.run.Failure) as info:
        project.run.check_python((3, 10, 12))
    assert "needs Python 3.11 or newer" in str(info.value) and "3.10.12" in str(info.value)
    check = project.run.check_python
    monkeypatch.setattr(project.run, "check_python", lambda: check((3, 9, 1)))
    assert project.main("noop") == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Python 3.9.1" in err
    assert not project.venv.exists()  # checked before anything else


def run_script(project: Project, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(project.path / "run.py"), *args],
        cwd=project.path,
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,
    )


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_exits_0_with_the_task_list(project, flag):
    result = run_script(project, flag)
    assert result.returncode == 0
    for task in ("lab", "test", "execute", "present", "reset"):
        assert f"python3 run.py {task}" in result.stdout


def test_unknown_task_says_so_and_exits_2(project):
    result = run_script(project, "foo")
    assert result.returncode == 2
    first = result.stderr.splitlines()[0]
    assert first == "run.py: unknown task 'foo'"
    assert "python3 run.py lab" in result.stderr  # the usage follows
    assert run_script(project, "tset").stderr.startswith(
        "run.py: unknown task 'tset' (did you mean 'test'?)"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["execute", "/tmp/elsewhere.ipynb"], "is outside notebooks/"),
        (["execute", "notebooks/01_intro"], "must end in .ipynb (did you mean"),
        (["execute", "notebooks/01_intrp.ipynb"], "no such notebook"),
        (["execute", "--frobnicate"], "unknown option --frobnicate"),
        (["present", "notebooks/01_intro"], "neither a notebook nor a folder (did you mean"),
        (["present", "notebooks/99.ipynb"], "no such notebook"),
        (["reset"], "name the notebook to reset"),
        (["reset", "../other/01_intro.ipynb"], "is outside notebooks/"),
    ],
)
def test_bad_paths_are_one_line_errors_before_any_setup(project, args, message):
    (project.path / "notebooks").mkdir()
    (project.path / "notebooks" / "01_intro.ipynb").write_text("{}")
    result = run_script(project, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"run.py {args[0]}: ")
    assert not project.venv.exists()  # refused before setting anything up


# --- building, reinstalling, rebuilding ---------------------------------------------------


def test_first_run_builds_and_records_what_built_it(project):
    assert project.main("noop", "x") == 0
    assert project.ran == [["x"]]
    assert installs(project.pip_calls()) == 1
    stamp = project.stamp()
    assert stamp["python"].startswith(f"{sys.version_info[0]}.{sys.version_info[1]}.")
    assert stamp["pyproject"] == project.run.pyproject_hash()
    # A second run installs nothing.
    assert project.main("noop") == 0
    assert project.pip_calls() == []


def test_changed_pyproject_reinstalls_without_rebuilding(project):
    project.main("noop")
    project.pip_calls()
    marker = project.mark()
    with open(project.path / "pyproject.toml", "a") as handle:
        handle.write("# a change\n")
    assert project.main("noop") == 0
    assert installs(project.pip_calls()) == 1 and marker.exists()
    assert project.stamp()["pyproject"] == project.run.pyproject_hash()


def fake_python(venv_dir: Path, version: str) -> None:
    """Replace .venv's Python by one that reports another version."""
    python = venv_dir / "bin" / "python"
    python.unlink()
    python.write_text(
        f"#!/bin/sh\necho '{json.dumps({'python': version, 'pip': True, 'missing': []})}'\n"
    )
    python.chmod(0o755)


def test_venv_from_an_old_python_is_rebuilt(project, capsys):
    project.main("noop")
    marker = project.mark()
    fake_python(project.venv, "3.10.12")
    stamp = project.stamp() | {"python": "3.10.12"}
    (project.venv / "run-py-stamp.json").write_text(json.dumps(stamp))
    capsys.readouterr()
    assert project.main("noop") == 0
    out = capsys.readouterr().out
    assert "rebuilding .venv/ because it was made by Python 3.10.12" in out
    assert not marker.exists() and len(project.ran) == 2
    assert project.stamp()["python"] != "3.10.12"


def test_venv_whose_interpreter_changed_underneath_is_rebuilt(project, capsys):
    project.main("noop")
    marker = project.mark()
    stamp = project.stamp() | {"python": "3.99.0"}  # made by another Python than it runs now
    (project.venv / "run-py-stamp.json").write_text(json.dumps(stamp))
    assert project.main("noop") == 0
    assert "made by Python 3.99.0, but its interpreter is now" in capsys.readouterr().out
    assert not marker.exists()


def test_venv_whose_python_does_not_run_is_rebuilt(project, capsys):
    project.main("noop")
    python = project.venv / "bin" / "python"
    python.unlink()
    python.symlink_to(project.path / "no-such-python3.10")
    assert project.main("noop") == 0
    assert "missing or does not run" in capsys.readouterr().out
    assert (project.venv / "bin" / "python").resolve().exists()


def test_venv_without_pip_is_rebuilt_when_something_must_be_installed(project, capsys):
    project.main("noop")
    shutil.rmtree(site_packages(project.venv) / "pip")
    # Nothing to install: the venv works without pip and is kept.
    marker = project.mark()
    assert project.main("noop") == 0 and marker.exists()
    with open(project.path / "pyproject.toml", "a") as handle:
        handle.write("# a change\n")
    capsys.readouterr()
    assert project.main("noop") == 0
    assert "it has no pip (No module named pip)" in capsys.readouterr().out
    assert not marker.exists() and installs(project.pip_calls()) >= 1


def test_missing_package_is_reinstalled(project, capsys):
    project.main("noop")
    project.pip_calls()
    for info in site_packages(project.venv).glob("tinydep-*.dist-info"):
        shutil.rmtree(info)  # as if voila had been uninstalled
    assert project.main("noop") == 0
    assert ".venv/ lacks tinydep; reinstalling" in capsys.readouterr().out
    assert installs(project.pip_calls()) == 1


def test_venv_of_an_earlier_run_py_is_kept(project):
    """The old stamp (.venv/.installed, the hash only) is taken over, not reinstalled."""
    project.main("noop")
    project.pip_calls()
    (project.venv / "run-py-stamp.json").unlink()
    (project.venv / ".installed").write_text(project.run.pyproject_hash())
    assert project.main("noop") == 0
    assert project.pip_calls() == [] and project.stamp()["python"]


# --- offline ------------------------------------------------------------------------------


def test_offline_with_a_working_venv_runs_the_task(project, capsys, monkeypatch):
    project.main("noop")
    old_hash = project.stamp()["pyproject"]
    with open(project.path / "pyproject.toml", "a") as handle:
        handle.write("# changed while offline\n")
    monkeypatch.setenv("FAKE_PIP_OFFLINE", "1")
    capsys.readouterr()
    assert project.main("noop", "y") == 0
    out = capsys.readouterr().out
    assert "the package index cannot be reached" in out
    assert "running noop with the existing .venv/" in out
    assert project.ran[-1] == ["y"]
    assert project.stamp()["pyproject"] == old_hash  # updated once online


def test_offline_without_a_venv_is_a_clear_failure(project, capsys, monkeypatch):
    monkeypatch.setenv("FAKE_PIP_OFFLINE", "1")
    assert project.main("noop") == 1
    err = capsys.readouterr().err
    assert "run.py noop: could not install the project" in err
    assert "Connect to the internet" in err and project.ran == []


def test_real_pip_against_an_unreachable_index_is_recognised(project, capsys, monkeypatch):
    """The real pip, its index on a closed port: run.py must read its message as offline."""
    project.main("noop")
    real_pip = site_packages(ROOT / ".venv") / "pip"
    fake = site_packages(project.venv) / "pip"
    shutil.rmtree(fake)
    fake.symlink_to(real_pip, target_is_directory=True)
    with open(project.path / "pyproject.toml", "a") as handle:
        handle.write(
            '\n[build-system]\nrequires = ["setuptools>=69"]\n'
            'build-backend = "setuptools.build_meta"\n'
        )
    for name, value in {
        "PIP_CONFIG_FILE": os.devnull,  # no local wheel folders or mirrors
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",  # port 9 (discard): refused
        "PIP_FIND_LINKS": "",
        "PIP_RETRIES": "0",
        "PIP_DEFAULT_TIMEOUT": "5",
        "PIP_NO_CACHE_DIR": "1",
    }.items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    assert project.main("noop") == 0
    out = capsys.readouterr().out
    assert "the package index cannot be reached" in out and len(project.ran) == 2


# --- the lock -----------------------------------------------------------------------------


def test_second_command_waits_for_the_first_to_finish_installing(project):
    import fcntl  # POSIX, as the whole module (see pytestmark)

    project.main("noop")  # a current .venv: the run.py below needs no install
    with open(project.path / ".venv.lock", "r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # "another run.py is installing"
        process = subprocess.Popen(
            [sys.executable, str(project.path / "run.py"), "bench"],
            cwd=project.path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            time.sleep(1.5)
            assert process.poll() is None, process.communicate()[0]  # still waiting
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0, out
    assert "another run.py is setting up .venv/; waiting" in out


# --- reset --------------------------------------------------------------------------------


def git(project: Project, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=project.path,
        check=True,
        capture_output=True,
    )


def test_reset_restores_from_git_and_keeps_the_students_copy(project, capsys, skip_or_fail):
    if shutil.which("git") is None:
        skip_or_fail("git not installed")
    notebooks = project.path / "notebooks"
    notebooks.mkdir()
    notebook = notebooks / "02_sigmoid.ipynb"
    notebook.write_text('{"published": true}')
    git(project, "init", "-q")
    git(project, "add", "notebooks")
    git(project, "commit", "-qm", "published")
    notebook.write_text('{"my work": true}')
    assert project.main("reset", "notebooks/02_sigmoid.ipynb") == 0
    assert notebook.read_text() == '{"published": true}'
    mine = list(notebooks.glob("02_sigmoid.mine-*.ipynb"))
    assert len(mine) == 1 and mine[0].read_text() == '{"my work": true}'
    assert "restored from git (HEAD)" in capsys.readouterr().out
    assert not project.venv.exists()  # reset needs no environment
    # Deleted by mistake: reset brings it back.
    notebook.unlink()
    assert project.main("reset", "notebooks/02_sigmoid.ipynb") == 0
    assert notebook.read_text() == '{"published": true}'


def test_reset_without_git_uses_the_copy_saved_on_first_run(project, monkeypatch):
    notebooks = project.path / "notebooks"
    notebooks.mkdir()
    notebook = notebooks / "02_sigmoid.ipynb"
    notebook.write_text('{"published": true}')
    monkeypatch.setattr(project.run, "in_git_checkout", lambda: False)
    monkeypatch.setattr(project.run, "git_pristine", lambda path: None)
    project.main("noop")  # any first run keeps the pristine copies
    assert (notebooks / ".pristine" / "02_sigmoid.ipynb").read_text() == '{"published": true}'
    notebook.write_text('{"my work": true}')
    project.main("noop")  # later runs do not overwrite them
    assert project.main("reset", "notebooks/02_sigmoid.ipynb") == 0
    assert notebook.read_text() == '{"published": true}'
    assert len(list(notebooks.glob("02_sigmoid.mine-*.ipynb"))) == 1


def test_reset_without_any_published_version_fails_clearly(project, monkeypatch, capsys):
    (project.path / "notebooks").mkdir()
    (project.path / "notebooks" / "09_mine.ipynb").write_text("{}")
    monkeypatch.setattr(project.run, "in_git_checkout", lambda: True)
    monkeypatch.setattr(project.run, "git_pristine", lambda path: None)
    assert project.main("reset", "notebooks/09_mine.ipynb") == 1
    assert "no published version" in capsys.readouterr().err


def test_default_execute_list_leaves_out_the_students_copies(project):
    notebooks = project.path / "notebooks"
    notebooks.mkdir()
    for name in ("01_a.ipynb", "01_a.mine-20260101-120000.ipynb", "02_b.ipynb"):
        (notebooks / name).write_text("{}")
    assert [p.name for p in project.run.course_notebooks()] == ["01_a.ipynb", "02_b.ipynb"]


def test_missing_voila_is_one_line_saying_how_to_fix(project, capsys):
    """present without voila in .venv: no traceback, but what to do."""
    assert project.main("present", "--no-browser") == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("run.py present: voila is not installed in .venv/")
    assert "delete .venv/ and run the command again" in err
