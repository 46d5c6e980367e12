"""Every notebook run in JupyterLab in Chromium, and every demo control moved.

nbval runs the Python but never draws a widget. This test opens each notebook
in a real JupyterLab, clears it, runs all cells and then, in every
``helpers.widgets.Demo`` on the page (a ``.lesson-demo``), moves every control
the way a person does: arrow keys on the focused control, a mouse drag on
sliders, a new selection in dropdowns. After each move it checks that the
readout changed, that the figure was redrawn (a new image with different
pixels) and that no error showed; then it puts the control back and checks that
readout and figure are exactly as before. The time from input to the new image
on screen is measured in the page and reported (artifacts/browser/latency.*).

Controls are discovered in the page, so notebooks added later are covered
without editing this file; a control of a kind it cannot move fails the test
(teach it the new kind rather than skip it).
"""

from __future__ import annotations

import json
import os
import statistics
import time
import warnings
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest

# Median time from input to the redrawn figure on screen, per control. The
# target (issue 7) is reported (artifacts/browser/latency.md) and warned about,
# not asserted: the load of a shared 2-core machine changes the times severalfold.
# The limits fail the test. Measured on this machine (2 cores shared by seven
# sessions, load average 4.7 and 8): per-control medians at most 189 and 240 ms
# for the demos that redraw (408 ms at load 9 in an earlier run), at most 737 and
# 1087 ms for the lab (a demo with run buttons), whose first image of a new
# setting needs a new network. Three to four times that passes under such load
# and fails a demo grown several times slower (say one that recomputes what it
# caches on every event); smaller slowdowns are for benchmarks/widget_latency.py.
# BROWSER_LATENCY_LIMIT_MS sets both limits ("inf": no limit).
LATENCY_TARGET_MS = 150.0
LATENCY_LIMIT_MS = float(os.environ.get("BROWSER_LATENCY_LIMIT_MS", "1000"))
LAB_LATENCY_LIMIT_MS = float(os.environ.get("BROWSER_LATENCY_LIMIT_MS", "3000"))
RUN_ALL_TIMEOUT_MS = 120_000
REDRAW_TIMEOUT_MS = 30_000  # a demo that trains a network on a new setting takes seconds
QUIET_MS = 200  # no new image or readout for this long: the demo has settled

# Console messages that are not the project's fault. Each entry: (substring, why).
CONSOLE_ALLOWLIST: list[tuple[str, str]] = []

# Text that must never appear in a notebook after Run All.
WIDGET_FAILURES = (
    "Error displaying widget",
    "model not found",
    "Failed to load model class",
    "Could not create a view",
)

# In-page helpers: find demos, time input -> image, hash the figure's PNG.
PAGE_SCRIPT = r"""
window.__lesson = {
  panel() { return window.jupyterapp.shell.currentWidget; },
  demos() { return Array.from(document.querySelectorAll('.jp-NotebookPanel .lesson-demo')); },
  demo(i) { return this.demos()[i]; },
  img(demo) {
    const el = demo.querySelector('.lesson-figure');
    return el && el.tagName === 'IMG' ? el : demo.querySelector('.lesson-figure img');
  },
  text(demo, selector) {
    const el = demo.querySelector(selector);
    return el ? el.innerText.trim() : null;
  },
  state(i) {
    const demo = this.demo(i), img = this.img(demo);
    return {
      src: img ? img.src : null,
      loaded: !!img && img.complete && img.naturalWidth > 0,
      readout: this.text(demo, '.lesson-readout'),
      error: this.text(demo, '.lesson-error'),
    };
  },
  async digest(i) {
    const img = this.img(this.demo(i));
    const buffer = await (await fetch(img.src)).arrayBuffer();
    const hash = await crypto.subtle.digest('SHA-256', buffer);
    return Array.from(new Uint8Array(hash), b => b.toString(16).padStart(2, '0')).join('');
  },
  kernelIdle() {
    const kernel = this.panel().sessionContext.session?.kernel;
    return !!kernel && kernel.status === 'idle';
  },
  // Start timing one input. trigger: event types ('keydown,pointerdown') whose
  // first occurrence in the demo is the input, or 'value': the first change of
  // a slider handle's value (a drag, or a value typed into the slider's readout).
  arm(i, trigger, target) {
    this.disarm();
    const demo = this.demo(i), img = this.img(demo);
    const now = () => performance.now();
    const rec = {input: null, image: null, shown: null, changes: 0, activity: now(),
                 startSrc: img.src, startReadout: this.text(demo, '.lesson-readout'),
                 target: target ?? null};
    const undo = [];
    const onInput = () => { if (rec.input === null) rec.input = now(); rec.activity = now(); };
    if (trigger !== 'value') {
      for (const type of trigger.split(',')) {
        demo.addEventListener(type, onInput, true);
        undo.push(() => demo.removeEventListener(type, onInput, true));
      }
    } else {
      const handles = new MutationObserver(onInput);
      demo.querySelectorAll('.noUi-handle').forEach(
        h => handles.observe(h, {attributes: true,
                                 attributeFilter: ['aria-valuenow', 'aria-valuetext']}));
      undo.push(() => handles.disconnect());
    }
    const src = new MutationObserver(() => {
      if (img.src === rec.startSrc) return;
      rec.changes += 1;
      rec.activity = now();
      if (rec.image === null) rec.image = now();
    });
    src.observe(img, {attributes: true, attributeFilter: ['src']});
    undo.push(() => src.disconnect());
    const onLoad = () => {
      rec.activity = now();
      if (rec.image !== null && rec.shown === null) rec.shown = now();
    };
    img.addEventListener('load', onLoad);
    undo.push(() => img.removeEventListener('load', onLoad));
    const text = new MutationObserver(() => { rec.activity = now(); });
    for (const selector of ['.lesson-readout', '.lesson-error']) {
      const el = demo.querySelector(selector);
      if (el) text.observe(el, {subtree: true, childList: true, characterData: true});
    }
    undo.push(() => text.disconnect());
    this.armed = {rec, undo};
  },
  disarm() {
    if (this.armed) this.armed.undo.forEach(f => f());
    const rec = this.armed ? this.armed.rec : null;
    this.armed = null;
    return rec;
  },
  // True once the figure or the readout changed (or the readout is the target
  // one, or an error showed) and all is quiet. (A Demo sends its new figure
  // before its new readout.)
  settled(i, quietMs) {
    const rec = this.armed.rec, state = this.state(i);
    const changed = rec.target === null
      ? (rec.changes > 0 && state.loaded) || state.readout !== rec.startReadout
      : state.readout === rec.target && (rec.changes === 0 || state.loaded);
    const reacted = changed || !!state.error;
    return reacted && this.kernelIdle() && performance.now() - rec.activity > quietMs;
  },
};
"""


@dataclass
class Report:
    """Input-to-image latencies of one notebook, by control."""

    notebook: str
    samples: dict[str, list[float]] = field(default_factory=dict)
    actions: dict[str, list[str]] = field(default_factory=dict)  # "action: ms", in order
    run_all_s: float = 0.0
    total_s: float = 0.0  # the whole test of this notebook

    def add(self, control: str, action: str, ms: float) -> None:
        self.samples.setdefault(control, []).append(round(ms, 1))
        self.actions.setdefault(control, []).append(f"{action}: {ms:.0f} ms")

    def summary(self) -> dict:
        every = [ms for values in self.samples.values() for ms in values]
        return {
            "run_all_s": round(self.run_all_s, 1),
            "total_s": round(self.total_s, 1),
            "controls": {
                name: {
                    "median_ms": round(statistics.median(v), 1),
                    "worst_ms": max(v),
                    "samples": len(v),
                    "actions": self.actions[name],
                }
                for name, v in self.samples.items()
            },
            "median_ms": round(statistics.median(every), 1) if every else None,
            "worst_ms": max(every) if every else None,
        }


@pytest.fixture(scope="session")
def latency_reports(artifacts):
    reports: dict[str, dict] = {}
    yield reports
    if not reports:
        return
    (artifacts / "latency.json").write_text(json.dumps(reports, indent=2) + "\n")
    lines = [
        "# Input-to-image latency in JupyterLab (headless Chromium)",
        "",
        f"Target: median <= {LATENCY_TARGET_MS:.0f} ms per control "
        f"(limit for failing: {LATENCY_LIMIT_MS:.0f} ms, the lab {LAB_LATENCY_LIMIT_MS:.0f} ms)."
        " Load average at the end: "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores.",
        "",
        "| notebook | controls | over target | median (ms) | worst (ms) | Run All (s) | test (s) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, summary in sorted(reports.items()):
        lines.append(
            f"| {name} | {len(summary['controls'])} | "
            f"{sum(n['median_ms'] > LATENCY_TARGET_MS for n in summary['controls'].values())} | "
            f"{summary['median_ms']} | "
            f"{summary['worst_ms']} | {summary['run_all_s']} | {summary['total_s']} |"
        )
    lines += [
        "",
        "| notebook | control | median (ms) | worst (ms) | samples |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, summary in sorted(reports.items()):
        for control, numbers in summary["controls"].items():
            lines.append(
                f"| {name} | {control} | {numbers['median_ms']} | "
                f"{numbers['worst_ms']} | {numbers['samples']} |"
            )
    (artifacts / "latency.md").write_text("\n".join(lines) + "\n")


def handle_position(handle) -> tuple[float, float, float]:
    """A slider handle's (low, high, now) on the slider's own scale.

    Read from noUiSlider itself: its aria-valuenow is rounded to one decimal,
    and a log slider's scale is the exponent (fine: only compared with itself).
    """
    return tuple(
        handle.evaluate(
            """h => {
              const api = h.closest('.noUi-target').noUiSlider;
              const value = api.get(true), i = Number(h.dataset.handle || 0);
              const range = api.options.range;
              return [range.min, range.max, Array.isArray(value) ? value[i] : value]
                .map(v => Number(Array.isArray(v) ? v[0] : v));
            }"""
        )
    )


class Demo:
    """One ``.lesson-demo`` in the page: act on a control, check what happened."""

    def __init__(self, page, index: int, report: Report):
        self.page, self.index, self.report = page, index, report
        self.element = page.locator(".jp-NotebookPanel .lesson-demo").nth(index)

    def state(self) -> dict:
        return self.page.evaluate("i => __lesson.state(i)", self.index)

    def digest(self) -> str:
        for attempt in range(3):
            try:
                return self.page.evaluate("i => __lesson.digest(i)", self.index)
            except Exception:  # the blob was replaced between reading src and fetching it
                if attempt == 2:
                    raise
                time.sleep(0.2)
        raise AssertionError("unreachable")

    def act(
        self,
        control: str,
        action: str,
        do,
        *,
        expect: str,
        trigger: str = "keydown,pointerdown",
        baseline: dict | None = None,
        figure: str = "may",
    ) -> bool:
        """Do one input and check the demo's response; return whether the figure changed.

        expect 'change': the readout differs from before the input, and so does
        the figure if ``figure='must'`` (one slider step may leave the figure as
        it is, e.g. a threshold that moves only at powers of two: the larger
        move of the mouse drag must change it);
        expect 'restore': readout and figure equal ``baseline`` (the start).
        """
        where = f"demo {self.index + 1}, control {control!r}, {action}"
        before = self.state()
        before["digest"] = self.digest()
        # Putting back waits for the old readout: several inputs may be in flight.
        target = baseline["readout"] if expect == "restore" else None
        self.page.evaluate("([i, t, r]) => __lesson.arm(i, t, r)", [self.index, trigger, target])
        do()
        try:
            self.page.wait_for_function(
                "([i, q]) => __lesson.settled(i, q)",
                arg=[self.index, QUIET_MS],
                timeout=REDRAW_TIMEOUT_MS,
                polling=50,
            )
        except Exception as error:
            rec = self.page.evaluate("() => __lesson.disarm()")
            if rec["input"] is None:
                reason = "the control did not react to the input"
            elif expect == "restore":
                reason = f"the readout did not come back to {target!r}"
            else:
                reason = "neither the readout nor the figure changed"
            raise AssertionError(
                f"{where}: {reason} within {REDRAW_TIMEOUT_MS / 1000:.0f} s "
                f"(controls show {self.control_values()}) "
                f"(readout now {self.state()['readout']!r})"
            ) from error
        rec = self.page.evaluate("() => __lesson.disarm()")
        after = self.state()
        assert not after["error"], f"{where}: the demo shows an error: {after['error']}"
        after["digest"] = self.digest()
        assert rec["input"] is not None, f"{where}: no input event reached the demo"
        if expect == "change":
            assert after["readout"] != before["readout"], (
                f"{where}: the readout did not change ({after['readout']!r})"
            )
            assert figure == "may" or after["digest"] != before["digest"], (
                f"{where}: the readout changed but the figure did not: "
                "the figure does not follow the control"
            )
        else:
            assert after["readout"] == baseline["readout"], (
                f"{where}: putting the control back did not restore the readout: "
                f"{after['readout']!r} instead of {baseline['readout']!r}"
            )
            assert after["digest"] == baseline["digest"], (
                f"{where}: putting the control back did not restore the figure "
                "(it depends on the path taken, not only on the controls)"
            )
        if rec["shown"] is not None:
            self.report.add(
                f"demo {self.index + 1}: {control}", action, rec["shown"] - rec["input"]
            )
        return after["digest"] != before["digest"]

    def control_values(self) -> list[str]:
        """What the controls show (slider readouts, selections), for messages."""
        return self.element.locator(".widget-readout, select, input").evaluate_all(
            "els => els.map(e => e.value ?? e.innerText)"
        )

    def baseline(self) -> dict:
        state = self.state()
        state["digest"] = self.digest()
        return state

    # --- the kinds of control -------------------------------------------------

    def move_slider(self, name: str, slider) -> None:
        handles = slider.locator(".noUi-handle")
        for h in range(handles.count()):
            handle = handles.nth(h)
            label = name if handles.count() == 1 else f"{name}[{h}]"
            self._move_slider_handle(label, slider, handle)

    def _move_slider_handle(self, name, slider, handle) -> None:
        page = self.page
        vertical = handle.get_attribute("aria-orientation") == "vertical"
        low, high, now = handle_position(handle)
        upward = (high - now) >= (now - low)  # move towards the side with more room
        up_key, down_key = ("ArrowUp", "ArrowDown") if vertical else ("ArrowRight", "ArrowLeft")
        forward, back = (up_key, down_key) if upward else (down_key, up_key)
        start = self.baseline()

        handle.focus()
        self.act(name, f"key {forward}", lambda: page.keyboard.press(forward), expect="change")
        step = abs(handle_position(handle)[2] - now)  # one key press
        self.act(
            name, f"key {back}", lambda: page.keyboard.press(back), expect="restore", baseline=start
        )

        # A mouse drag: press on the handle, move part of the way to the far end.
        handle.scroll_into_view_if_needed()
        box, track = handle.bounding_box(), slider.locator(".noUi-base").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        if vertical:
            room = (y - track["y"]) if upward else (track["y"] + track["height"] - y)
            dx, dy = 0.0, -0.6 * room if upward else 0.6 * room
        else:
            room = (track["x"] + track["width"] - x) if upward else (x - track["x"])
            dx, dy = (0.6 * room if upward else -0.6 * room), 0.0

        def drag():
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x + dx, y + dy, steps=8)
            page.mouse.up()

        self.act(name, "mouse drag", drag, expect="change", trigger="value", figure="must")

        # Put it back with the mouse: grab the handle where it is now and drag
        # it to where it started; then arrow keys for the last steps (a pixel
        # can be worth several steps of a fine slider).
        def drag_back():
            moved = handle.bounding_box()
            mx, my = moved["x"] + moved["width"] / 2, moved["y"] + moved["height"] / 2
            # Where the old value lies on the track now (the track may have
            # moved: the readout beside it changes width with its text).
            track = slider.locator(".noUi-base").bounding_box()
            share = (now - low) / (high - low) if high > low else 0.0
            if vertical:
                tx, ty = mx, track["y"] + track["height"] * (1 - share)
            else:
                tx, ty = track["x"] + track["width"] * share, my
            page.mouse.move(mx, my)
            page.mouse.down()
            page.mouse.move(tx, ty, steps=8)
            page.mouse.up()
            handle.focus()
            for _ in range(60):
                value = handle_position(handle)[2]
                if abs(value - now) <= step / 2:
                    break
                page.keyboard.press(up_key if value < now else down_key)

        self.act(
            name, "mouse drag back", drag_back, expect="restore", baseline=start, trigger="value"
        )

    def move_dropdown(self, name: str, select) -> None:
        page = self.page
        options = select.locator("option").evaluate_all("os => os.map(o => o.value)")
        if len(options) < 2:
            return
        start = self.baseline()
        original = select.input_value()
        key = "ArrowUp" if options.index(original) == len(options) - 1 else "ArrowDown"

        # Open it with a click, then the arrow key and Enter. (Arrow keys on a
        # dropdown that is merely focused are taken by JupyterLab's command
        # mode to move between cells: ipywidgets issue #3912, still open.)
        def choose_by_keyboard():
            select.click()
            page.keyboard.press(key)
            page.keyboard.press("Enter")

        # Each option must change the readout; the figure must change for at
        # least one (two options may draw the same, e.g. an init that is the
        # usual one for this activation): go on down the list until it does.
        for _ in range(len(options) - 1):
            if self.act(
                name, f"click, {key}, Enter", choose_by_keyboard, expect="change", trigger="change"
            ):
                break
            if select.input_value() in (options[0], options[-1]):
                break
        if self.digest() == start["digest"]:
            raise AssertionError(
                f"demo {self.index + 1}, control {name!r}: the readout followed every option "
                "but the figure never changed: the figure does not follow the control"
            )
        self.act(
            name,
            "select",
            lambda: select.select_option(original),
            expect="restore",
            baseline=start,
            trigger="change",
        )

    def move_checkbox(self, name: str, box) -> None:
        start = self.baseline()
        box.focus()
        self.act(
            name,
            "key Space",
            lambda: self.page.keyboard.press("Space"),
            expect="change",
            figure="must",
        )
        self.act(name, "click", lambda: box.click(), expect="restore", baseline=start)

    def move_number(self, name: str, field_) -> None:
        page = self.page
        start = self.baseline()
        field_.focus()

        def step(key):
            page.keyboard.press(key)
            page.keyboard.press("Enter")

        self.act(
            name,
            "key ArrowUp",
            lambda: step("ArrowUp"),
            expect="change",
            trigger="change",
            figure="must",
        )
        self.act(
            name,
            "key ArrowDown",
            lambda: step("ArrowDown"),
            expect="restore",
            baseline=start,
            trigger="change",
        )

    def move_toggle_buttons(self, name: str, group) -> None:
        buttons = group.locator("button")
        if buttons.count() < 2:
            return
        start = self.baseline()
        pressed = [
            b
            for b in range(buttons.count())
            if "mod-active" in (buttons.nth(b).get_attribute("class") or "")
        ]
        original = pressed[0] if pressed else 0
        other = 1 if original == 0 else 0
        self.act(name, "click", lambda: buttons.nth(other).click(), expect="change", figure="must")
        buttons.nth(original).focus()
        self.act(
            name,
            "key Space",
            lambda: self.page.keyboard.press("Space"),
            expect="restore",
            baseline=start,
        )

    def move_every_control(self) -> int:
        """Move each control of this demo; return how many there were."""
        # Leaves: the children of the demo's boxes (recursively) that are not
        # boxes themselves, nor the demo's own figure/readout/caption/error.
        # (By position, not by class: a SelectionSlider lacks .jupyter-widgets.)
        kinds = self.page.evaluate(
            """i => {
              const demo = __lesson.demo(i);
              const parts = ['lesson-figure', 'lesson-readout', 'lesson-caption', 'lesson-error',
                             'lesson-style'];
              const leaves = [];
              const walk = box => {
                for (const el of box.children) {
                  if (el.classList.contains('widget-container')) walk(el);
                  else if (!parts.some(p => el.classList.contains(p)) && el.checkVisibility())
                    leaves.push(el);  // a hidden control (not in use) cannot be moved
                }
              };
              walk(demo);
              return leaves.map((el, n) => {
                el.setAttribute('data-lesson-control', `${i}-${n}`);
                const label = Array.from(el.querySelectorAll('.widget-label, .widget-label-basic'))
                  .map(l => l.innerText.replace(/\u200b/g, '').trim()).find(t => t) || '';
                return {classes: Array.from(el.classList), label};
              });
            }""",
            self.index,
        )
        moved = 0
        for n, kind in enumerate(kinds):
            classes = set(kind["classes"])
            name = kind["label"].strip() or f"control {n + 1}"
            leaf = self.page.locator(f'[data-lesson-control="{self.index}-{n}"]')
            if "widget-slider" in classes:
                self.move_slider(name, leaf)
            elif "widget-dropdown" in classes:
                self.move_dropdown(name, leaf.locator("select"))
            elif "widget-checkbox" in classes:
                self.move_checkbox(name, leaf.locator("input[type=checkbox]"))
            elif "widget-toggle-buttons" in classes:
                self.move_toggle_buttons(name, leaf)
            elif "widget-text" in classes and leaf.locator("input[type=number]").count():
                self.move_number(name, leaf.locator("input[type=number]"))
            elif classes & {"widget-html", "widget-htmlmath", "widget-label"}:
                continue  # text shown next to the controls, nothing to move
            elif classes & {"widget-button", "widget-toggle-button"}:
                continue  # the lab's run buttons (pause, step, restart): test_lab_live.py
            else:
                pytest.fail(
                    f"demo {self.index + 1}: control {name!r} is a kind this test cannot "
                    f"move yet ({' '.join(sorted(classes))}); teach move_every_control it",
                    pytrace=False,
                )
            moved += 1
        return moved


def open_and_run_all(page, lab_server, notebook: str, report: Report) -> list[dict]:
    """Open the notebook, clear it, Run All, wait for idle; return its code cells."""
    page.goto(f"{lab_server.url}/lab/tree/{quote(notebook)}?reset&token={lab_server.token}")
    page.wait_for_function(
        "name => { const w = window.jupyterapp?.shell?.currentWidget;"
        " return !!w && !!w.sessionContext && w.context?.path === name; }",
        arg=notebook,
        timeout=60_000,
    )
    started = time.perf_counter()
    ok = page.evaluate(
        """async timeout => {
          const app = window.jupyterapp, panel = app.shell.currentWidget;
          await panel.context.ready;
          await panel.sessionContext.ready;
          app.shell.collapseLeft();  // more room for the notebook (and the screenshot)
          await app.commands.execute('notebook:clear-all-cell-outputs');
          const run = app.commands.execute('notebook:run-all-cells');
          const late = new Promise((_, reject) => setTimeout(
            () => reject(new Error(`Run All took more than ${timeout / 1000} s`)), timeout));
          return await Promise.race([run, late]);
        }""",
        RUN_ALL_TIMEOUT_MS,
    )
    page.wait_for_function("() => __lesson.kernelIdle()", timeout=RUN_ALL_TIMEOUT_MS)
    report.run_all_s = time.perf_counter() - started
    cells = page.evaluate(
        """() => {
          const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
          const result = [];
          for (let i = 0; i < cells.length; i++) {
            const cell = cells.get(i);
            if (cell.type !== 'code') continue;
            const outputs = [];
            for (let j = 0; j < cell.outputs.length; j++) {
              const o = cell.outputs.get(j).toJSON();
              const text = Array.isArray(o.text) ? o.text.join('') : (o.text || '');
              outputs.push({type: o.output_type, name: o.name || null, text,
                            ename: o.ename || null, evalue: o.evalue || null,
                            mimes: Object.keys(o.data || {})});
            }
            result.push({index: i + 1, count: cell.executionCount,
                         source: cell.sharedModel.getSource(), outputs});
          }
          return result;
        }"""
    )
    for cell in cells:
        where = f"{notebook}, cell {cell['index']} ({cell['source'].strip()[:60]!r})"
        for output in cell["outputs"]:
            assert output["type"] != "error", (
                f"{where} raised {output['ename']}: {output['evalue']}"
            )
            # Notebooks print no warnings (team rule); a traceback on stderr is worse.
            assert output["name"] != "stderr", f"{where} wrote to stderr:\n{output['text']}"
        if cell["source"].strip():
            assert cell["count"] is not None, f"{where} was not run by Run All"
    assert ok is not False, f"{notebook}: Run All reported a failure"
    return cells


def wait_for_widgets(page, notebook: str, expected: int) -> None:
    """Wait until every widget output is drawn; fail on a widget error message."""
    try:
        page.wait_for_function(
            """([expected, failures]) => {
              const outputs = Array.from(
                document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output'));
              const drawn = outputs.filter(o => o.querySelector(':scope > .jupyter-widgets'));
              const failed = outputs.some(o => failures.some(f => o.innerText.includes(f)));
              return failed || (drawn.length >= expected &&
                __lesson.demos().every((d, i) => __lesson.state(i).loaded));
            }""",
            arg=[expected, list(WIDGET_FAILURES)],
            timeout=30_000,
        )
    except Exception as error:
        drawn = page.locator(".jp-NotebookPanel .jp-OutputArea-output > .jupyter-widgets").count()
        raise AssertionError(
            f"{notebook}: {expected} widget outputs after Run All, but {drawn} were drawn "
            "as widgets with their figures within 30 s (is the widget extension installed "
            "and matching ipywidgets?)"
        ) from error
    text = page.locator(".jp-NotebookPanel .jp-Notebook").inner_text()
    for failure in WIDGET_FAILURES:
        assert failure not in text, f"{notebook}: the page shows {failure!r}:\n" + "\n".join(
            line for line in text.splitlines() if failure in line
        )


def screenshot(page, notebook: str, path) -> None:
    """The whole notebook in one image: a viewport as tall as the notebook."""
    size = page.viewport_size
    height = page.evaluate(
        """() => {
          const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
          scroller.scrollTop = 0;
          return scroller.scrollHeight + (window.innerHeight - scroller.clientHeight);
        }"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 20, 16_000)})
    try:
        page.wait_for_timeout(300)  # let the layout follow the new size
        page.screenshot(path=path)
    finally:
        page.set_viewport_size(size)


def log_console_messages(page) -> str:
    """What JupyterLab's log console holds (kernel output outside any cell, such
    as an exception in a widget callback), or '' when it is empty."""
    count = page.evaluate(
        """() => {
          const item = document.querySelector('.jp-LogConsoleStatusItem');
          return item && !item.classList.contains('lm-mod-hidden') ? item.innerText.trim() : '';
        }"""
    )
    if not count or count == "0":
        return ""
    page.evaluate("() => window.jupyterapp.commands.execute('logconsole:open')")
    try:
        panel = page.locator(".jp-LogConsolePanel").first
        panel.wait_for(timeout=5_000)
        return f"{count} message(s):\n{panel.inner_text().strip()[:3000]}"
    except Exception:
        return f"{count} message(s) (the log console did not open to show them)"


def screenshot_element(page, element, path) -> None:
    """A screenshot of one element, with a viewport tall enough to show all of it."""
    size = page.viewport_size
    height = element.bounding_box()["height"]
    if height + 200 > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": int(height) + 300})
    try:
        element.scroll_into_view_if_needed()
        element.screenshot(path=path)
    finally:
        page.set_viewport_size(size)


def test_notebook_in_browser(notebook, lab_server, browser, latency_reports, artifacts):
    report = Report(notebook)
    started = time.perf_counter()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    problems: list[str] = []

    def on_console(message):
        if message.type != "error":
            return
        if not any(known in message.text for known, _why in CONSOLE_ALLOWLIST):
            problems.append(f"console error: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught JavaScript error: {error}"))
    page.add_init_script(PAGE_SCRIPT)
    try:
        cells = open_and_run_all(page, lab_server, notebook, report)
        widget_outputs = sum(
            "application/vnd.jupyter.widget-view+json" in output["mimes"]
            for cell in cells
            for output in cell["outputs"]
        )
        wait_for_widgets(page, notebook, widget_outputs)
        stem = notebook.removesuffix(".ipynb")
        screenshot(page, notebook, artifacts / f"{stem}.png")
        assert not problems, f"{notebook} after Run All:\n" + "\n".join(problems)
        errors = page.locator(".jp-NotebookPanel .lesson-demo .lesson-error").all_inner_texts()
        assert not any(e.strip() for e in errors), f"{notebook}: a demo shows an error: {errors}"

        demos = page.locator(".jp-NotebookPanel .lesson-demo").count()
        labs = set()  # demos that train a network for a new setting
        for index in range(demos):
            demo = Demo(page, index, report)
            if demo.element.locator(".lesson-lab-status").count():
                labs.add(f"demo {index + 1}")
            demo.move_every_control()
            # Each demo as it is left (every control put back), at full size.
            screenshot_element(page, demo.element, artifacts / f"{stem}-demo{index + 1}.png")
        assert not problems, f"{notebook} while moving controls:\n" + "\n".join(problems)
        logged = log_console_messages(page)
        assert not logged, f"{notebook}: JupyterLab's log console has {logged}"
    finally:
        context.close()
        lab_server.shutdown_kernels()
        if report.samples or report.run_all_s:
            report.total_s = time.perf_counter() - started
            latency_reports[notebook] = report.summary()

    controls = report.summary()["controls"]
    over = {
        name: n["median_ms"] for name, n in controls.items() if n["median_ms"] > LATENCY_TARGET_MS
    }
    if over:
        warnings.warn(
            f"{notebook}: median input-to-image above the {LATENCY_TARGET_MS:.0f} ms target "
            f"for {over}",
            stacklevel=1,
        )

    def limit(name: str) -> float:
        return LAB_LATENCY_LIMIT_MS if name.split(":")[0] in labs else LATENCY_LIMIT_MS

    slow = {
        name: f"{ms} ms > {limit(name):.0f} ms" for name, ms in over.items() if ms > limit(name)
    }
    assert not slow, f"{notebook}: median input-to-image above the limit for {slow}"
