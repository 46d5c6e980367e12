"""Fixtures for the real-browser tests: a private JupyterLab server and Chromium.

The server runs from the project's environment on 127.0.0.1, a free port and a
random token, on a temporary copy of the notebooks (so nothing the browser does
can be saved into the committed files), with its own settings and workspace
folders. It is stopped whatever happens, together with its kernels.

Two runs at once do not collide (issue 16): each run writes its screenshots,
reports and server logs to its own folder, ``artifacts/browser/<run-id>/``
(``artifacts/browser/latest`` points to the newest; BROWSER_ARTIFACTS=folder
chooses another), and a server whose port was taken meanwhile by another run
is started again on another port (:func:`serve`).

Chromium is Debian's package (``chromium`` on PATH); no browser is downloaded.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_ROOT = ROOT / "artifacts" / "browser"
RUN_ID = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
# This run's folder: screenshots, latency reports and server logs of this run only.
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS") or ARTIFACTS_ROOT / RUN_ID).resolve()
KEEP_RUNS = 10  # older run folders under artifacts/browser/ are removed
# Another folder of notebooks can be tested instead (used to prove that the
# test catches a broken widget on purpose, see README "Browser tests").
NOTEBOOKS = Path(os.environ.get("BROWSER_TEST_NOTEBOOKS", ROOT / "notebooks")).resolve()

CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root in containers and CI
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
]

# JupyterLab settings for the test server (an app-level overrides.json).
LAB_OVERRIDES = {
    # JupyterLab 4 only renders the cells in view of long notebooks; render all
    # so that every demo exists in the page and can be found and moved.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    # Never write the browser's state back to disk (the copy is thrown away anyway).
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    # No news or update checks: there is no network, and their toasts cover cells.
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


# Not part of the course: checkpoints, execute's backups, reset's pristine copies and
# the student's own copies (NN_name.mine-<date-time>.ipynb) that reset keeps.
NOT_COURSE = shutil.ignore_patterns(".ipynb_checkpoints", ".backup", ".pristine", "*.mine-*")


def course_notebooks() -> list[str]:
    """The names of the course's notebooks in NOTEBOOKS (not the student's copies)."""
    return sorted(p.name for p in NOTEBOOKS.glob("*.ipynb") if ".mine-" not in p.name)


def chromium_executable() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LabServer:
    url: str  # http://127.0.0.1:PORT
    token: str
    root: Path  # the server's root folder (a copy of the notebooks)
    log: Path

    def api(self, method: str, path: str) -> object:
        """Call the server's REST API; return the decoded JSON (or None)."""
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop every kernel (frees the two cores for the next notebook)."""
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")


def run_artifacts() -> Path:
    """This run's artifact folder, made on first use; ``latest`` points to it."""
    if ARTIFACTS.is_dir():
        return ARTIFACTS
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if ARTIFACTS.parent == ARTIFACTS_ROOT:
        link = ARTIFACTS_ROOT / f".latest-{os.getpid()}"
        with contextlib.suppress(OSError):  # no symlinks (Windows): the folder is enough
            link.unlink(missing_ok=True)
            link.symlink_to(ARTIFACTS.name, target_is_directory=True)
            os.replace(link, ARTIFACTS_ROOT / "latest")  # atomic: never a missing link
        runs = sorted(  # run ids start with the date: sorted by name = by age
            p
            for p in ARTIFACTS_ROOT.iterdir()
            if p.is_dir() and not p.is_symlink() and p.name[:1].isdigit()
        )
        for old in runs[:-KEEP_RUNS]:
            if old != ARTIFACTS:
                shutil.rmtree(old, ignore_errors=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where this run's screenshots and latency report go (git ignores artifacts/)."""
    return run_artifacts()


@pytest.fixture(scope="session")
def chromium_path(skip_or_fail) -> str:
    path = chromium_executable()
    if path is None:
        skip_or_fail("Chromium not found on PATH: install Debian's package `chromium`")
    return path


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory, chromium_path) -> LabServer:
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "notebooks"
    shutil.copytree(NOTEBOOKS, root, ignore=NOT_COURSE)
    settings = base / "app-settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2))
    for name in ("user-settings", "workspaces"):
        (base / name).mkdir()

    bin_dir = Path(sys.executable).parent
    token = secrets.token_hex(24)
    log = run_artifacts() / "jupyterlab.log"

    def command(port: int) -> list[str]:
        command = [
            str(bin_dir / "jupyter"),
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",  # a taken port: serve() starts again on another
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            # window.jupyterapp: the test runs JupyterLab's own commands (Run All).
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.app_settings_dir={settings}",
            f"--LabApp.user_settings_dir={base / 'user-settings'}",
            f"--LabApp.workspaces_dir={base / 'workspaces'}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")  # containers and CI run as root
        return command

    def server(port: int) -> LabServer:
        return LabServer(url=f"http://127.0.0.1:{port}", token=token, root=root, log=log)

    with serve(
        "jupyter lab",
        command,
        base=base,
        root=root,
        log=log,
        ready=lambda port: server(port).api("GET", "/api/status"),
    ) as port:
        yield server(port)


@dataclass
class PresentServer:
    url: str  # http://127.0.0.1:PORT
    token: str

    def page(self, path: str) -> str:
        """The address of a page, with the token (the first request sets the cookie)."""
        return f"{self.url}{path}?token={self.token}"


@functools.cache
def run_py():
    """run.py, loaded as a module: the tests start Voila with its present_command()."""
    spec = importlib.util.spec_from_file_location("run_py", ROOT / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def present(root: Path, *, base: Path, log: Path, name: str):
    """Voila serving the folder ``root`` as ``python3 run.py present`` does, until the block ends.

    Lecture mode on, a private token (``name`` plus random hex), tracebacks shown in the
    page; the block receives the :class:`PresentServer`.
    """
    token = f"{name}-{secrets.token_hex(12)}"

    def command(port: int) -> list[str]:
        options = ["--no-browser", f"--port={port}", "--Voila.port_retries=0"]
        command, _ = run_py().present_command([str(root)], [*options, "--show_tracebacks=True"])
        return [str(part) for part in command]

    def ready(port: int) -> None:
        with urllib.request.urlopen(PresentServer(f"http://127.0.0.1:{port}", token).page("/")):
            pass

    env = {"LESSONS_LECTURE": "1", "LESSONS_PRESENT_TOKEN": token}
    with serve("voila", command, base=base, root=root, log=log, ready=ready, env=env) as port:
        yield PresentServer(f"http://127.0.0.1:{port}", token)


# What a server's log says when its port was taken between free_port() and its bind.
PORT_TAKEN = ("already in use", "no available port", "Errno 98", "Errno 48")


class PortTaken(Exception):
    """The server could not bind its port (another run took it): try another."""


@contextlib.contextmanager
def serve(name: str, command, *, base: Path, root: Path, log: Path, ready, env=None, attempts=5):
    """Run a server from the project's environment until the block ends, whatever happens.

    ``command(port)`` is the server's command line for a port, ``ready(port)``
    raises OSError until it answers there; the block receives the port. Its
    Jupyter config and runtime folders are private (under ``base``), its output
    goes to ``log``, and the block starts once the log names the port (the
    server has bound it: not another run's server answering) and ``ready(port)``
    stops raising OSError (at most 60 s). A port is picked free but could be
    taken by another run before the server binds it: then the server exits
    saying so, and it is started again on a new port (``attempts`` times).
    A server that exits early for another reason fails the test with the end
    of its log.

    The earlier form, ``command`` a list with the port already in it and
    ``ready()`` without argument, still works (one attempt; the block receives
    the process).
    """
    if not callable(command):  # the earlier form: no retry
        fixed, check = list(command), ready
        command, ready, attempts = (lambda port: fixed), (lambda port: check()), 1
        legacy = True
    else:
        legacy = False
    bin_dir = Path(sys.executable).parent
    for folder in ("config", "runtime"):
        (base / folder).mkdir(exist_ok=True)
    environment = dict(os.environ)
    environment.update(
        PATH=f"{bin_dir}{os.pathsep}{environment.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(base / "config"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        PYTHONWARNINGS="",
        **(env or {}),
    )
    log.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(attempts):
        port = None if legacy else free_port()
        with open(log, "wb") as log_file:
            process = subprocess.Popen(
                command(port),
                cwd=root,
                env=environment,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            wait_until_ready(name, process, port, log, ready)
            break
        except PortTaken:
            stop(process)
        except BaseException:
            stop(process)
            raise
    else:
        pytest.fail(f"{name}: {attempts} ports in a row were taken by others; see {log}")
    try:
        yield process if legacy else port
    finally:
        stop(process)


def wait_until_ready(name: str, process: subprocess.Popen, port, log: Path, ready) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            text = log.read_text(errors="replace")
            if port is not None and any(sign in text for sign in PORT_TAKEN):
                raise PortTaken(port)
            pytest.fail(
                f"{name} exited with code {process.returncode}; see {log}:\n{text[-3000:]}",
                pytrace=False,
            )
        try:
            if port is not None and f"127.0.0.1:{port}/" not in log.read_text(errors="replace"):
                raise ConnectionRefusedError("not listening yet")
            ready(port)
            return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"{name} did not answer within 60 s; see {log}", pytrace=False)
            time.sleep(0.25)


def stop(process: subprocess.Popen) -> None:
    """Stop the server and everything it started (its own process group)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)  # the server shuts its kernels down
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
        except ProcessLookupError:
            pass
    # Kernels are in the same group; make sure none outlives the server.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture(scope="module")
def browser(chromium_path):
    # Module scope, not session: Playwright's sync API keeps an asyncio loop marked as
    # running in this thread while it lives, and the tests after the browser tests
    # (the lab's, which run asyncio themselves) must not find one.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def pytest_generate_tests(metafunc):
    """One test per notebook in the folder (``notebook`` is its file name)."""
    if "notebook" in metafunc.fixturenames:
        names = course_notebooks()
        metafunc.parametrize("notebook", names, ids=names)
