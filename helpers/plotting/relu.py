"""Figures for notebook 05: ReLU's successors, and dead ReLU units (``helpers.dead_relu``)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from helpers.activations import get_activation
from helpers.plotting.activations import derivative_for_plot
from helpers.plotting.style import PALETTE, activation_style, get_axes, series_styles, zero_lines


def plot_relu_family(activations, axes=None):
    """The activations (left) and their derivatives (right) over z in [-4, 3], on two axes
    (``axes``, or a new 1 x 2 figure): ten curves on one axes are hard to tell apart.

    Returns ``{name: {"f": Line2D, "df": Line2D}}``.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 4), sharex=True)
    ax_f, ax_df = axes
    z = np.linspace(-4, 3, 701)
    drawn = {}
    step = max(1, len(z) // 7)
    for index, name in enumerate(activations):
        act = get_activation(name)
        # Markers staggered per curve, so overlapping curves still show each marker.
        kwargs = {**activation_style(act.name), "markevery": ((index * step) // 5 % step, step)}
        drawn[act.name] = {
            "f": ax_f.plot(z, act.f(z), label=act.name, **kwargs)[0],
            "df": ax_df.plot(z, derivative_for_plot(act, z), label=act.name, **kwargs)[0],
        }
    for ax, title in ((ax_f, "activation f(z)"), (ax_df, "derivative f'(z)")):
        zero_lines(ax)
        ax.set(xlabel="z", title=title)
    ax_f.set_ylabel("a = f(z)")
    ax_df.set_ylabel("f'(z)")
    # The legend right of the panels, clear of every curve; the activations'
    # empty upper left holds a zoom on z < 0, the one place relu and leaky_relu differ.
    ax_df.legend(loc="center left", bbox_to_anchor=(1.02, 0.5))
    if "relu" in drawn and "leaky_relu" in drawn:
        _zoom_negative_side(ax_f, z, activations, step)
    return drawn


def _zoom_negative_side(ax, z, activations, step):
    """An inset over z < 0 magnifying f near 0: relu's 0 against leaky_relu's slope 0.01."""
    inset = ax.inset_axes([0.22, 0.5, 0.3, 0.3])
    # Readable when the notebook's 11-inch figure is shown 10 inches wide.
    size = max(11.2, 0.83 * plt.rcParams["font.size"])
    negative = z[z <= 0]
    for index, name in enumerate(activations):
        act = get_activation(name)
        if act.name in ("relu", "leaky_relu"):
            style = activation_style(act.name)
            inset.plot(negative, act.f(negative), markevery=(index * 7 % step, step // 2), **style)
    low = float(get_activation("leaky_relu").f(negative[0]))
    inset.set(xlim=(negative[0], 0), ylim=(1.3 * low, -0.3 * low))
    inset.set_title("zoom on z < 0:\nleaky_relu's slope 0.01", fontsize=size)
    inset.set_xlabel("z", fontsize=size, labelpad=0)
    inset.set_ylabel("f", fontsize=size, labelpad=1, rotation=0, va="center")
    inset.tick_params(labelsize=size, pad=1)
    inset.set_xticks([negative[0], 0], [f"{negative[0]:g}", "0"])
    inset.set_yticks([round(low, 2), 0], [f"{round(low, 2):g}", "0"])
    inset.grid(False)
    return inset


def plot_dead_units_vs_eta(runs, ax=None):
    """Share of dead hidden units after training against eta (log axis), one curve per seed
    of ``runs`` (``helpers.dead_relu.DeadUnitsRun``); a run that diverged is a cross at the top.

    Returns ``{"curves": {seed: Line2D}, "diverged": Line2D or None}``.
    """
    ax = get_axes(ax)
    seeds = sorted({run.seed for run in runs})
    curves, diverged = {}, None
    for seed, style in zip(seeds, series_styles(len(seeds)), strict=True):
        ok = sorted(
            (r for r in runs if r.seed == seed and r.diverged_at is None), key=lambda r: r.eta
        )
        share = [100 * run.final_dead.sum() / run.n_units for run in ok]
        curves[seed] = ax.plot([run.eta for run in ok], share, label=f"seed {seed}", **style)[0]
    etas = [run.eta for run in runs if run.diverged_at is not None]
    if etas:
        cross = {"marker": "x", "markersize": 10, "markeredgewidth": 2, "linestyle": "none"}
        label = "diverged (overflowed)"
        diverged = ax.plot(etas, [100] * len(etas), color=PALETTE["black"], label=label, **cross)[0]
    ax.set(xscale="log", ylim=(-3, 108), xlabel="learning rate eta (log scale)")
    ax.set_ylabel("dead units after training (%)")
    ax.legend(loc="upper left")
    return {"curves": curves, "diverged": diverged}


def plot_dead_units_during_training(runs, ax=None, animated: bool = True):
    """Dead hidden units against the training step: every run in grey (the background), and
    an empty black curve and label set by :func:`set_dead_units_during_training`.

    Returns ``{"others": [Line2D], "current": Line2D, "label": Text}``.
    """
    ax = get_axes(ax)
    grey = {"color": "0.75", "linestyle": "-", "linewidth": 1}
    others = [ax.plot(run.steps_checked, run.dead.sum(axis=1), **grey)[0] for run in runs]
    size = 0.6 * plt.rcParams["lines.markersize"]
    black = {"color": PALETTE["black"], "linestyle": "-", "marker": "o", "linewidth": 2.5}
    current = ax.plot([], [], markersize=size, animated=animated, **black)[0]
    label = ax.text(0.97, 0.96, "", transform=ax.transAxes, ha="right", va="top", animated=animated)
    n_units = max((run.n_units for run in runs), default=1)
    ax.set_xlim(0, max((run.steps for run in runs), default=100))
    ax.set_ylim(-0.03 * n_units, 1.05 * n_units)
    ax.set(xlabel="training step", ylabel=f"dead hidden units (of {n_units})")
    return {"others": others, "current": current, "label": label}


def set_dead_units_others(artists, runs):
    """Move the grey background curves to ``runs`` (as many as were drawn)."""
    for line, run in zip(artists["others"], runs, strict=True):
        line.set_data(run.steps_checked, run.dead.sum(axis=1))
    return artists


def set_dead_units_during_training(artists, run):
    """Highlight ``run`` in :func:`plot_dead_units_during_training`'s axes."""
    artists["current"].set_data(run.steps_checked, run.dead.sum(axis=1))
    text = f"black: eta = {run.eta:g}"
    if run.diverged_at is not None:
        text += f", diverged at step {run.diverged_at}"
    artists["label"].set_text(text)
    return artists


def plot_dead_units_per_layer(depth: int, width: int, ax=None, animated: bool = True):
    """Empty bars and counts, one per hidden layer, for the dead units after training
    (out of ``width``): ``{"bars": [Rectangle], "counts": [Text]}``."""
    ax = get_axes(ax)
    layers = np.arange(1, depth + 1)
    colours = {"color": PALETTE["sky_blue"], "edgecolor": PALETTE["black"]}
    bars = ax.bar(layers, np.zeros(depth), animated=animated, **colours)
    counts = [
        ax.text(layer, 0, "", ha="center", va="bottom", fontsize="small", animated=animated)
        for layer in layers
    ]
    ax.set_xticks(layers)
    ax.set(xlim=(0.4, depth + 0.6), ylim=(0, width * 1.12))
    ax.axhline(width, color="0.5", linewidth=0.8, linestyle="--")
    ax.set_xlabel("hidden layer (1 = next to the input)")
    ax.set_ylabel(f"dead units after training (of {width})")
    return {"bars": list(bars), "counts": counts}


def set_dead_units_per_layer(artists, dead):
    """Set the bars of :func:`plot_dead_units_per_layer` to ``dead`` (one count per layer)."""
    for bar, text, count in zip(artists["bars"], artists["counts"], dead, strict=True):
        bar.set_height(count)
        text.set_position((bar.get_x() + bar.get_width() / 2, count))
        text.set_text(str(int(count)))
    return artists
