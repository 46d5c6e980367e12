"""Sigmoid and tanh side by side: both curves, both derivatives, where each matters."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from helpers.activations import get_activation
from helpers.definitions import SATURATION_FRACTION
from helpers.plotting.activations import DERIVATIVE_STYLE
from helpers.plotting.squashing import plot_significant_region
from helpers.plotting.style import (
    PALETTE,
    activation_style,
    animate,
    figure_size,
    new_figure,
    zero_lines,
)
from helpers.widgets.base import Demo, slider

Z_MIN, Z_MAX = -8.0, 8.0
# "Significant" means f'(z) >= this fraction of f'(0): the course's definition is 10 %
# (helpers.definitions); 7 % is where sigmoid' is at z = ±4, 1 % where tanh' is at z = ±3.
FRACTIONS = {
    "10 % of its peak": SATURATION_FRACTION,
    "7 % of its peak": 0.07,
    "1 % of its peak": 0.01,
    "25 % of its peak": 0.25,
}
# Each derivative is its own line, not its function's colour dotted (σ' merged with σ
# for z < -3): black dash-dot as in helpers.plotting.activations, tanh' dark grey with
# two dots, and named where it stands clear of the other curves and of the peak labels'
# arrows: (z of the point its name points to, where the name starts).
DERIVATIVE_LOOK = {
    "sigmoid": DERIVATIVE_STYLE,
    "tanh": {"color": "#595959", "linestyle": (0, (5, 2, 1, 2, 1, 2))},
}
DERIVATIVE_LABEL = {"sigmoid": (2.4, (2.9, 0.16)), "tanh": (0.75, (1.55, 0.4))}
# The peaks' labels sit in the lower left, between tanh's tail at -1 and the other
# curves at or above 0, which no curve crosses left of z = -1; the region bars below.
LABEL_Y = {"sigmoid": -0.55, "tanh": -0.28}
BAR_Y = {"sigmoid": -1.37, "tanh": -1.2}


class SigmoidTanhComparison(Demo):
    """σ, tanh, σ' and tanh' on one axes, each derivative's peak marked and the region
    where it is at least a chosen fraction of that peak (``significant``, a key of
    :data:`FRACTIONS`) shaded."""

    def __init__(self, z: float = 1.0, significant: str = "10 % of its peak"):
        if significant not in FRACTIONS:
            raise ValueError(f"significant must be one of {list(FRACTIONS)}, got {significant!r}")
        controls = {
            "z": slider("z", z, Z_MIN, Z_MAX, 0.1, readout_format=".1f"),
            "significant": widgets.Dropdown(
                options=list(FRACTIONS), value=significant, description="significant: f' at least"
            ),
        }
        figure, ax = new_figure(figsize=figure_size(7.0, 4.3))
        self.ax = ax
        grid = np.linspace(Z_MIN, Z_MAX, 641)
        self.acts = {name: get_activation(name) for name in DERIVATIVE_LOOK}
        self.markers = {}
        arrow = {"arrowstyle": "->", "color": "0.3", "shrinkB": 7}
        text = {"fontsize": "small", "va": "center"}
        for name, act in self.acts.items():
            style, look = activation_style(name), DERIVATIVE_LOOK[name]
            color, (at, text_at) = style["color"], DERIVATIVE_LABEL[name]
            ax.plot(grid, act.f(grid), color=color, ls=style["linestyle"], label=f"{name}(z)")
            # The derivative: its own look (as in plot_activation), on top, named on it.
            ax.plot(grid, act.df(grid), **look, linewidth=1.6, zorder=3, label=f"{name}'(z)")
            label = {**text, "color": look["color"], "arrowprops": {**arrow, "shrinkB": 2}}
            ax.annotate(f"{name}'(z)", (at, float(act.df(at))), text_at, **label)
            peak = float(act.df(0.0))
            ax.plot([0], [peak], "*", markersize=13, color=color, markeredgecolor="black")
            peak_at = (Z_MIN + 0.4, LABEL_Y[name])
            ax.annotate(f"peak of {name}': {peak:g}", (0, peak), peak_at, arrowprops=arrow, **text)
            # The moving points: on the curve (filled marker) and on the derivative (open).
            marker = {"marker": style["marker"], "linestyle": "", "zorder": 5}
            on_f = ax.plot([], [], color=color, markeredgecolor="black", **marker)[0]
            on_df = ax.plot([], [], color="white", mec=color, mew=2, **marker)[0]
            self.markers[name] = (on_f, on_df)
        self.guide = ax.axvline(0, color=PALETTE["grey"], linestyle="--", linewidth=1.2)
        animate(self.guide, *(m for pair in self.markers.values() for m in pair))
        zero_lines(ax, color="0.6", x=False)
        ax.set(xlim=(Z_MIN, Z_MAX), ylim=(-1.47, 1.18), xlabel="z", ylabel="value")
        ax.legend(loc="upper left", fontsize="small")  # an empty corner of the axes
        self._regions = {}  # activation -> the region drawn for it
        self._shown_fraction = None
        super().__init__(
            controls,
            figure,
            caption="Sigmoid and tanh (solid and dashed, in colour) with their derivatives "
            "(black and grey dash-dot, drawn on top); stars mark each derivative's peak; the "
            "shaded areas and the hatched bars at the bottom mark where each derivative is at "
            "least the chosen fraction of its peak; filled markers show f(z) and open markers "
            "f'(z) at the chosen z.",
        )

    def background_key(self):
        return self.value("significant")  # the shading depends on nothing else

    def update(self) -> str:
        fraction = FRACTIONS[self.value("significant")]
        if fraction != self._shown_fraction:  # replace the shaded regions
            for drawn in self._regions.values():
                for key in ("fill", "bar", "label"):
                    drawn[key].remove()
            self._regions = {
                name: plot_significant_region(name, fraction, ax=self.ax, y=BAR_Y[name])
                for name in DERIVATIVE_LOOK
            }
            self._shown_fraction = fraction
        z = float(self.value("z"))
        self.guide.set_xdata([z, z])
        lines = [f"z = {z:.2f}"]
        for name, act in self.acts.items():
            a, slope, peak = float(act.f(z)), float(act.df(z)), float(act.df(0.0))
            on_f, on_df = self.markers[name]
            on_f.set_data([z], [a])
            on_df.set_data([z], [slope])
            h = self._regions[name]["half_width"]
            where = "inside" if abs(z) <= h else "outside"
            lines.append(
                f"<b>{name}</b>(z) = {a:.4f}, {name}'(z) = {slope:.4f} "
                f"= {100 * slope / peak:.1f} % of its peak {peak:g} "
                f"({where} its significant region |z| ≤ {h:.2f})"
            )
        return "<br>".join(lines)
