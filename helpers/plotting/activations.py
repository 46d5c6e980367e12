"""Activation functions drawn with their derivatives."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from helpers.activations import get_activation
from helpers.plotting.style import activation_style

Z_RANGE = (-6.0, 6.0)


def derivative_for_plot(activation, z) -> np.ndarray:
    """f'(z) ready to draw: a jump (ReLU's at 0) becomes a gap, not a vertical wall.

    A line through the jump would show values between 0 and 1 that the
    derivative never takes.
    """
    df = np.array(get_activation(activation).df(z), dtype=float)
    df[1:][np.abs(np.diff(df)) > 0.5] = np.nan
    return df


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    return ax


def plot_activation(activation, ax=None, z=None, derivative: bool = True, label_lines=True):
    """Draw ``f`` (solid) and, if asked, ``f'`` (thinner, dashed) over ``z``.

    Args:
        activation: a name from ``helpers.ACTIVATIONS`` or an Activation.
        ax: the axes to draw on (a new figure when None).
        z: the points to draw at, default 601 points over [-6, 6].
        derivative: also draw the derivative.
        label_lines: write the function's name at the end of each curve, so a
            reader need not match colours to a legend.

    Returns:
        dict with the Line2D objects under ``"f"`` and ``"df"`` (if drawn).
    """
    act = get_activation(activation)
    ax = _axes(ax)
    z = np.linspace(*Z_RANGE, 601) if z is None else np.asarray(z, dtype=float)
    style = activation_style(act.name)
    color = style["color"]
    lines = {"f": ax.plot(z, act.f(z), color=color, linestyle="-", label=f"{act.name}(z)")[0]}
    if derivative:
        lines["df"] = ax.plot(
            z,
            derivative_for_plot(act, z),
            color=color,
            linestyle=":",
            linewidth=0.75 * plt.rcParams["lines.linewidth"],
            label=f"{act.name}'(z)",
        )[0]
    if label_lines:
        for _key, line in lines.items():
            y = line.get_ydata()[-1]
            ax.annotate(
                line.get_label(),
                (z[-1], y),
                xytext=(4, 0),
                textcoords="offset points",
                color=color,
                va="center",
                fontsize="small",
            )
    ax.axhline(0, color="0.5", linewidth=0.8)
    ax.axvline(0, color="0.5", linewidth=0.8)
    ax.set_xlabel("z")
    ax.set_ylabel("value")
    return lines


def plot_activations(activations, ax=None, z=None, derivative: bool = True):
    """Draw several activations (and their derivatives) on one set of axes.

    Returns a dict keyed by activation name of the dicts ``plot_activation`` returns.
    """
    ax = _axes(ax)
    drawn = {}
    for name in activations:
        act = get_activation(name)
        style = activation_style(act.name)
        z_values = np.linspace(*Z_RANGE, 601) if z is None else np.asarray(z, dtype=float)
        f_line = ax.plot(
            z_values, act.f(z_values), label=f"{act.name}(z)", **{**style, "marker": None}
        )[0]
        entry = {"f": f_line}
        if derivative:
            entry["df"] = ax.plot(
                z_values,
                derivative_for_plot(act, z_values),
                label=f"{act.name}'(z)",
                color=style["color"],
                linestyle=style["linestyle"],
                linewidth=0.6 * plt.rcParams["lines.linewidth"],
                marker=style["marker"],
                markevery=60,
            )[0]
        drawn[act.name] = entry
    ax.axhline(0, color="0.5", linewidth=0.8)
    ax.set_xlabel("z")
    ax.set_ylabel("value")
    ax.legend(loc="upper left")
    return drawn
