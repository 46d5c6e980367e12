"""Browser-test runs do not collide (issue 16): own artifact folder, ports that cannot race.

Checked without a browser: tests/browser/conftest.py's ``serve`` is given a
port another process already holds (as when another run takes the port
between ``free_port()`` and the server's bind) and must start the server
again on another port; and two runs get two artifact folders, ``latest``
pointing to the newer.
"""

from __future__ import annotations

import importlib.util
import socket
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_conftest(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "browser" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclass needs to find its module
    spec.loader.exec_module(module)
    return module


def test_server_whose_port_was_taken_starts_again_on_another(tmp_path, monkeypatch):
    browser = load_conftest("browser_conftest_ports")
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    busy = taken.getsockname()[1]
    offered = [busy]  # the first port offered is held by "another run"
    real_free_port = browser.free_port
    monkeypatch.setattr(
        browser, "free_port", lambda: offered.pop(0) if offered else real_free_port()
    )

    def command(port: int) -> list[str]:
        return [sys.executable, "-u", "-m", "http.server", str(port), "--bind", "127.0.0.1"]

    def ready(port: int) -> None:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
            pass

    try:
        with browser.serve(
            "http.server",
            command,
            base=tmp_path,
            root=tmp_path,
            log=tmp_path / "server.log",
            ready=ready,
        ) as port:
            assert port != busy
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                assert response.status == 200
    finally:
        taken.close()


def test_each_run_writes_to_its_own_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("BROWSER_ARTIFACTS", raising=False)
    runs = []
    for name in ("20260101-090000-1", "20260101-090500-2"):
        browser = load_conftest(f"browser_conftest_{name}")
        browser.ARTIFACTS_ROOT = tmp_path
        browser.ARTIFACTS = tmp_path / name
        folder = browser.run_artifacts()
        (folder / "latency.md").write_text(name)
        runs.append(folder)
    assert runs[0] != runs[1]
    assert [(f / "latency.md").read_text() for f in runs] == [f.name for f in runs]
    assert (tmp_path / "latest").resolve() == runs[1].resolve()


def test_browser_artifacts_chooses_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_ARTIFACTS", str(tmp_path / "mine"))
    browser = load_conftest("browser_conftest_env")
    assert browser.run_artifacts() == (tmp_path / "mine").resolve()
    assert (tmp_path / "mine").is_dir()


def test_the_earlier_form_of_serve_still_works(tmp_path):
    """A command with its port in it and ready() without argument (other tests use it)."""
    browser = load_conftest("browser_conftest_legacy")
    port = browser.free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-u", "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    with browser.serve(
        "http.server",
        command,
        base=tmp_path,
        root=tmp_path,
        log=tmp_path / "server.log",
        ready=lambda: urllib.request.urlopen(url, timeout=5).close(),
    ) as process:
        assert process.poll() is None
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200
    assert process.poll() is not None  # stopped at the end of the block
