"""Figures for notebooks 02 and 03: sigmoid and tanh in floating point, their
derivatives' fall-off, the identity tanh(z) = 2σ(2z) - 1, and "significant" regions."""

from __future__ import annotations

from itertools import groupby

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch

from helpers.activations import get_activation, sigmoid, tanh
from helpers.calculus import significant_half_width
from helpers.naive import float_outcomes
from helpers.plotting.style import (
    PALETTE,
    activation_style,
    data_per_point,
    get_axes,
    note,
    zero_lines,
)

# How each floating-point outcome looks: colour, hatch and the words written on it.
_OUTCOME_STYLE = {
    "number": {"color": PALETTE["green"], "hatch": "", "text": "a number"},
    "overflow": {"color": PALETTE["orange"], "hatch": "..", "text": "overflow"},
    "nan": {"color": PALETTE["vermillion"], "hatch": "xx", "text": "NaN"},
}


def plot_sigmoid_forms(forms: dict, ax=None):
    """One strip per formula (``forms``: label -> function of z, top to bottom), coloured by
    what it gives in float64 at 801 points over [-1000, 1000].

    Returns ``{label: [(z_start, z_stop, outcome)]}``, outcomes from ``helpers.naive.OUTCOMES``.
    """
    ax = get_axes(ax)
    z = np.linspace(-1000, 1000, 801)
    step = z[1] - z[0]
    ax.set_xlim(z[0] - step / 2, z[-1] + step / 2)
    char = 0.6 * 0.83 * plt.rcParams["font.size"] * data_per_point(ax, "x")  # of small text
    on_white = {"facecolor": "white", "edgecolor": "none", "pad": 1.5, "alpha": 0.85}
    drawn, seen = {}, []
    for row, (label, f) in enumerate(forms.items()):
        drawn[label], start = [], 0
        for outcome, run in groupby(float_outcomes(f, z)):
            stop = start + len(list(run))
            left, right = z[start] - step / 2, z[stop - 1] + step / 2
            style = _OUTCOME_STYLE[outcome]
            colours = {"color": style["color"], "hatch": style["hatch"]}
            ax.barh(-row, right - left, left=left, height=0.6, edgecolor="k", lw=0.8, **colours)
            if outcome not in seen:
                seen.append(outcome)
            # Named on the strip where the words fit; the key above names every outcome.
            if right - left > (len(style["text"]) + 4) * char:  # axes shrink in layout
                middle = ((left + right) / 2, -row)
                note(ax, style["text"], middle, ha="center", va="center", bbox=on_white)
            drawn[label].append((float(z[start]), float(z[stop - 1]), outcome))
            start = stop
    key = [
        Patch(facecolor=style["color"], hatch=style["hatch"], edgecolor="k", label=style["text"])
        for style in map(_OUTCOME_STYLE.get, seen)
    ]
    place = {"loc": "lower center", "bbox_to_anchor": (0.5, 1.0), "ncols": len(key)}
    ax.legend(handles=key, fontsize="small", handlelength=1.5, **place)
    ax.set_yticks([-row for row in range(len(forms))], list(forms))
    ax.set(ylim=(-len(forms) + 0.4, 0.6), xlabel="z")
    ax.grid(axis="y", visible=False)
    return drawn


def plot_derivative_fraction(activations=("sigmoid", "tanh"), ax=None, fractions=(0.01,)):
    """f'(z) as a fraction of its peak, on a log scale over z in [0, 8] (the curves are even),
    with reference levels at ``fractions`` (e.g. (0.07, 0.01) for 7 % and 1 %).
    Returns ``{"curves": {name: Line2D}, "levels": {fraction: Line2D}}``.
    """
    ax = get_axes(ax)
    z = np.linspace(0.0, 8.0, 601)
    curves, levels = {}, {}
    for name in activations:
        act = get_activation(name)
        label, fraction = f"{act.name}'(z) / {act.name}'(0)", act.df(z) / float(act.df(0.0))
        style = {"markevery": 50, **activation_style(act.name)}
        curves[act.name] = ax.semilogy(z, fraction, label=label, **style)[0]
    for fraction in fractions:
        levels[fraction] = ax.axhline(fraction, color=PALETTE["grey"], linestyle=":", linewidth=1.2)
        text = f"{100 * fraction:g} % of the peak"
        note(ax, text, (z[-1], fraction), (-2, 3), ha="right", va="bottom", color="0.25")
    ax.set(xlabel="z", ylabel="fraction of the peak (log scale)", xlim=(z[0], z[-1]))
    ax.legend(loc="lower left")
    return {"curves": curves, "levels": levels}


def plot_tanh_identity(ax=None):
    """tanh(z) and 2σ(2z) - 1 on one axes over [-4, 4], and their difference (in units of
    float64's machine epsilon) in an inset: ``"tanh"``, ``"via_sigmoid"``, ``"difference"``
    (Line2D) and ``"inset"`` (the inset axes)."""
    ax = get_axes(ax)
    z = np.linspace(-4.0, 4.0, 401)
    direct, via = tanh(z), 2 * sigmoid(2 * z) - 1
    colour = activation_style("tanh")["color"]
    tanh_line = ax.plot(z, direct, label="tanh(z)", color=colour, linestyle="-")[0]
    size = 0.6 * plt.rcParams["lines.markersize"]
    dots = {"marker": "o", "markersize": size, "markevery": 20, "markerfacecolor": "white"}
    style = {"color": PALETTE["black"], "linestyle": "", **dots}
    via_line = ax.plot(z, via, label="2σ(2z) − 1", **style)[0]
    zero_lines(ax)
    ax.set(xlabel="z", ylabel="value")
    ax.legend(loc="upper left")
    # Bottom right, where neither curve passes (tanh > 0 for z > 0); text at the
    # "small" size, readable projected (10 pt reading, 17 pt lecture).
    inset = ax.inset_axes([0.62, 0.11, 0.36, 0.33])
    eps = np.finfo(np.float64).eps
    difference = inset.plot(z, (direct - via) / eps, color=PALETTE["blue"], linewidth=1)[0]
    inset.set_title("tanh(z) − (2σ(2z) − 1), in ε", fontsize="small")
    inset.set_ylabel("ε", fontsize="small", rotation=0, va="center", labelpad=8)
    inset.set_xlabel("z", fontsize="small", labelpad=2)
    inset.tick_params(labelsize="small")
    inset.set(xlim=(z[0], z[-1]), xticks=[-4, 0, 4])
    inset.yaxis.set_major_locator(plt.MaxNLocator(3, integer=True))
    return {"tanh": tanh_line, "via_sigmoid": via_line, "difference": difference, "inset": inset}


def plot_significant_region(activation, fraction: float, ax=None, y: float = 0.0, height=0.13):
    """Shade where f'(z) >= fraction · f'(0), under the derivative curve and as a hatched bar
    at y over [-h, h] (h = ``helpers.calculus.significant_half_width``) labelled with h.

    Returns ``{"half_width": h, "fill", "bar", "label"}``: everything drawn, so a demo can hide it.
    """
    ax = get_axes(ax)
    act = get_activation(activation)
    colour = activation_style(act.name)["color"]
    hatch = {"sigmoid": "//", "tanh": "\\\\"}.get(act.name, "..")
    h = significant_half_width(act, fraction)
    z = np.linspace(-h, h, 241)
    # No hatch under the curve: it would double the PNG a demo sends; the bar has one.
    fill = ax.fill_between(z, 0, act.df(z), color=colour, alpha=0.2, linewidth=0)
    shade = {"color": colour, "alpha": 0.35, "hatch": hatch, "edgecolor": colour}
    bar = ax.barh(y, 2 * h, left=-h, height=height, **shade)[0]
    # On the bar's middle (z = 0), on white: readable however narrow the bar is.
    text = f"{act.name}' ≥ {100 * fraction:g} %: |z| ≤ {h:.2f}"
    on_white = {"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.85}
    label = note(ax, text, (0.0, y), va="center", ha="center", color="0.1", bbox=on_white)
    return {"half_width": h, "fill": fill, "bar": bar, "label": label}
