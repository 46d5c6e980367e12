"""The deep-network lab trains live in JupyterLab: frames, cancelling, pause, step, options.

A small notebook with one ``TrainingLab`` is written into the test server's
folder, opened and run in Chromium. Then, as a student would:

* a new activation is chosen: new pictures arrive *while* the network trains
  (several frames, the readout's step growing) and the run ends "finished";
* a control is moved mid-run: the old run stops (no frame of the old setting
  after the new one's first) and the new run's pictures appear and finish;
* pause stops the frames and the step count, step advances one chunk, resume
  finishes the run;
* skip connections and then batch normalisation are switched on (issue 14):
  each time the picture and the readout change, the readout says what is on,
  and no error shows. The same for the depth explorer, in its own notebook.

Input-to-first-image times and frame rates are measured in the page and
written to ``artifacts/browser/lab-live.md``, not asserted here: these are single
inputs; test_notebooks_in_browser.py fails the lab's per-control medians above
its limit.
"""

from __future__ import annotations

import json

import nbformat
import pytest

NOTEBOOK = "lab_live_check.ipynb"
TIMEOUT_MS = 120_000

SCRIPT = r"""
window.__labLive = {
  demo() { return document.querySelector('.jp-NotebookPanel .lesson-demo'); },
  img() { return this.demo().querySelector('.lesson-figure img, img.lesson-figure'); },
  readout() { return this.demo().querySelector('.lesson-readout').innerText.trim(); },
  // Record every new image (time it loaded) and every readout, from now on.
  start() {
    const rec = {input: null, loads: [], readouts: [], srcs: 0};
    const img = this.img(), demo = this.demo();
    const onInput = () => { if (rec.input === null) rec.input = performance.now(); };
    for (const type of ['keydown', 'pointerdown', 'change'])
      demo.addEventListener(type, onInput, true);
    img.addEventListener('load', () => rec.loads.push(performance.now()));
    new MutationObserver(() => { rec.srcs += 1; })
      .observe(img, {attributes: true, attributeFilter: ['src']});
    new MutationObserver(() => rec.readouts.push(this.readout()))
      .observe(demo.querySelector('.lesson-readout'),
               {subtree: true, childList: true, characterData: true});
    this.rec = rec;
    return true;
  },
};
"""


LAB_CELL = (
    "# The lab, with a long default run so that there is time to act mid-run\n"
    "from helpers.widgets import TrainingLab\n"
    "lab = TrainingLab(depth=6, width=32, steps=500, eta=0.1)\n"
    "lab"
)
EXPLORER_CELL = (
    "# The depth explorer at 30 sigmoid layers, where the plain network's gradient vanishes\n"
    "from helpers.widgets import DepthExplorer\n"
    'DepthExplorer(activation="sigmoid", depth=30)'
)


def write_notebook(root, name: str, source: str) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source)]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, root / name)


def open_notebook(lab_server, browser, name: str, source: str, ready: str):
    """Open a one-cell notebook, Run All, wait until its demo's readout contains ``ready``."""
    write_notebook(lab_server.root, name, source)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{lab_server.url}/lab/tree/{name}?reset&token={lab_server.token}")
    page.wait_for_function(
        "name => { const w = window.jupyterapp?.shell?.currentWidget;"
        " return !!w && !!w.sessionContext && w.context?.path === name; }",
        arg=name,
        timeout=60_000,
    )
    page.evaluate(
        """async () => {
          const app = window.jupyterapp, panel = app.shell.currentWidget;
          await panel.context.ready;
          await panel.sessionContext.ready;
          await app.commands.execute('notebook:run-all-cells');
        }"""
    )
    page.add_script_tag(content=SCRIPT)
    page.wait_for_function(
        "t => { const d = __labLive.demo(); const i = d && __labLive.img();"
        " return !!i && i.complete && i.naturalWidth > 0 && __labLive.readout().includes(t); }",
        arg=ready,
        timeout=TIMEOUT_MS,
    )
    return page, context, errors


@pytest.fixture
def page(lab_server, browser):
    page, context, errors = open_notebook(lab_server, browser, NOTEBOOK, LAB_CELL, "finished")
    yield page
    try:
        lab_server.shutdown_kernels()
    finally:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


def control(page, label: str):
    demo = page.locator(".jp-NotebookPanel .lesson-demo").first
    return demo.locator(".widget-inline-hbox", has_text=label).first


def choose(page, label: str, value: str) -> None:
    control(page, label).locator("select").select_option(value)


def record(page) -> None:
    page.evaluate("() => __labLive.start()")


def recorded(page) -> dict:
    return page.evaluate("() => __labLive.rec")


def wait_for_readout(page, text: str, timeout: int = TIMEOUT_MS) -> None:
    page.wait_for_function(
        "t => __labLive.readout().includes(t)", arg=text, timeout=timeout, polling=50
    )


def step_of(readout: str) -> int:
    return int(readout.split("step ")[1].split(" of")[0])


def write_report(artifacts, name: str, figures: dict) -> None:
    path = artifacts / "lab-live.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = figures
    path.write_text(json.dumps(data, indent=2))
    lines = ["| check | figures |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in data.items()]
    (artifacts / "lab-live.md").write_text("\n".join(lines) + "\n")


def error_shown(page) -> str:
    return page.evaluate("() => __labLive.demo().querySelector('.lesson-error').innerText.trim()")


def image_digest(page) -> str:
    """SHA-256 of the figure now on screen (the bytes behind the image's blob URL)."""
    return page.evaluate(
        """async () => {
          const buffer = await (await fetch(__labLive.img().src)).arrayBuffer();
          const hash = await crypto.subtle.digest('SHA-256', buffer);
          return Array.from(new Uint8Array(hash), b => b.toString(16).padStart(2, '0')).join('');
        }"""
    )


def switch_options_on(page, wait_until) -> list[str]:
    """Skip connections on, then batch norm: each time a new picture, readout and no error.

    ``wait_until(said)`` waits until the demo has settled on the readout saying ``said``.
    Returns one line per switch (input to first image, in ms) for the report.
    """
    lines = []
    for label, option, said in (
        ("skip connections", "on", "skip connections, no normalisation"),
        ("normalisation", "batch norm", "skip connections, batch norm"),
    ):
        before, digest = page.evaluate("() => __labLive.readout()"), image_digest(page)
        assert f", {said}" not in before  # (", no skip connections" does not count)
        record(page)
        choose(page, label, option)
        wait_until(said)
        page.wait_for_timeout(300)
        rec = recorded(page)
        after = page.evaluate("() => __labLive.readout()")
        assert f", {said}" in after and after != before, after
        assert image_digest(page) != digest, f"{label} {option}: the picture did not change"
        assert not error_shown(page), f"{label} {option}: {error_shown(page)}"
        assert rec["input"] is not None and rec["loads"], f"{label} {option}: no new image"
        lines.append(f"{label} {option}: first image {rec['loads'][0] - rec['input']:.0f} ms")
    return lines


def test_lab_options_change_the_picture_and_say_what_is_on(page, artifacts):
    def finished(said):
        page.wait_for_function(
            "t => { const r = __labLive.readout(); return r.includes('6-layer sigmoid, width 32, '"
            " + t) && r.includes('finished'); }",
            arg=said,
            timeout=TIMEOUT_MS,
        )

    lines = switch_options_on(page, finished)
    write_report(artifacts, "lab options switched on", "; ".join(lines))


def test_explorer_options_change_the_picture_and_say_what_is_on(lab_server, browser, artifacts):
    page, context, errors = open_notebook(
        lab_server, browser, "explorer_options_check.ipynb", EXPLORER_CELL, "30 hidden layers"
    )
    try:

        def shown(said):
            page.wait_for_function(
                "t => __labLive.readout().includes('weights × 1.00, ' + t + ': gradient')",
                arg=said,
                timeout=TIMEOUT_MS,
            )

        before = page.evaluate("() => __labLive.readout()")
        assert "no skip connections, no normalisation" in before
        lines = switch_options_on(page, shown)
        write_report(artifacts, "explorer options switched on", "; ".join(lines))
    finally:
        try:
            lab_server.shutdown_kernels()
        finally:
            context.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_frames_arrive_while_the_network_trains(page, artifacts):
    record(page)
    choose(page, "activation", "tanh")
    page.wait_for_function(
        "() => __labLive.readout().includes('6-layer tanh')"
        " && __labLive.readout().includes('finished')",
        timeout=TIMEOUT_MS,
    )
    page.wait_for_timeout(300)
    rec = recorded(page)
    assert rec["input"] is not None, "the dropdown's input never reached the demo"
    loads = [t for t in rec["loads"] if t >= rec["input"]]
    steps = [step_of(r) for r in rec["readouts"] if "6-layer tanh" in r and "step " in r]
    assert len(loads) >= 5, f"only {len(loads)} images arrived during the run: not live"
    assert len(set(steps)) >= 5 and steps == sorted(steps), f"the step went {steps}"
    assert steps[-1] == 500
    first, last = loads[0] - rec["input"], loads[-1] - rec["input"]
    rate = (len(loads) - 1) / max(1e-3, (loads[-1] - loads[0]) / 1000)
    write_report(
        artifacts,
        "new activation, 500-step run",
        f"first image {first:.0f} ms after the input, last {last:.0f} ms, "
        f"{len(loads)} images, {rate:.1f} per second",
    )


def test_a_control_moved_mid_run_takes_effect(page, artifacts):
    record(page)
    choose(page, "activation", "relu")
    page.wait_for_function(
        "() => { const r = __labLive.readout();"
        " return r.includes('6-layer relu') && r.includes('training')"
        " && !r.includes('step 0 '); }",
        timeout=TIMEOUT_MS,
        polling=20,
    )
    handle = control(page, "depth").locator(".noUi-handle")
    handle.focus()
    handle.press("ArrowRight")  # depth 6 -> 7, mid-run
    page.wait_for_function(
        "() => { const r = __labLive.readout();"
        " return r.includes('7-layer relu') && r.includes('finished'); }",
        timeout=TIMEOUT_MS,
    )
    readouts = recorded(page)["readouts"]
    first_new = next(i for i, r in enumerate(readouts) if "7-layer relu" in r)
    old_steps = [step_of(r) for r in readouts[:first_new] if "6-layer relu" in r]
    assert old_steps and max(old_steps) < 500, "the old run was not mid-way"
    late = [r for r in readouts[first_new:] if "6-layer relu" in r]
    assert not late, f"the old run went on after the new one started: {late[:2]}"
    new_steps = [step_of(r) for r in readouts[first_new:] if "7-layer relu" in r]
    assert len(set(new_steps)) >= 3 and new_steps[-1] == 500, new_steps
    write_report(
        artifacts,
        "depth moved mid-run",
        f"old run stopped at step {max(old_steps)}; new run drawn in {len(set(new_steps))} steps",
    )


def test_pause_and_step(page, artifacts):
    demo = page.locator(".jp-NotebookPanel .lesson-demo").first
    choose(page, "activation", "relu")
    page.wait_for_function(
        "() => { const r = __labLive.readout();"
        " return r.includes('6-layer relu') && r.includes('training'); }",
        timeout=TIMEOUT_MS,
        polling=20,
    )
    demo.get_by_role("button", name="pause").click()
    wait_for_readout(page, "paused")
    paused_at = step_of(page.evaluate("() => __labLive.readout()"))
    record(page)
    page.wait_for_timeout(1500)
    rec = recorded(page)
    assert not rec["loads"], f"{len(rec['loads'])} images arrived while paused"
    assert step_of(page.evaluate("() => __labLive.readout()")) == paused_at
    assert paused_at < 500, "the run finished before it could be paused"
    demo.get_by_role("button", name="step").click()
    page.wait_for_function(
        "s => { const r = __labLive.readout(); return r.includes('step ') &&"
        " parseInt(r.split('step ')[1]) > s; }",
        arg=paused_at,
        timeout=TIMEOUT_MS,
    )
    stepped = step_of(page.evaluate("() => __labLive.readout()"))
    assert stepped == min(500, paused_at + 42), (paused_at, stepped)  # ceil(500 / 12) steps
    assert "paused" in page.evaluate("() => __labLive.readout()")
    demo.get_by_role("button", name="resume").click()
    wait_for_readout(page, "finished")
    frames = len(recorded(page)["loads"])
    write_report(
        artifacts,
        "pause and step",
        f"paused at step {paused_at}, no image for 1.5 s; step -> {stepped}; resumed, "
        f"{frames} images to the end",
    )
