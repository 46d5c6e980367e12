"""Activation functions drawn with their derivatives."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from helpers.activations import get_activation
from helpers.plotting.style import activation_style, get_axes, note, zero_lines

Z_RANGE = (-6.0, 6.0)

# The derivative in plot_activation: its own colour and dashes, drawn on top, so
# it stays visible where it meets the function (ReLU: both 0 for z < 0) and is
# never mistaken for it (sigmoid: both near 0 for z < -2).
DERIVATIVE_STYLE = {"color": "#000000", "linestyle": (0, (5, 2, 1, 2))}  # dash-dot


def derivative_for_plot(activation, z) -> np.ndarray:
    """f'(z) ready to draw: NaN just after each of the activation's ``kinks`` (ReLU's 0).

    A line through a jump of f' would show values f' never takes. The jumps come
    from the activation, not from large steps between samples: a coarse grid
    over tanh' has those too, and its peak must stay drawn.
    """
    act = get_activation(activation)
    z = np.asarray(z, dtype=float)
    df = np.array(act.df(z), dtype=float)
    for kink in act.kinks:
        left = z <= kink  # f'(kink) takes the left value (ReLU'(0) = 0)
        df[1:][left[:-1] != left[1:]] = np.nan
    return df


def _grid(z) -> np.ndarray:
    return np.linspace(*Z_RANGE, 601) if z is None else np.asarray(z, dtype=float)


def plot_activation(activation, ax=None, z=None, derivative: bool = True):
    """Draw ``f`` (solid, in the activation's colour) and, if asked, ``f'`` (black, dash-dot).

    ``z`` defaults to 601 points over [-6, 6]. Each curve's name is written at
    its right end, in its colour, so a reader need not match colours to a
    legend. Returns the Line2D objects under ``"f"`` and ``"df"``.
    """
    act = get_activation(activation)
    ax, z = get_axes(ax), _grid(z)
    width = plt.rcParams["lines.linewidth"]
    f_style = {"color": activation_style(act.name)["color"], "linewidth": 1.6 * width}
    lines = {"f": ax.plot(z, act.f(z), linestyle="-", label=f"{act.name}(z)", **f_style)[0]}
    if derivative:
        df = derivative_for_plot(act, z)
        style = {"linewidth": 0.8 * width, "zorder": 3, **DERIVATIVE_STYLE}
        lines["df"] = ax.plot(z, df, label=f"{act.name}'(z)", **style)[0]
    ends = {key: line.get_ydata()[-1] for key, line in lines.items()}
    offsets = dict.fromkeys(ends, 0.0)
    if derivative and abs(ends["f"] - ends["df"]) < 0.12 * _span(lines):
        # Ends too close to read both names (ReLU: both 1 at z = 6): one above, one below.
        above = max(ends, key=ends.get)
        offsets = {key: (0.6 if key == above else -0.6) for key in ends}
    for key, line in lines.items():
        offset = (4, offsets[key] * plt.rcParams["font.size"])
        note(ax, line.get_label(), (z[-1], ends[key]), offset, color=line.get_color(), va="center")
    if derivative:
        _name_where_equal(ax, z, lines, act.name)
    zero_lines(ax)
    ax.set_xlabel("z")
    ax.set_ylabel("value")
    return lines


def _name_where_equal(ax, z, lines, name) -> None:
    """Where f and f' lie on each other (ReLU for z < 0), say so: one line hides the other."""
    f, df = lines["f"].get_ydata(), lines["df"].get_ydata()
    same = np.isclose(f, df, atol=1e-9 * max(_span(lines), 1.0))
    if same.mean() < 0.1:
        return
    where = np.flatnonzero(same)
    middle = where[len(where) // 2]
    text = f"here {name}'(z) = {name}(z) = {f[middle]:g}"
    offset = (0, 0.5 * plt.rcParams["font.size"])
    note(ax, text, (z[middle], f[middle]), offset, ha="center", va="bottom")


def _span(lines) -> float:
    values = np.concatenate([line.get_ydata() for line in lines.values()])
    values = values[np.isfinite(values)]
    return float(values.max() - values.min()) if values.size else 1.0


def plot_activations(activations, ax=None, z=None, derivative: bool = True):
    """Draw several activations (and their derivatives) on one set of axes.

    Returns a dict keyed by activation name of the dicts ``plot_activation`` returns.
    """
    ax, z = get_axes(ax), _grid(z)
    drawn = {}
    for name in activations:
        act = get_activation(name)
        style = activation_style(act.name)
        entry = {"f": ax.plot(z, act.f(z), label=f"{act.name}(z)", **{**style, "marker": None})[0]}
        if derivative:
            thin = {"linewidth": 0.6 * plt.rcParams["lines.linewidth"], "markevery": 60, **style}
            df = derivative_for_plot(act, z)
            entry["df"] = ax.plot(z, df, label=f"{act.name}'(z)", **thin)[0]
        drawn[act.name] = entry
    zero_lines(ax, x=False)
    ax.set_xlabel("z")
    ax.set_ylabel("value")
    ax.legend(loc="upper left")
    return drawn
