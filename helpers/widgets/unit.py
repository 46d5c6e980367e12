"""The activation unit: four weights and four inputs, their weighted sum z, and f(z)."""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np

from helpers.activations import ACTIVATIONS
from helpers.plotting.style import figure_size, new_figure
from helpers.plotting.unit import (
    plot_activation_outputs,
    plot_weighted_sum,
    update_activation_outputs,
    update_weighted_sum,
)
from helpers.widgets.base import Demo, slider

W_RANGE = (-1.0, 1.0)
X_RANGE = (-1.0, 1.0)
# |z| <= 4 * max|w| * max|x|: every reachable z is on the plots.
Z_LIMIT = 4 * max(map(abs, W_RANGE)) * max(map(abs, X_RANGE))
DEFAULT_W = (0.8, -0.4, 0.6, 0.5)
DEFAULT_X = (1.0, 0.5, 0.9, 0.6)


class ActivationUnitDemo(Demo):
    """Sliders for w_1..w_4 and x_1..x_4 (in [-1, 1]), bars for each w_i x_i and for z,
    and one bar per registered activation for a = f(z)."""

    def __init__(self, w=DEFAULT_W, x=DEFAULT_X):
        controls, look = {}, {"readout_format": ".2f", "layout": {"width": "250px"}}
        for name, values, limits, step in (("w", w, W_RANGE, 0.05), ("x", x, X_RANGE, 0.1)):
            if len(values) != 4:
                raise ValueError(f"{name} needs four values (the notes' four inputs), got {values}")
            for i, value in enumerate(values, start=1):
                controls[f"{name}{i}"] = slider(f"{name}{i}", value, *limits, step, **look)
        scale = mpl.rcParams["font.size"] / 12  # larger for use_style(lecture=True)
        margins = {"bottom": 0.85, "right": 0.3, "left": 0.75, "between_columns": 1.3}
        figure, (self.sum_ax, self.out_ax) = new_figure(
            1,
            2,
            figsize=figure_size(8.4, 3.7),
            margins={key: inches * scale for key, inches in margins.items()},
        )
        # No value labels on the bars: the readout has every number, and text is
        # slow to draw (five labels doubled the time of an update).
        self.sum_ax.set_title("$z = w_1 x_1 + w_2 x_2 + w_3 x_3 + w_4 x_4$", fontsize="medium")
        limit = 1.05 * Z_LIMIT
        self.bars = plot_weighted_sum(
            w, x, ax=self.sum_ax, limit=limit, value_labels=False, animated=True
        )
        self.out_ax.set_title("a = f(z) for each activation", fontsize="medium")
        self.outputs = plot_activation_outputs(
            0.0, list(ACTIVATIONS), ax=self.out_ax, limits=(-1.3, limit), animated=True
        )
        super().__init__(
            controls,
            figure,
            caption="Left: the four products w_i x_i (hatched bars) and their sum z (plain bar). "
            "Right: one bar per activation for a = f(z) at that z, "
            "and a dashed line at z itself.",
        )

    def background_key(self):
        return "unit"  # everything that moves is animated; the background never changes

    def update(self) -> str:
        w = np.array([self.value(f"w{i}") for i in range(1, 5)], dtype=float)
        x = np.array([self.value(f"x{i}") for i in range(1, 5)], dtype=float)
        z = update_weighted_sum(self.bars, w, x)
        if not math.isfinite(z):
            raise ValueError(f"z is not a finite number: {z}")
        values = update_activation_outputs(self.outputs, z)
        terms = " + ".join(f"({wi:.2f})({xi:.2f})" for wi, xi in zip(w, x, strict=True))
        products = " + ".join(f"{p:.2f}" for p in w * x).replace("+ -", "− ")
        return (
            f"z = w₁x₁ + w₂x₂ + w₃x₃ + w₄x₄ = {terms} = {products} = <b>{z:.4f}</b><br>"
            + " &nbsp;·&nbsp; ".join(f"{name}(z) = {a:.4f}" for name, a in values.items())
        )
