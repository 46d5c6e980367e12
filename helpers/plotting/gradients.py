"""Figures of gradients shrinking along a chain (``helpers.chain``) and through the layers
of a deep network (``helpers.mlp``), on a log scale: zeros, which it cannot show, are left
out of the line and reported by the callers' readouts.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter, NullLocator

from helpers.plotting.style import (
    PALETTE,
    activation_style,
    data_per_point,
    get_axes,
    note,
    series_styles,
)

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value, _position=None) -> str:
    """Tick label 10⁻⁹ in plain Unicode (a mathtext label costs ~50 ms to lay out)."""
    exponent = math.log10(value) if value > 0 else 0.5  # 0.5: not a whole power, no label
    whole = abs(exponent - round(exponent)) <= 1e-9
    return "10" + str(round(exponent)).translate(_SUPERSCRIPTS) if whole else ""


def _log_y(ax) -> None:
    """A log y axis labelled 10ⁿ at whole powers only."""
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
    ax.yaxis.set_minor_formatter(NullFormatter())


def set_log_limits(ax, low: float, high: float, max_ticks: int = 8) -> None:
    """Set log y limits and put ticks on powers of ten that are multiples of a round
    stride (1, 2, 5, 10, 20 or 50 decades), so 10⁰ is always one of them."""
    ax.set_ylim(low, high)
    lo, hi = math.floor(math.log10(low)), math.ceil(math.log10(high))
    stride = next((s for s in (1, 2, 5, 10, 20, 50) if (hi - lo) / s <= max_ticks - 1), 100)
    first = -(-lo // stride) * stride  # the first multiple of stride at or above lo
    ax.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(first, hi + 1, stride)))
    ax.yaxis.set_minor_locator(NullLocator())


def _positive(values) -> np.ndarray:
    """abs(values) as floats, with zeros (and NaN) as NaN so a log axis skips them."""
    values = np.abs(np.asarray(values, dtype=float))
    return np.where(values > 0, values, np.nan)


def decade_limits(values, *, block: int = 5, low: float = -320, high: float = 300):
    """Log-axis limits ``(10**a, 10**b)`` that change rarely, so a widget redraws only the
    data: ``a < b`` are multiples of ``block`` decades, clamped to ``[10**low, 10**high]``."""
    values = _positive(values)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return 10.0**-block, 10.0**block
    # headroom (half a decade, or 5 % of the span), so no curve runs along the frame
    smallest, largest = math.log10(values.min()), math.log10(values.max())
    pad = max(0.5, 0.05 * (largest - smallest))
    lo = math.floor((smallest - pad) / block) * block
    hi = math.ceil((largest + pad) / block) * block
    if hi - lo < 2 * block:  # at least two blocks, so a flat line sits mid-axes
        hi = lo + 2 * block if hi - lo < block else hi + block
    lo = max(lo, low)
    hi = min(max(hi, lo + block), high)
    return 10.0**lo, 10.0**hi


def plot_chain_products(depths, products: dict, ax=None, thresholds: dict | None = None):
    """The product of a chain's local derivatives against the number of hidden layers.

    ``products`` maps a label to the products at ``depths``, one curve each;
    ``thresholds`` maps a label to a horizontal reference line (for example the
    smallest gradient that still changes w = 2.5 in float32). Returns
    ``{"curves": {label: Line2D}, "thresholds": {label: Line2D}}``.
    """
    ax = get_axes(ax)
    depths, thresholds = np.asarray(depths), thresholds or {}
    every = max(1, len(depths) // 10)
    curves = {
        label: ax.plot(depths, _positive(values), label=label, markevery=every, **style)[0]
        for (label, values), style in zip(
            products.items(), series_styles(len(products)), strict=True
        )
    }
    dashes = {"color": PALETTE["grey"], "linestyle": (0, (4, 2)), "linewidth": 1.2}
    lines = {label: ax.axhline(value, **dashes) for label, value in thresholds.items()}
    _log_y(ax)
    ax.set_xlabel("hidden layers (the chain has one factor more)")
    ax.set_ylabel("product of the factors (log scale)")
    shown = np.concatenate([np.ravel(v) for v in products.values()])
    set_log_limits(ax, *decade_limits(np.append(shown, list(thresholds.values()))))
    ax.set_xlim(depths[0] - 0.5, depths[-1] + 0.5)
    for label, value in thresholds.items():
        _label_threshold(ax, label, value, depths, products)
    ax.legend(loc="lower left", fontsize="small")
    return {"curves": curves, "thresholds": lines}


def _label_threshold(ax, label: str, value: float, depths, products) -> None:
    """Write a threshold's label next to its line, at the first of: above at the right
    end, above at the left, below at the right, below at the left, where no curve
    passes through the text (estimated from the font size and the axes' size)."""
    text = textwrap.fill(label, width=max(20, len(label) // 2 + 2))
    lines = text.splitlines()
    size = 0.83 * plt.rcParams["font.size"]  # "small", in points
    decades = (1.3 * len(lines) * size + 3) * data_per_point(ax, "y")  # the text's height
    width = max(map(len, lines)) * 0.6 * size * data_per_point(ax, "x")  # and its width
    level = math.log10(value)
    logs = [np.log10(_positive(v)) for v in products.values()]

    def clear(end: int, side: str) -> bool:
        x, other_end = depths[end], depths[end] + (width if end == 0 else -width)
        band = (level, level + decades) if side == "above" else (level - decades, level)
        span = (depths >= min(x, other_end) - 1) & (depths <= max(x, other_end) + 1)
        return all(not np.any((v[span] > band[0] - 0.3) & (v[span] < band[1] + 0.3)) for v in logs)

    candidates = [(end, side) for side in ("above", "below") for end in (-1, 0)]
    end, side = next((c for c in candidates if clear(*c)), candidates[0])
    above = side == "above"
    note(
        ax,
        text,
        (depths[end], value),
        (-2 if end else 2, 3 if above else -3),
        ha="right" if end else "left",
        va="bottom" if above else "top",
        color="0.3",
    )


def plot_running_product(max_factors: int, ax=None, animated: bool = False):
    """Empty Line2D ``"product"``, ``"float32"`` and ``"float64"`` (the thresholds, named in
    a legend that never changes) against the factors multiplied so far (0 = nothing yet, 1).
    """
    ax = get_axes(ax)
    label = "|product of the factors so far|"
    style = {"color": PALETTE["blue"], "marker": "o", "linestyle": "-", "zorder": 4}
    artists = {"product": ax.plot([], [], label=label, animated=animated, **style)[0]}
    for key, color, dashes in (("float32", "vermillion", "--"), ("float64", "green", ":")):
        style = {"color": PALETTE[color], "linestyle": dashes, "linewidth": 1.5}
        label = f"below this, {key} loses the update"
        artists[key] = ax.plot([], [], label=label, animated=animated, **style)[0]
    _log_y(ax)
    ax.set(xlim=(-0.3, max_factors + 0.3), xticks=range(max_factors + 1))
    ax.set(xlabel="factors multiplied so far", ylabel="|gradient| (log scale)")
    ax.legend(loc="upper right", fontsize="small")
    return artists


def set_running_product(artists, factors, float32_threshold: float, float64_threshold: float):
    """Move :func:`plot_running_product`'s artists; return the running products, 1 first.
    The thresholds are the smallest gradients that still change the weight."""
    running = np.cumprod(np.concatenate([[1.0], np.asarray(factors, dtype=float)]))
    artists["product"].set_data(np.arange(running.size), _positive(running))
    x_min, x_max = artists["product"].axes.get_xlim()
    for key, value in (("float32", float32_threshold), ("float64", float64_threshold)):
        artists[key].set_data([x_min, x_max], [value, value])
    return running


def plot_gradient_profiles(
    profiles, ax=None, max_depth: int | None = None, animated: bool = False, limits=None
):
    """Gradient size reaching each hidden layer, one curve per profile (from
    ``helpers.mlp.gradient_profile``, typically one per activation), on a log scale.

    No reference line: the notes' best case for sigmoid, a factor 0.25 per
    layer, holds for a chain of single units with |w| <= 1, not for layers of
    many units (a layer's factor is bounded by 0.25 times its weight matrix's
    largest singular value, which exceeds 1 for usual initialisations).
    ``max_depth`` (default: the deepest profile) and ``limits`` (default: the
    data's decades, with half a decade of headroom) fix the axes for a widget.
    Returns ``{"curves": [Line2D], "labels": [Text]}``, one of each per profile.
    """
    ax = get_axes(ax)
    size = 0.6 * plt.rcParams["lines.markersize"]
    text = {"fontsize": "small", "ha": "right", "va": "center", "animated": animated}
    artists = {  # styled and named by set_gradient_profiles
        "curves": [ax.plot([], [], markersize=size, animated=animated)[0] for _ in profiles],
        "labels": [ax.text(1, 1, "", **text) for _ in profiles],
    }
    _log_y(ax)
    ax.set_xlabel("hidden layer (1 = next to the input)")
    ax.set_ylabel("gradient size ‖∂L/∂a‖ (log scale)")
    set_layer_axis(ax, max_depth or max(p.depth for p in profiles))
    if limits is None:
        limits = decade_limits(np.concatenate([p.backprop_norm for p in profiles]), block=1)
    set_log_limits(ax, *limits)
    set_gradient_profiles(artists, profiles)  # after the limits: labels are spaced in them
    return artists


def set_layer_axis(ax, max_depth: int) -> None:
    """x limits and ticks for hidden layers 1..max_depth, with room on the left for labels."""
    ax.set_xlim(-0.18 * max_depth, max_depth + 1)
    step = 1 if max_depth <= 5 else 5 if max_depth <= 20 else 10
    ax.set_xticks(sorted({1, *range(step, max_depth + 1, step)}))


def _spread(heights, gap: float) -> np.ndarray:
    """Move heights up as little as possible so that neighbours are at least ``gap`` apart."""
    heights = np.asarray(heights, dtype=float)
    order = np.argsort(heights, kind="stable")
    spread = heights.copy()
    for previous, current in zip(order[:-1], order[1:], strict=True):
        spread[current] = max(spread[current], spread[previous] + gap)
    return spread


def set_gradient_profiles(artists, profiles):
    """Move :func:`plot_gradient_profiles`'s artists to new profiles (same number). Each
    curve's name sits left of its first point, moved apart from a name less than a line away.
    """
    heights = []
    for curve, label, profile in zip(artists["curves"], artists["labels"], profiles, strict=True):
        values = _positive(profile.backprop_norm)
        curve.set_data(np.arange(1, profile.depth + 1), values)
        style = activation_style(profile.activation)  # the slot may show another activation now
        curve.set(**style, label=profile.activation)
        label.set(text=profile.activation, color=style["color"])
        first = values[0] if np.isfinite(values[0]) else np.nanmin(np.append(values, np.inf))
        heights.append(math.log10(first) if np.isfinite(first) else 0.0)
    if artists["labels"]:
        # One line of the labels' text (1.3 x its size), in decades of this axes.
        line = 1.3 * artists["labels"][0].get_fontsize() * data_per_point(artists["labels"][0].axes)
        for label, height in zip(artists["labels"], _spread(heights, line), strict=True):
            label.set_position((0.6, 10.0**height))
    return artists
