"""The chain-rule calculator: multiply local derivatives, take one step, see what is left."""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

from helpers.chain import EXAMPLE_FACTORS, spacing, update_is_lost
from helpers.plotting.gradients import (
    decade_limits,
    plot_running_product,
    set_log_limits,
    set_running_product,
)
from helpers.plotting.style import new_figure
from helpers.widgets.base import Demo, slider

MAX_FACTORS = 12


class ChainRuleCalculator(Demo):
    """One slider per local derivative (``factors``, each in [-2, 2]; the sliders beyond
    them start at 0.1), how many of them are multiplied (``n_factors``, 1 to 12), eta
    (1e-4 to 10) and the old weight ``w_old`` (-10 to 10). The readout gives the product
    (the gradient), the step ``eta * gradient`` and the new weight ``w_old - eta *
    gradient`` in float64 and float32, and flags a step below half the spacing of float32
    numbers at that weight: too small for float32 to register."""

    def __init__(self, factors=EXAMPLE_FACTORS, n_factors=None, eta=1.0, w_old=2.5):
        factors = [float(f) for f in factors]
        if not 1 <= len(factors) <= MAX_FACTORS:
            raise ValueError(f"give 1 to {MAX_FACTORS} factors, got {len(factors)}")
        n_factors = len(factors) if n_factors is None else n_factors
        description = "factors (hidden layers + 1)"
        controls = {
            "n_factors": slider(description, n_factors, 1, MAX_FACTORS, 1, name="n_factors"),
            "eta": slider("η (eta)", eta, 1e-4, 10, 0.25, name="eta", log=True),
            "w_old": slider("old weight", w_old, -10, 10, 0.1, name="w_old"),
        }
        starts = factors + [0.1] * (MAX_FACTORS - len(factors))
        factor_sliders = {
            f"factor_{k}": slider(f"factor {k}", start, -2, 2, 0.01, layout={"width": "260px"})
            for k, start in enumerate(starts, start=1)
        }
        figure, self.ax = new_figure()
        self.artists = plot_running_product(MAX_FACTORS, ax=self.ax, animated=True)
        self.ax.set_title("The gradient as the factors multiply in")
        self._limits = None
        # Two groups of controls: the update's settings, then a grid of factors.
        header = widgets.HBox(list(controls.values()), layout={"flex_flow": "row wrap"})
        grid = widgets.GridBox(
            list(factor_sliders.values()),
            layout=widgets.Layout(grid_template_columns="repeat(auto-fill, 270px)"),
        )
        super().__init__(
            controls | factor_sliders,
            figure,
            caption="The size of the product of the local derivatives after each factor "
            "(log scale), with the smallest gradient that still changes the old weight in "
            "float32 (dashed) and in float64 (dotted) at this learning rate.",
            controls_box=widgets.VBox([header, grid]),
        )

    def factors(self) -> list[float]:
        """The local derivatives currently multiplied."""
        return [self.number(f"factor_{k}") for k in range(1, self.value("n_factors") + 1)]

    def number(self, name: str) -> float:
        """A slider's value without the browser's float noise (0.05 can arrive as
        0.049999999999999996 and the product print 0.0009999999999999983 instead of the
        notes' number); twelve significant digits keep every value a slider can mean."""
        return float(f"{float(self.value(name)):.12g}")

    def background_key(self):
        return self._limits  # only the y-limits change outside the animated artists

    def update(self) -> str:
        n = self.value("n_factors")
        for k in range(1, MAX_FACTORS + 1):  # show only the sliders in use
            self.controls[f"factor_{k}"].layout.display = "" if k <= n else "none"
        factors = self.factors()
        eta, w_old = self.number("eta"), self.number("w_old")
        gradient = math.prod(factors)
        # the smallest gradient that still moves w_old: half a spacing, divided by eta
        half32, half64 = (spacing(w_old, precision) / 2 for precision in ("float32", "float64"))
        running = set_running_product(self.artists, factors, half32 / eta, half64 / eta)
        limits = decade_limits(np.append(running, [half32 / eta, half64 / eta]), block=4)
        if limits != self._limits:
            set_log_limits(self.ax, *limits)
            self._limits = limits
        step = eta * gradient
        new32 = np.float32(w_old) - np.float32(eta) * np.float32(gradient)
        lines = [
            f"gradient = {' × '.join(f'{f:g}' for f in factors)} = <b>{gradient!r}</b> "
            f"(≈ {gradient:.3e})",
            f"update: η × gradient = {eta:g} × {gradient:.3e} = {step:.3e}",
            f"new weight in float64: {w_old:g} − {step:.3e} = <b>{w_old - step!r}</b>",
            f"new weight in float32: <b>{new32!s}</b>",  # str: float32's shortest digits
        ]
        if update_is_lost(w_old, eta, gradient, "float32"):
            lines.append(
                '<span style="color:#B00020">⚠ <b>float32 loses this update</b>: the step '
                f"{abs(step):.3e} is below half the spacing of float32 numbers at w = {w_old:g} "
                f"({half32:.3e}), so w − step rounds back to {np.float32(w_old)}.</span>"
            )
        elif gradient == 0:
            lines.append("The gradient is exactly 0: nothing changes, in any precision.")
        else:
            lines.append(
                f"float32 registers this step (half its spacing at w = {w_old:g} is {half32:.3e})."
            )
        if gradient != 0 and update_is_lost(w_old, eta, gradient, "float64"):
            lines.append(
                '<span style="color:#B00020">⚠ <b>even float64 loses it</b>: '
                f"half its spacing at w = {w_old:g} is {half64:.3e}.</span>"
            )
        return "<br>".join(lines)
