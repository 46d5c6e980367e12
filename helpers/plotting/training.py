"""Figures for training runs of helpers.mlp: loss, decision boundary, gradients, activations.

Each function takes ``ax=None`` (a new figure when None), returns what it
drew, and never calls ``plt.show()``. The run is a :class:`helpers.mlp.TrainingRun`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import MaxNLocator

from helpers.definitions import SATURATION_FRACTION
from helpers.mlp import forward, predict_proba
from helpers.plotting.style import PALETTE, activation_style, series_styles

__all__ = [
    "GRADIENT_RANGE",
    "plot_activation_histograms",
    "plot_decision_boundary",
    "plot_gradient_heatmap",
    "plot_layer_profiles",
    "plot_loss_curves",
    "plot_side_by_side",
    "plot_training_summary",
    "summary_axes",
]

GRADIENT_RANGE = (1e-10, 1e1)
"""Default colour range of the gradient heatmap: fixed, so runs can be compared."""

# Class 0 and class 1: colour *and* marker differ, so colour is never the only cue.
_CLASS_STYLES = [
    {"color": PALETTE["blue"], "marker": "o"},
    {"color": PALETTE["orange"], "marker": "^"},
    {"color": PALETTE["green"], "marker": "s"},
    {"color": PALETTE["purple"], "marker": "D"},
    {"color": PALETTE["vermillion"], "marker": "v"},
]


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _label(run) -> str:
    return f"{run.depth}-layer {run.activation}"


def plot_loss_curves(runs, ax=None, labels=None, log=False):
    """Loss against step for one run or several (one line style per run).

    Args:
        runs: a TrainingRun or a list of them.
        labels: legend labels (default "depth-layer activation").
        log: logarithmic loss axis.

    Returns:
        The list of Line2D.
    """
    ax = _axes(ax)
    runs = list(runs) if isinstance(runs, (list, tuple)) else [runs]
    labels = labels or [_label(run) for run in runs]
    lines = []
    for run, label, style in zip(runs, labels, series_styles(len(runs)), strict=True):
        if run.activation in label:
            style = activation_style(run.activation)
        loss = run.history.loss
        (line,) = ax.plot(
            np.arange(len(loss)),
            loss,
            color=style["color"],
            linestyle=style["linestyle"],
            marker=style["marker"],
            markevery=max(1, len(loss) // 8),
            label=label,
        )
        lines.append(line)
        if run.diverged_at is not None:
            ax.annotate(
                f"diverged at step {run.diverged_at}",
                (len(loss) - 1, loss[-1]) if len(loss) else (0, 0),
                color=style["color"],
                fontsize="small",
            )
    chance = np.log(2)
    ax.axhline(chance, color=PALETTE["grey"], linewidth=1, linestyle=":")
    ax.annotate(
        "chance (ln 2)",
        (1.0, chance),
        xytext=(0, -2),
        textcoords="offset points",
        xycoords=("axes fraction", "data"),
        ha="right",
        va="top",
        color=PALETTE["grey"],
        fontsize="small",
    )
    ax.set_xlabel("step")
    ax.set_ylabel("loss (cross-entropy)")
    if log:
        ax.set_yscale("log")
    else:
        # Room above the chance line, so a run stuck at chance is not drawn on the frame.
        ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 1.15 * chance))
    if len(runs) > 1 or labels[0] != _label(runs[0]):
        ax.legend(loc="lower left")
    return lines


def plot_decision_boundary(run, X, y, ax=None, resolution: int = 100, padding: float = 0.3):
    """The network's P(class 1) over the plane, its 0.5 contour, and the data.

    Returns:
        dict with the filled contour ``"probability"``, the ``"boundary"``
        contour and the list of ``"points"`` collections (one per class).
    """
    ax = _axes(ax)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    gx, gy = np.meshgrid(
        np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    )
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    # A run that diverged can have weights so large that far-away grid points
    # overflow: those are left blank (NaN) rather than warned about.
    with np.errstate(over="ignore", invalid="ignore"):
        p = predict_proba(run.params, grid, run.activation)
    if p.ndim == 2:  # softmax: show the most likely class
        p = p.argmax(axis=1) / max(1, p.shape[1] - 1)
    p = p.reshape(gx.shape)
    filled = ax.contourf(gx, gy, p, levels=np.linspace(0, 1, 11), cmap="PuOr_r", alpha=0.45)
    boundary = ax.contour(gx, gy, p, levels=[0.5], colors=PALETTE["black"], linewidths=1.5)
    points = []
    for label in np.unique(y):
        style = _CLASS_STYLES[int(label) % len(_CLASS_STYLES)]
        chosen = y == label
        points.append(
            ax.scatter(
                X[chosen, 0],
                X[chosen, 1],
                s=14,
                color=style["color"],
                marker=style["marker"],
                edgecolors="white",
                linewidths=0.4,
                label=f"class {label}",
            )
        )
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    return {"probability": filled, "boundary": boundary, "points": points}


def plot_gradient_heatmap(
    run, ax=None, quantity: str = "backprop_norm", vrange=GRADIENT_RANGE, colorbar=True, cax=None
):
    """Per-layer gradient norms over training: layers (rows) x steps, log colour scale.

    Args:
        quantity: ``"backprop_norm"`` (the gradient reaching each hidden
            layer, dL/da) or ``"weight_grad_norm"`` (dL/dW, one more row for
            the output layer).
        vrange: the colour scale's (min, max); values outside are clipped to
            its ends (the colour bar's pointed ends), zeros included.
        colorbar: draw a colour bar (into ``cax`` if given).

    Returns:
        dict with the ``"image"`` and the ``"colorbar"`` (or None).
    """
    ax = _axes(ax)
    values = np.asarray(getattr(run.history, quantity), dtype=float).T  # layers x steps
    low, high = vrange
    shown = np.clip(np.nan_to_num(values, nan=low, posinf=high), low, high)
    n_layers, n_steps = shown.shape
    image = ax.imshow(
        shown,
        origin="lower",
        aspect="auto",
        interpolation="nearest",
        cmap="viridis",
        norm=LogNorm(vmin=low, vmax=high),
        extent=(-0.5, n_steps - 0.5, 0.5, n_layers + 0.5),
    )
    ax.set_xlabel("step")
    ax.set_ylabel("layer (1 = next to the input)")
    ticks = np.unique(np.linspace(1, n_layers, min(n_layers, 6)).round().astype(int))
    ax.set_yticks(ticks)
    if quantity == "weight_grad_norm":
        ax.set_yticklabels([("output" if t == n_layers else str(t)) for t in ticks])
    ax.grid(False)
    bar = None
    if colorbar:
        what = "‖∂L/∂a‖ per sample" if quantity == "backprop_norm" else "‖∂L/∂W‖"
        if cax is not None:
            cax.clear()
            bar = ax.figure.colorbar(image, cax=cax, extend="both")
        else:
            bar = ax.figure.colorbar(image, ax=ax, extend="both")
        bar.set_label(what)
    return {"image": image, "colorbar": bar}


def plot_activation_histograms(run, X, ax=None, bins: int = 30, max_layers: int = 10):
    """One histogram of the activations ``a`` per hidden layer, stacked (layer 1 at the bottom).

    Each histogram is scaled to its own peak, so shapes compare across layers.
    For sigmoid and tanh the saturated zones (f' below 10 % of its peak, see
    :func:`helpers.mlp.saturation_rule`) are shaded; for ReLU the share of
    zero outputs (exactly 0) is written beside each layer.

    Returns:
        The list of (step-line) artists, one per layer shown.
    """
    ax = _axes(ax)
    with np.errstate(over="ignore", invalid="ignore"):
        cache = forward(run.params, X, run.activation)
    hidden = cache.activations[1:]
    layers = np.unique(np.linspace(0, len(hidden) - 1, min(len(hidden), max_layers)).round())
    layers = layers.astype(int)
    if run.activation == "sigmoid":
        low, high = 0.0, 1.0
    elif run.activation == "tanh":
        low, high = -1.0, 1.0
    else:
        # The bulk, not the few largest values: 99.5th percentile over the layers shown.
        values = np.concatenate([hidden[i].ravel() for i in layers])
        low = min(0.0, float(values.min()))
        high = float(np.percentile(values, 99.5))
        if not high > low:
            high = low + 1.0
    edges = np.linspace(low, high, bins + 1)
    style = activation_style(run.activation)
    artists = []
    labels = []
    for row, index in enumerate(layers):
        a = hidden[index].ravel()
        counts, _ = np.histogram(np.clip(a, low, high), bins=edges)
        height = counts / max(1, counts.max()) * 0.85
        artists.append(
            ax.stairs(height + row, edges, baseline=row, fill=True, color=style["color"], alpha=0.6)
        )
        ax.stairs(height + row, edges, baseline=row, color=style["color"], linewidth=1)
        labels.append(f"layer {index + 1}")
        if run.activation == "relu":
            ax.text(
                0.98,
                row + 0.45,
                f"{np.mean(a == 0):.0%} zero outputs",
                transform=ax.get_yaxis_transform(),
                ha="right",
                va="center",
                fontsize="x-small",
            )
    for start, stop in _saturated_zones(run.activation):
        ax.axvspan(start, stop, color=PALETTE["grey"], alpha=0.25, linewidth=0)
    ax.set_yticks(np.arange(len(layers)) + 0.4)
    ax.set_yticklabels(labels, fontsize="small")
    ax.set_ylim(0, len(layers))
    ax.set_xlim(low, high)
    ax.set_xlabel(f"activation a ({run.activation})")
    ax.grid(False)
    return artists


def _saturated_zones(activation: str) -> list[tuple[float, float]]:
    """The output ranges where a unit is saturated (helpers.definitions): f' < 10 % of peak."""
    if activation == "sigmoid":  # a (1 - a) / 0.25 < 0.1
        edge = (1 - np.sqrt(1 - SATURATION_FRACTION)) / 2  # 0.0257
        return [(0.0, edge), (1 - edge, 1.0)]
    if activation == "tanh":  # 1 - a^2 < 0.1
        edge = np.sqrt(1 - SATURATION_FRACTION)  # 0.949
        return [(-1.0, -edge), (edge, 1.0)]
    return []


def plot_layer_profiles(profiles: dict, ax=None, ylabel: str = "value", log: bool = True):
    """Curves of a per-layer quantity against layer number, one per setting.

    Args:
        profiles: label -> 1-D array indexed by layer (index 0 = layer 1).
        log: logarithmic y axis.

    Returns:
        The list of Line2D.
    """
    ax = _axes(ax)
    lines = []
    for (label, values), style in zip(profiles.items(), series_styles(len(profiles)), strict=True):
        values = np.asarray(values, dtype=float)
        (line,) = ax.plot(np.arange(1, len(values) + 1), values, label=label, **style)
        lines.append(line)
    if log:
        ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel(ylabel)
    ax.legend()
    return lines


def summary_axes(figure):
    """The five axes :func:`plot_training_summary` draws into, laid out on ``figure``.

    The layout is fixed (no layout engine), so a widget redrawing into the
    same axes never moves them.
    """
    figure.set_layout_engine("none")
    # Margins in inches, grown with the font (lecture mode), as helpers.plotting.new_figure does.
    width, height = figure.get_size_inches()
    scale = plt.rcParams["font.size"] / 12
    # Columns: loss / heatmap, its colour bar, a gap for the bar's labels, the rest.
    grid = figure.add_gridspec(
        2,
        4,
        width_ratios=[1, 0.035, 0.4 * scale, 1],
        left=0.8 * scale / width,
        right=1 - 0.2 * scale / width,
        bottom=0.6 * scale / height,
        top=1 - 0.4 * scale / height,
        wspace=0.04,
        hspace=0.35 * scale,
    )
    return {
        "loss": figure.add_subplot(grid[0, 0]),
        "boundary": figure.add_subplot(grid[0, 3]),
        "heatmap": figure.add_subplot(grid[1, 0]),
        "colorbar": figure.add_subplot(grid[1, 1]),
        "histograms": figure.add_subplot(grid[1, 3]),
    }


def plot_training_summary(run, X, y, figure=None, axes=None, title: str | None = None):
    """Four panels for one run: loss, decision boundary, gradient heatmap, activation histograms.

    Args:
        figure: the figure to draw on (a new 2 x 2 one when None and no ``axes``).
        axes: dict with ``"loss"``, ``"boundary"``, ``"heatmap"``, ``"colorbar"``,
            ``"histograms"`` axes to draw into (cleared first): a widget
            passes its own so the figure persists.

    Returns:
        The dict of axes drawn on.
    """
    if axes is None:
        axes = summary_axes(figure if figure is not None else plt.figure(figsize=(11, 7.5)))
    for ax in axes.values():
        ax.clear()
    plot_loss_curves(run, ax=axes["loss"])
    axes["loss"].set_title("loss")
    plot_decision_boundary(run, X, y, ax=axes["boundary"])
    axes["boundary"].set_title("decision boundary")
    plot_gradient_heatmap(run, ax=axes["heatmap"], cax=axes["colorbar"])
    axes["heatmap"].set_title("gradient per layer")
    plot_activation_histograms(run, X, ax=axes["histograms"])
    axes["histograms"].set_title("activations at the end")
    if title:
        axes["loss"].figure.suptitle(title)
    return axes


def plot_side_by_side(runs, X, y, figure=None, titles=None):
    """Runs in columns: loss, gradient heatmap and decision boundary of each.

    The heatmaps share one log colour scale, so the colours compare directly.

    Returns:
        A list (one per run) of dicts of axes ``"loss"``, ``"heatmap"``, ``"boundary"``.
    """
    runs = list(runs)
    if figure is None:
        figure = plt.figure(figsize=(6 * len(runs), 11), layout="constrained")
    titles = titles or [f"{run.depth}-layer {run.activation}" for run in runs]
    grid = figure.add_gridspec(3, len(runs))
    drawn = []
    top = max(max(run.history.loss.max() for run in runs), np.log(2)) * 1.05
    for column, (run, title) in enumerate(zip(runs, titles, strict=True)):
        axes = {
            "loss": figure.add_subplot(grid[0, column]),
            "heatmap": figure.add_subplot(grid[1, column]),
            "boundary": figure.add_subplot(grid[2, column]),
        }
        plot_loss_curves(run, ax=axes["loss"])
        axes["loss"].set_ylim(0, top)
        axes["loss"].set_title(title)
        plot_gradient_heatmap(run, ax=axes["heatmap"], colorbar=column == len(runs) - 1)
        plot_decision_boundary(run, X, y, ax=axes["boundary"])
        drawn.append(axes)
    return drawn
