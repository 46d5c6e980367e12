"""Figures for notebook 01: the weighted sum z = w·x and stacks of layers."""

from __future__ import annotations

import numpy as np

from helpers.activations import as_real_array, get_activation
from helpers.plotting.style import PALETTE, activation_style, animate, get_axes, note, series_styles

# Hatches, so the products and the sum differ by more than colour.
_PRODUCT_STYLE = {"color": PALETTE["sky_blue"], "edgecolor": PALETTE["blue"], "hatch": "//"}
_SUM_STYLE = {"color": PALETTE["orange"], "edgecolor": PALETTE["black"], "hatch": ""}


def plot_weighted_sum(w, x, ax=None, limit=None, value_labels: bool = True, animated: bool = False):
    """Bars for each product w_i·x_i of 1-D w and x and one for their sum z = w·x, over
    y in [-limit, limit] (default: from the values), with ``value_labels`` above or below.

    Returns ``{"products": [Rectangle], "z": Rectangle, "labels": [Text]}`` (one label
    per bar, products first; none without value labels).
    """
    w, x = as_real_array(w, "w"), as_real_array(x, "x")
    if w.ndim != 1 or w.shape != x.shape:
        raise ValueError(
            f"w and x must be 1-D and of the same length, got shapes {w.shape} and {x.shape}"
        )
    ax = get_axes(ax)
    n = len(w)
    positions = np.arange(n + 1, dtype=float)
    positions[-1] += 0.5  # a gap before the sum
    products = ax.bar(positions[:-1], np.zeros(n), width=0.7, **_PRODUCT_STYLE)
    total = ax.bar(positions[-1:], [0.0], width=0.9, **_SUM_STYLE)
    labels = (
        [note(ax, "", (p, 0.0), (0, 3), ha="center") for p in positions] if value_labels else []
    )
    names = [f"$w_{i + 1} x_{i + 1}$" for i in range(n)] + ["$z$"]
    ax.set_xticks(positions, names, rotation=20, ha="right", rotation_mode="anchor")
    ax.axhline(0, color="0.3", linewidth=0.8)
    ax.set_ylabel("value")
    if limit is None:
        limit = 1.15 * max(np.abs(w * x).max(), abs(float(w @ x)), 1e-9)
    ax.set_ylim(-limit, limit)
    ax.grid(axis="x", visible=False)
    drawn = {"products": list(products), "z": total[0], "labels": labels}
    if animated:
        animate(*drawn["products"], drawn["z"], *labels)
    update_weighted_sum(drawn, w, x)
    return drawn


def update_weighted_sum(drawn, w, x) -> float:
    """Move the bars ``plot_weighted_sum`` drew to new w and x (arrays); return z."""
    values = list(w * x) + [float(w @ x)]
    for bar, value in zip(drawn["products"] + [drawn["z"]], values, strict=True):
        bar.set_height(value)
    for label, value in zip(drawn["labels"], values, strict=False):
        label.xy = (label.xy[0], value)
        label.set_text(f"{value:+.2f}")
        # Above a positive bar, below a negative one.
        label.set_position((0, 3 if value >= 0 else -3))
        label.set_verticalalignment("bottom" if value >= 0 else "top")
    return values[-1]


def plot_activation_outputs(z, activations, ax=None, limits=(-1.3, 4.2), animated: bool = False):
    """One horizontal bar per activation (top to bottom) for a = f(z) at the same number z,
    and a dashed line at z, over a in ``limits``.

    Returns ``{"bars": {name: Rectangle}, "z_line": Line2D, "activations": [Activation]}``.
    """
    ax = get_axes(ax)
    acts = [get_activation(name) for name in activations]
    positions = -np.arange(len(acts), dtype=float)  # the first activation on top
    bars = {
        act.name: ax.barh(
            [y], [0.0], height=0.65, color=activation_style(act.name)["color"], edgecolor="k"
        )[0]
        for y, act in zip(positions, acts, strict=True)
    }
    ax.set_yticks(positions, [act.name for act in acts])
    ax.set_ylim(positions[-1] - 0.6, 0.6)
    ax.axvline(0, color="0.3", linewidth=0.8)
    z_line = ax.axvline(0, color=PALETTE["black"], linestyle="--", linewidth=1.2, label="z")
    ax.set_xlim(*limits)
    ax.set_xlabel("a = f(z)   (dashed line: z)")
    ax.grid(axis="y", visible=False)
    if animated:
        animate(*bars.values(), z_line)
    drawn = {"bars": bars, "z_line": z_line, "activations": acts}
    update_activation_outputs(drawn, z)
    return drawn


def update_activation_outputs(drawn, z) -> dict:
    """Move what ``plot_activation_outputs`` drew to a new z; return name -> a."""
    z = float(z)
    values = {act.name: float(act.f(z)) for act in drawn["activations"]}
    for name, a in values.items():
        drawn["bars"][name].set_width(a)
    drawn["z_line"].set_xdata([z, z])
    return values


def plot_layer_stack(x, outputs: dict, ax=None):
    """The output of several networks (``outputs``: label -> values) against their one input
    x, each in its own colour, line style and marker: ``{label: Line2D}``."""
    ax = get_axes(ax)
    x = as_real_array(x, "x")
    lines = {}
    for (label, y), style in zip(outputs.items(), series_styles(len(outputs)), strict=True):
        y = as_real_array(y, label)
        if y.shape != x.shape:
            raise ValueError(f"{label!r} has shape {y.shape}, expected {x.shape} like x")
        lines[label] = ax.plot(x, y, label=label, markevery=max(len(x) // 12, 1), **style)[0]
    ax.set(xlabel="input x", ylabel="network output")
    ax.legend(loc="best")
    return lines
