"""Fixtures for the real-browser tests: a private JupyterLab server and Chromium.

The server runs from the project's environment on 127.0.0.1, a free port and a
random token, on a temporary copy of the notebooks (so nothing the browser does
can be saved into the committed files), with its own settings and workspace
folders. It is stopped whatever happens, together with its kernels.

Chromium is Debian's package (``chromium`` on PATH); no browser is downloaded.
"""

from __future__ import annotations

import contextlib
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
ARTIFACTS = ROOT / "artifacts" / "browser"
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


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots and the latency report go (git ignores artifacts/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in (*ARTIFACTS.glob("*.png"), *ARTIFACTS.glob("latency.*")):
        old.unlink()  # only this run's pictures and numbers
    return ARTIFACTS


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = chromium_executable()
    if path is None:
        message = "Chromium not found on PATH: install Debian's package `chromium`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} (in CI the browser tests must run)", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory, chromium_path) -> LabServer:
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "notebooks"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = base / "app-settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2))
    for name in ("user-settings", "workspaces"):
        (base / name).mkdir()

    bin_dir = Path(sys.executable).parent
    port, token = free_port(), secrets.token_hex(24)
    command = [
        str(bin_dir / "jupyter"),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
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
    server = LabServer(
        url=f"http://127.0.0.1:{port}", token=token, root=root, log=ARTIFACTS / "jupyterlab.log"
    )
    with serve(
        "jupyter lab",
        command,
        base=base,
        root=root,
        log=server.log,
        ready=lambda: server.api("GET", "/api/status"),
    ):
        yield server


@contextlib.contextmanager
def serve(name: str, command: list[str], *, base: Path, root: Path, log: Path, ready, env=None):
    """Run a server from the project's environment until the block ends, whatever happens.

    Its Jupyter config and runtime folders are private (under ``base``), its
    output goes to ``log``, and the block starts once ``ready()`` stops raising
    OSError (at most 60 s). A server that exits early fails the test with the
    end of its log.
    """
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
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"{name} exited with code {process.returncode}; "
                    f"see {log}:\n{log.read_text()[-3000:]}",
                    pytrace=False,
                )
            try:
                ready()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"{name} did not answer within 60 s; see {log}", pytrace=False)
                time.sleep(0.25)
        yield process
    finally:
        stop(process)


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


@pytest.fixture(scope="session")
def browser(chromium_path):
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
        names = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))
        metafunc.parametrize("notebook", names, ids=names)
