"""Demos do not degrade with use (issue 16): many random settings, then a fresh demo.

A demo keeps one figure and redraws it in place, with caches of backgrounds and
computed results. If a redraw leaves something behind (an axes locator that
shrinks a colour bar a bit more each time, limits or labels of an earlier
setting), the picture after many changes differs from the picture a freshly
built demo draws for the same settings. Putting a control back does not show
it (the cached picture comes back), so each demo here is driven through many
random, mostly never-seen settings, then compared with a fresh demo set to the
final settings: the PNG must be pixel-identical and the readout the same.

Every demo of ``helpers.widgets`` is covered except ``TrainingLab`` (its own
test, tests/test_lab_widget.py) and ``Question`` (no figure).
"""

from __future__ import annotations

import io
import random

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

import helpers.widgets as demos

# name -> (constructor keyword arguments, random changes). Fewer changes where one
# uncached setting computes networks (DepthExplorer, DeadReluExplorer).
CASES = {
    "ActivationExplorer": ({}, 40),
    "ActivationUnitDemo": ({}, 40),
    "ChainRuleCalculator": ({}, 40),
    "SigmoidTanhComparison": ({}, 40),
    "DeadReluExplorer": ({}, 12),
    "DepthExplorer": ({}, 15),
    "DepthExplorer(activations)": ({"activations": ("sigmoid", "tanh", "relu")}, 15),
}
LEFT_OUT = {"Demo", "TrainingLab", "Question"}


def test_every_demo_is_covered():
    covered = {name.split("(")[0] for name in CASES}
    assert covered | LEFT_OUT == set(demos.__all__)


def choices(control: widgets.Widget) -> list:
    """Every value a control can take (sliders: every step)."""
    if isinstance(control, widgets.FloatLogSlider):
        steps = round((control.max - control.min) / control.step)
        return [control.base ** (control.min + k * control.step) for k in range(steps + 1)]
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        steps = round((control.max - control.min) / control.step)
        values = [control.min + k * control.step for k in range(steps + 1)]
        if isinstance(control, widgets.FloatSlider):
            values = [round(v, 10) for v in values]
        return values
    if isinstance(control, (widgets.Dropdown, widgets.SelectionSlider)):
        return [o[1] if isinstance(o, tuple) else o for o in control.options]
    raise AssertionError(f"no rule for a {type(control).__name__}: add one to choices()")


def build(name: str):
    kwargs, _ = CASES[name]
    return getattr(demos, name.split("(")[0])(**kwargs)


def picture(demo) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(demo.image.value)).convert("RGB"))


def drive(demo, changes: int, seed: str) -> dict:
    """Make ``changes`` random changes, each to a new value; return the final settings."""
    rng = random.Random(seed)
    options = {key: choices(control) for key, control in demo.controls.items()}
    seen = set()
    for _ in range(changes):
        key = rng.choice(sorted(k for k in options if len(options[k]) > 1))
        current = demo.controls[key].value
        demo.controls[key].value = rng.choice([v for v in options[key] if v != current])
        seen.add(tuple(demo.value(k) for k in demo.controls))
    assert len(seen) >= changes // 2  # mostly new settings, not the cached ones
    return {key: control.value for key, control in demo.controls.items()}


def differing_pixels(make, changes: int, seed: str) -> tuple[int, dict]:
    """Pixels that differ between a used demo and a fresh one at the same final settings."""
    demo = make()
    final = drive(demo, changes, seed)
    fresh = make()
    for key, value in final.items():
        fresh.controls[key].value = value
    assert {key: c.value for key, c in fresh.controls.items()} == final
    assert fresh.readout.value == demo.readout.value
    used, new = picture(demo), picture(fresh)
    assert used.shape == new.shape
    return int(np.any(used != new, axis=-1).sum()), final


@pytest.mark.parametrize("name", CASES)
def test_picture_after_many_changes_equals_a_fresh_demos(name):
    _, changes = CASES[name]
    differing, final = differing_pixels(lambda: build(name), changes, f"drift-{name}")
    assert differing == 0, (
        f"{name}: after {changes} random changes, {differing} pixels differ from a fresh "
        f"demo at the same settings {final}"
    )


class ShrinkingExplorer(demos.ActivationExplorer):
    """A demo with issue 16's bug on purpose: each redraw shrinks the axes a little."""

    def update(self):
        box = self.ax.get_position()
        self.ax.set_position([box.x0, box.y0, box.width * 0.995, box.height])
        return super().update()


def test_the_comparison_catches_a_demo_that_drifts():
    differing, _ = differing_pixels(ShrinkingExplorer, 10, "drift-check")
    assert differing > 100
