"""The presenting path: every notebook in Voila, at lecture sizes, every control live.

``python3 run.py present`` serves the notebooks with Voila (code-free pages
whose widgets are live; RISE shows ipywidgets 8 widgets only as text) with
LESSONS_LECTURE=1. This test does the same on a copy of the notebooks, opens
each notebook in Chromium at a projector's resolution and, in every demo
(``.lesson-demo``), moves every control: keyboard first (focus, then arrow keys
or a new selection), then the mouse, checking after each move that the figure
and the text readout changed, and that putting the control back restores them.
The moving and checking is issue 7's (``test_notebooks_in_browser.Demo``),
pointed at Voila's page instead of JupyterLab's.

It also checks that lecture mode reached the page: the demos are in lecture
mode, with larger controls and text (the figures' sizes are checked in
tests/test_accessibility.py). A
screenshot of the first demo of each notebook goes to this run's
artifacts/browser/<run-id>/presenting/.

The server is started exactly as ``python3 run.py present`` starts it
(``run.present_command``: tools/present_server.py, a token, Jupyter server's
Host check), and one test shows that its guards hold: a request without the
token and one with a foreign Host header are refused, one with both right is
served, and the browser is opened on the address with the token.

No request leaves the machine: the page's requests to other hosts (Voila's
template asks a CDN for an icon font) are refused, as in a lecture hall
without network.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import (
    NOT_COURSE,
    NOTEBOOKS,
    PORT_TAKEN,
    PresentServer,
    course_notebooks,
    free_port,
    present,
    run_artifacts,
    stop,
)
from test_notebooks_in_browser import PAGE_SCRIPT, WIDGET_FAILURES, Report
from test_notebooks_in_browser import Demo as LabDemo

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = run_artifacts() / "presenting"  # this run's own folder (conftest)

PROJECTOR = {"width": 1280, "height": 720}  # a common projector resolution
LOAD_TIMEOUT_MS = 120_000  # Voila runs the whole notebook before the page shows
PRELOAD = 2  # pages loading ahead of the one under test (their kernels run meanwhile)

# Voila's page has no JupyterLab panel or kernel status: point issue 7's page
# helpers at Voila's demos; a redraw is over when the page has been quiet.
VOILA_SCRIPT = r"""
window.__lesson.demos = () => Array.from(document.querySelectorAll('.lesson-demo'));
window.__lesson.kernelIdle = () => true;
"""

# What the page must show once Voila has run the notebook.
VOILA_FAILURES = (*WIDGET_FAILURES, "There was an error when executing cell")


class VoilaDemo(LabDemo):
    """Issue 7's demo driver on Voila's page; sliders by keyboard only (fast).

    Dropdowns, check boxes and number fields are moved by keyboard first by
    issue 7's driver already; the mouse drags of sliders are its own test's job.
    """

    def __init__(self, page, index: int, report: Report):
        super().__init__(page, index, report)
        self.element = page.locator(".lesson-demo").nth(index)

    def _move_slider_handle(self, name, slider, handle) -> None:
        page = self.page
        vertical = handle.get_attribute("aria-orientation") == "vertical"
        low = float(handle.get_attribute("aria-valuemin"))
        high = float(handle.get_attribute("aria-valuemax"))
        now = float(handle.get_attribute("aria-valuenow"))
        up, down = ("ArrowUp", "ArrowDown") if vertical else ("ArrowRight", "ArrowLeft")
        forward, back = (up, down) if (high - now) >= (now - low) else (down, up)
        start = self.baseline()
        handle.focus()
        self.act(name, f"key {forward}", lambda: page.keyboard.press(forward), expect="change")
        self.act(
            name, f"key {back}", lambda: page.keyboard.press(back), expect="restore", baseline=start
        )


def demo_count(notebook: Path) -> int:
    """How many Demo widgets the committed notebook displays (from its saved state)."""
    nb = json.loads(notebook.read_text())
    state = nb["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    models = state.get("state", {})
    count = 0
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view and "lesson-demo" in models.get(view["model_id"], {}).get("state", {}).get(
                "_dom_classes", []
            ):
                count += 1
    return count


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory, chromium_path):
    """Voila serving a copy of the notebooks, started as ``python3 run.py present`` does."""
    base = tmp_path_factory.mktemp("voila")
    root = base / "notebooks"
    shutil.copytree(NOTEBOOKS, root, ignore=NOT_COURSE)
    with present(root, base=base, log=SCREENSHOTS / "voila.log", name="presenting-test") as server:
        yield server


def request(port: int, path: str, host: str) -> tuple[int, str, str]:
    """(status, Location header, body) of a GET with this Host header; no redirect followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.getheader("Location") or "", response.read().decode()
    finally:
        connection.close()


BROWSER_RECORDER = """#!/bin/sh
# Stands in for the web browser: records the address it was asked to open.
echo "$1" >> "{opened}"
"""


def test_present_command_serves_a_notebook_only_with_token_and_local_host(tmp_path):
    """`python3 run.py present <notebook>` (the README's command): guarded, and it serves.

    The browser (a script on $BROWSER here) is opened on the address with the
    token; without the token the page is refused (sent to the login page), with
    a foreign Host header (DNS rebinding) it is refused even with the token.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log = SCREENSHOTS / "present_command.log"
    opened = tmp_path / "opened.txt"
    recorder = tmp_path / "browser.sh"
    recorder.write_text(BROWSER_RECORDER.format(opened=opened))
    recorder.chmod(0o755)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path), BROWSER=f"{recorder} %s")
    env.pop("LESSONS_PRESENT_TOKEN", None)  # run.py makes a random one
    for _ in range(5):  # a port taken by another run meanwhile: another port
        port = free_port()
        with open(log, "wb") as log_file:
            process = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "run.py"),
                    "present",
                    "notebooks/00_start_here.ipynb",
                    f"--port={port}",
                    "--Voila.port_retries=0",
                ],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            deadline = time.monotonic() + 90
            address = None
            while address is None and process.poll() is None:
                found = re.search(rf"http://127\.0\.0\.1:{port}/\?token=([\w-]+)", log.read_text())
                if found:
                    address, token = found.group(0), found.group(1)
                    break
                assert time.monotonic() < deadline, f"present printed no address in 90 s; see {log}"
                time.sleep(0.5)
            if address is None:
                text = log.read_text()
                assert any(sign in text for sign in PORT_TAKEN), f"present exited early; see {log}"
                continue

            local = f"127.0.0.1:{port}"
            status, location, page = request(port, f"/?token={token}", local)
            assert status == 200, f"with the token: {status}; see {log}"
            assert "How to use the sliders" in page  # the prose is there ...
            assert "check_setup()" not in page  # ... the code is not
            assert request(port, f"/?token={token}", f"localhost:{port}")[0] == 200

            status, location, page = request(port, "/", local)  # no token
            assert status in (302, 401, 403) and "How to use the sliders" not in page, status
            if status == 302:
                assert location.startswith("/login"), location
            status, _, page = request(port, "/?token=wrong", local)
            assert status in (302, 401, 403) and "How to use the sliders" not in page, status

            for foreign in (f"evil.example:{port}", "evil.example", f"192.0.2.1:{port}"):
                status, _, page = request(port, f"/?token={token}", foreign)
                assert status == 403 and "How to use the sliders" not in page, (foreign, status)

            # The browser was opened on the address with the token, which works.
            deadline = time.monotonic() + 30
            while not opened.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert opened.exists(), "run.py present opened no browser"
            assert opened.read_text().split() == [address]
            with urllib.request.urlopen(address, timeout=120) as response:
                assert "How to use the sliders" in response.read().decode()
            return
        finally:
            stop(process)
    pytest.fail(f"present: 5 ports in a row were taken by others; see {log}")


class VoilaPages:
    """Browser pages on Voila, one per notebook, the next one loading in advance.

    Voila runs a notebook before its page is complete (seconds). While the
    test moves the controls of one notebook, the next ``PRELOAD`` notebooks'
    pages are already loading (their kernels run in their own processes),
    which keeps the whole test under about two minutes.
    """

    def __init__(self, browser, voila: PresentServer):
        self.browser, self.voila, self.server = browser, voila, voila.url
        self.open: dict[str, tuple] = {}

    def load(self, notebook: str) -> None:
        if notebook in self.open:
            return
        context = self.browser.new_context(viewport=PROJECTOR)
        page = context.new_page()
        page.set_default_timeout(30_000)
        problems: list[str] = []
        server = self.server

        # Offline, as in a lecture hall: only this machine answers.
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(server) else route.abort()
            ),
        )

        def on_console(message):
            if message.type != "error":
                return
            where = (message.location or {}).get("url", "")
            if "Failed to load resource" in message.text and not where.startswith(server):
                return  # a refused request to another host (icon font)
            problems.append(f"console error: {message.text} ({where})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"uncaught JavaScript error: {error}"))
        page.add_init_script(PAGE_SCRIPT)
        page.add_init_script(VOILA_SCRIPT)
        page.goto(
            self.voila.page(f"/voila/render/{quote(notebook)}"),
            wait_until="commit",
            timeout=LOAD_TIMEOUT_MS,
        )
        self.open[notebook] = (context, page, problems, time.perf_counter())

    def take(self, notebook: str):
        self.load(notebook)
        return self.open.pop(notebook)

    def close(self) -> None:
        for context, *_ in self.open.values():
            context.close()
        self.open.clear()


@pytest.fixture(scope="module")
def voila_pages(voila_server, browser):
    pages = VoilaPages(browser, voila_server)
    yield pages
    pages.close()


def test_notebook_presented_live(notebook, voila_pages):
    expected = demo_count(NOTEBOOKS / notebook)
    context, page, problems, started = voila_pages.take(notebook)
    names = course_notebooks()
    for following in names[names.index(notebook) + 1 :][:PRELOAD]:
        voila_pages.load(following)
    report = Report(notebook)
    try:
        page.wait_for_load_state("load", timeout=LOAD_TIMEOUT_MS)
        page.wait_for_function(
            """expected => {
              const demos = __lesson.demos();
              return demos.length >= expected &&
                demos.every((d, i) => __lesson.state(i).loaded);
            }""",
            arg=expected,
            timeout=LOAD_TIMEOUT_MS,
        )
        report.run_all_s = time.perf_counter() - started
        text = page.locator("body").inner_text()
        for failure in VOILA_FAILURES:
            assert failure not in text, f"{notebook} in Voila shows {failure!r}:\n" + "\n".join(
                line for line in text.splitlines() if failure in line
            )
        assert "Traceback" not in text, f"{notebook} in Voila shows a traceback:\n{text[-3000:]}"
        demos = page.locator(".lesson-demo")
        assert demos.count() == expected, f"{notebook}: {demos.count()} demos, {expected} expected"

        for index in range(expected):
            demo = demos.nth(index)
            error = page.evaluate("i => __lesson.state(i).error", index)
            assert not error, f"{notebook}, demo {index + 1} shows an error: {error}"
            # Lecture mode reached the demo: enlarged controls (figure sizes: test_accessibility).
            assert "lesson-lecture" in (demo.get_attribute("class") or ""), (
                f"{notebook}, demo {index + 1}: not in lecture mode although "
                "LESSONS_LECTURE=1 (does the setup cell call use_style()?)"
            )
            label_px = demo.locator(".widget-label").first.evaluate(
                "el => parseFloat(getComputedStyle(el).fontSize)"
            )
            assert label_px >= 18, f"{notebook}, demo {index + 1}: labels at {label_px} px"

        if expected:
            # Keyboard users see where they are: a focus ring on the first control.
            first = demos.first.locator(".noUi-handle, select, input, button").first
            first.focus()
            ring = first.evaluate(
                "el => { const s = getComputedStyle(el);"
                " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
            )
            assert ring[0] != "none" and ring[1] >= 2, (
                f"{notebook}: the focused control shows no focus ring ({ring})"
            )
            demos.first.scroll_into_view_if_needed()
            page.screenshot(path=SCREENSHOTS / f"{notebook.removesuffix('.ipynb')}.png")
        assert not problems, f"{notebook} in Voila:\n" + "\n".join(problems)

        moving = time.perf_counter()
        for index in range(expected):
            VoilaDemo(page, index, report).move_every_control()
        print(
            f"{notebook}: page ready in {report.run_all_s:.1f} s, "
            f"controls moved in {time.perf_counter() - moving:.1f} s"
        )
        assert not problems, f"{notebook} in Voila while moving controls:\n" + "\n".join(problems)
    finally:
        context.close()
