"""The activation explorer: f and f' with a point and its tangent line."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from helpers.activations import ACTIVATIONS, get_activation
from helpers.plotting.activations import DERIVATIVE_STYLE, derivative_for_plot
from helpers.plotting.style import PALETTE, activation_style, new_figure, zero_lines
from helpers.widgets.base import Demo, slider

Z_MIN, Z_MAX = -6.0, 6.0


class ActivationExplorer(Demo):
    """An activation (a key of ``helpers.ACTIVATIONS``) and z: f, f' and the tangent at z."""

    def __init__(self, activation: str = "sigmoid", z: float = 1.0):
        get_activation(activation)  # a clear error for an unknown name
        controls = {
            "activation": widgets.Dropdown(
                options=list(ACTIVATIONS), value=activation, description="activation"
            ),
            "z": slider("z", z, Z_MIN, Z_MAX, 0.1, readout_format=".1f"),
        }
        figure, ax = new_figure()
        self.ax = ax
        self.z_grid = np.linspace(Z_MIN, Z_MAX, 481)
        self.f_line = ax.plot([], [], linestyle="-", label="f(z)")[0]
        self.df_line = ax.plot([], [], label="f'(z)", zorder=3, **DERIVATIVE_STYLE)[0]
        grey = {"color": PALETTE["grey"], "linewidth": 1.5, "animated": True}
        self.tangent = ax.plot([], [], "--", label="tangent at z", **grey)[0]
        black = {"color": PALETTE["black"], "zorder": 5, "animated": True}
        self.point = ax.plot([], [], "o", label="(z, f(z))", **black)[0]
        self.slope_point = ax.plot([], [], "s", mfc="white", label="(z, f'(z))", **black)[0]
        zero_lines(ax, color="0.6")
        ax.set(xlim=(Z_MIN, Z_MAX), xlabel="z", ylabel="value")
        # "best": the empty corner differs per activation (tanh fills the upper left).
        self.legend = ax.legend(loc="best", fontsize="small", handlelength=1.6, labelspacing=0.3)
        self._shown = None
        super().__init__(
            controls,
            figure,
            caption="The chosen activation f (solid, coloured) and its derivative f' (black, "
            "dash-dot), with the point (z, f(z)) and the tangent line there, whose slope is f'(z).",
        )

    def background_key(self):
        return self.value("activation")  # curves, limits and title depend on nothing else

    def update(self) -> str:
        name, z = self.value("activation"), float(self.value("z"))
        act = get_activation(name)
        if name != self._shown:  # redraw the curves only when the activation changes
            colour = activation_style(name)["color"]
            if colour == DERIVATIVE_STYLE["color"]:  # silu's black: f, f' would merge (z < -4)
                colour = PALETTE["sky_blue"]  # (grey is the tangent's)
            f, df = act.f(self.z_grid), derivative_for_plot(act, self.z_grid)
            self.f_line.set_data(self.z_grid, f)
            self.f_line.set_color(colour)
            self.df_line.set_data(self.z_grid, df)  # always black: never confused with f
            # Relabel the legend in place: building a new one costs more than the redraw.
            for index, label in enumerate((f"{name}(z)", f"{name}'(z)")):
                self.legend.texts[index].set_text(label)
            self.legend.legend_handles[0].set_color(colour)
            low, high = min(f.min(), np.nanmin(df)), max(f.max(), np.nanmax(df))
            pad = 0.1 * (high - low)
            self.ax.set_ylim(low - pad, high + pad)
            self.ax.set_title(f"${act.formula}$")
            self._shown = name
        a, slope = float(act.f(z)), float(act.df(z))
        half = 1.5
        self.tangent.set_data([z - half, z + half], [a - half * slope, a + half * slope])
        self.point.set_data([z], [a])
        self.slope_point.set_data([z], [slope])
        return (
            f"<b>{name}</b>: z = {z:.2f} &nbsp;·&nbsp; f(z) = {a:.4f} "
            f"&nbsp;·&nbsp; f'(z) = {slope:.4f} (slope of the tangent)"
        )
