"""Figures for training runs of helpers.mlp: loss, decision boundary, gradients, activations.

Each function takes ``ax=None`` (a new figure when None), returns what it
drew, and never calls ``plt.show()``. The run is a :class:`helpers.mlp.TrainingRun`.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from contourpy import contour_generator
from matplotlib.collections import LineCollection
from matplotlib.colors import LogNorm
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter
from matplotlib.transforms import Bbox

from helpers.definitions import SATURATION_FRACTION
from helpers.mlp import forward, predict_proba
from helpers.plotting.style import PALETTE, activation_style, series_styles

__all__ = [
    "GRADIENT_CMAP",
    "GRADIENT_RANGE",
    "PROBABILITY_CMAP",
    "TrainingSummary",
    "gradient_decades",
    "layer_ticks",
    "plot_activation_histograms",
    "plot_decision_boundary",
    "plot_gradient_heatmap",
    "plot_layer_profiles",
    "plot_loss_curves",
    "plot_side_by_side",
    "plot_training_summary",
    "relative_gradient",
    "summary_axes",
]

GRADIENT_RANGE = (1e-10, 1e1)
"""Fallback colour range of the absolute gradient heatmap (when no value is positive)."""

GRADIENT_CMAP = "RdBu_r"
"""Relative gradient heatmap: blue below 1 (smaller than the last layer's), white 1, red above."""

PROBABILITY_CMAP = "PuOr_r"
"""Decision boundary: P(class 1) from purple (0) through white (0.5) to orange (1)."""

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


def _chance_label(ax, chance) -> None:
    """Label the chance line where no curve of ``ax`` runs (tried at both ends, above and below).

    Call it once the axes' limits are final: the places are tried in display space, and the
    first one whose text box holds no point of a data line is kept (else the last tried).
    """
    canvas = ax.figure.canvas
    renderer = (
        canvas.get_renderer() if hasattr(canvas, "get_renderer") else ax.figure._get_renderer()
    )
    points = []
    for line in ax.get_lines():
        if line.get_transform() != ax.transData or len(line.get_xdata()) == 0:
            continue
        xy = np.column_stack([line.get_xdata(), line.get_ydata()]).astype(float)
        xy = xy[np.isfinite(xy).all(axis=1)]
        x = np.linspace(xy[0, 0], xy[-1, 0], 20 * len(xy)) if len(xy) > 1 else xy[:, 0]
        points.append(ax.transData.transform(np.column_stack([x, np.interp(x, *xy.T)])))
    points = np.concatenate(points) if points else np.empty((0, 2))
    places = [
        (1.0, "right", "bottom"),
        (1.0, "right", "top"),
        (0.0, "left", "bottom"),
        (0.0, "left", "top"),
    ]
    for side, ha, va in places:
        text = ax.annotate(
            "chance (ln 2)",
            (side, chance),
            xytext=(-3 if side == 1.0 else 3, 2 if va == "bottom" else -2),
            textcoords="offset points",
            xycoords=("axes fraction", "data"),
            ha=ha,
            va=va,
            color=PALETTE["grey"],
        )
        box = text.get_window_extent(renderer).expanded(1.05, 1.1)
        inside = (
            (points[:, 0] > box.x0)
            & (points[:, 0] < box.x1)
            & (points[:, 1] > box.y0)
            & (points[:, 1] < box.y1)
        )
        if not inside.any() or (side, va) == (0.0, "top"):
            return
        text.remove()


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
            )
    chance = np.log(2)
    ax.axhline(chance, color=PALETTE["grey"], linewidth=1, linestyle=":")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (cross-entropy)")
    if log:
        ax.set_yscale("log")
    else:
        # Room above the chance line, so a run stuck at chance is not drawn on the frame.
        ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 1.15 * chance))
    _chance_label(ax, chance)
    if len(runs) > 1 or labels[0] != _label(runs[0]):
        ax.legend(loc="lower left")
    return lines


def _boundary_grid(X, resolution: int = 100, padding: float = 0.3):
    """The fixed grid the probability is drawn on: ``(extent, points)``."""
    X = np.asarray(X, dtype=float)
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    gx, gy = np.meshgrid(
        np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    )
    extent = (low[0], high[0], low[1], high[1])
    return extent, gx, gy, np.column_stack([gx.ravel(), gy.ravel()])


def _probability_on_grid(params, activation, grid, shape) -> np.ndarray:
    # A run that diverged can have weights so large that far-away grid points
    # overflow: those are left blank (NaN) rather than warned about.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        p = predict_proba(params, grid, activation)
    if p.ndim == 2:  # softmax: show the most likely class
        p = p.argmax(axis=1) / max(1, p.shape[1] - 1)
    return p.reshape(shape)


def _boundary_segments(gx, gy, p) -> list:
    """The 0.5 contour of ``p`` as line segments (contourpy, no Axes involved)."""
    if not np.isfinite(p).any():
        return []
    generator = contour_generator(gx, gy, np.ma.masked_invalid(p))
    return [line for line in generator.lines(0.5) if len(line) > 1]


def _class_points(ax, X, y, animated=False) -> list:
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
                animated=animated,
                zorder=3,
            )
        )
    return points


def _class_legend(ax, points):
    """The classes' legend, above the axes on the right (never over the data)."""
    return ax.legend(
        handles=points,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=len(points),
        frameon=False,
        borderaxespad=0.1,
        handletextpad=0.2,
        columnspacing=0.8,
    )


def _probability_colorbar(ax, image, cax=None):
    if cax is None:
        cax = ax.inset_axes([1.04, 0.0, 0.05, 1.0])
    bar = ax.figure.colorbar(image, cax=cax)
    bar.set_label("P(class 1)")
    bar.set_ticks([0, 0.5, 1])
    return bar


def plot_decision_boundary(
    run, X, y, ax=None, resolution: int = 100, padding: float = 0.3, colorbar: bool = True
):
    """The network's P(class 1) over the plane (an image), its 0.5 line, and the data.

    The classes have a legend (colour and marker) above the axes, and the
    probability a colour bar (``colorbar=False`` leaves it out).

    Returns:
        dict with the ``"probability"`` image, the ``"boundary"`` line
        collection, the list of ``"points"`` collections (one per class), the
        ``"legend"`` and the ``"colorbar"`` (or None).
    """
    ax = _axes(ax)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    extent, gx, gy, grid = _boundary_grid(X, resolution, padding)
    p = _probability_on_grid(run.params, run.activation, grid, gx.shape)
    image = ax.imshow(
        p,
        origin="lower",
        extent=extent,
        cmap=PROBABILITY_CMAP,
        vmin=0,
        vmax=1,
        alpha=0.55,
        interpolation="bilinear",
        aspect="auto",
    )
    boundary = LineCollection(
        _boundary_segments(gx, gy, p), colors=PALETTE["black"], linewidths=1.5, zorder=2
    )
    ax.add_collection(boundary)
    points = _class_points(ax, X, y)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    legend = _class_legend(ax, points)
    bar = _probability_colorbar(ax, image) if colorbar else None
    return {
        "probability": image,
        "boundary": boundary,
        "points": points,
        "legend": legend,
        "colorbar": bar,
    }


def layer_ticks(n_layers: int) -> np.ndarray:
    """Integer layer ticks: every layer up to 12, else 1 and every 5th (or 10th) layer."""
    if n_layers <= 12:
        return np.arange(1, n_layers + 1)
    step = 5 if n_layers <= 40 else 10
    return np.unique(np.concatenate([[1], np.arange(step, n_layers + 1, step), [n_layers]]))


def relative_gradient(run, quantity: str = "backprop_norm") -> np.ndarray:
    """Each layer's gradient divided by the last hidden layer's at the same step (steps x layers).

    1 means level; below 1/10 at layer 1 is what the course calls vanishing
    (``helpers.definitions.gradient_regime``). A last layer with no gradient
    at all gives NaN for that step.
    """
    values = np.asarray(getattr(run.history, quantity), dtype=float)
    if values.size == 0:
        return values
    last = values[:, run.depth - 1 : run.depth]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(last > 0, values / np.where(last > 0, last, 1.0), np.nan)


def gradient_decades(runs, quantity: str = "backprop_norm", cap: int = 3) -> int:
    """How many decades either side of 1 the relative gradients of ``runs`` reach (1..cap).

    The cap (default 3: a thousandfold) keeps a 50-fold drop more than half-way
    to the scale's end; smaller ratios show at the end's colour (the colour
    bar's pointed end): vanished.
    """
    reach = 1.0
    for run in runs if isinstance(runs, (list, tuple)) else [runs]:
        ratio = relative_gradient(run, quantity)
        finite = ratio[np.isfinite(ratio) & (ratio > 0)]
        if finite.size:
            reach = max(reach, float(np.abs(np.log10(finite)).max()))
    return int(min(cap, max(1, math.ceil(reach - 1e-9))))


def _decade_label(value, _position=None) -> str:
    exponent = int(round(math.log10(value))) if value > 0 else 0
    if exponent == 0:
        return "1"
    return f"$10^{{{exponent}}}$"


def _reset_colorbar_axes(cax) -> None:
    """Clear a colour bar's axes *and* the axes locator its bar installed.

    ``Axes.clear()`` keeps the locator a colour bar put there (the one that
    makes room for the pointed ends), and each new bar wraps it once more, so
    the bar would shrink at every redraw: unwrap to the original locator.
    """
    cax.clear()
    locator = cax.get_axes_locator()
    while locator is not None and hasattr(locator, "_orig_locator"):
        locator = locator._orig_locator
    cax.set_axes_locator(locator)


def _gradient_colorbar(image, cax, decades: int, relative: bool, what: str):
    figure = cax.figure if cax is not None else image.axes.figure
    bar = figure.colorbar(image, cax=cax, extend="both")
    if relative:
        step = max(1, math.ceil(decades / 4))
        exponents = np.arange(-decades, decades + 1)
        exponents = exponents[exponents % step == 0]
        bar.set_ticks(10.0**exponents, labels=[_decade_label(10.0**e) for e in exponents])
        bar.ax.minorticks_off()
        bar.set_label("gradient ÷ last layer's\n(blue: smaller, red: larger)")
    else:
        bar.set_label(what)
    return bar


def plot_gradient_heatmap(
    run,
    ax=None,
    quantity: str = "backprop_norm",
    vrange=None,
    colorbar=True,
    cax=None,
    relative: bool = True,
    decades: int | None = None,
):
    """Per-layer gradient sizes over training: layers (rows) x steps (columns).

    Args:
        quantity: ``"backprop_norm"`` (the gradient reaching each hidden
            layer, dL/da) or ``"weight_grad_norm"`` (dL/dW, one more row for
            the output layer).
        relative: True (default) colours each layer's gradient *divided by
            the last hidden layer's at the same step*, on a log scale centred
            on 1 (white: level; blue: smaller, as when it vanishes; red:
            larger). A 50-fold drop is then plainly blue, whatever the
            absolute sizes. False colours the absolute sizes on a log scale.
        decades: the relative scale runs from 10^-decades to 10^decades
            (default: the decades the run actually reaches, see
            :func:`gradient_decades`); pass the same value to compare runs.
        vrange: the absolute scale's (min, max) (default: the decades present).
            Values outside either scale are clipped to its ends (the colour
            bar's pointed ends), zeros included.
        colorbar: draw a colour bar (into ``cax`` if given).

    Returns:
        dict with the ``"image"`` and the ``"colorbar"`` (or None).
    """
    ax = _axes(ax)
    absolute = np.asarray(getattr(run.history, quantity), dtype=float)
    what = "‖∂L/∂a‖ per sample" if quantity == "backprop_norm" else "‖∂L/∂W‖"
    if relative:
        decades = gradient_decades(run, quantity) if decades is None else int(decades)
        low, high = 10.0**-decades, 10.0**decades
        values, cmap = relative_gradient(run, quantity).T, GRADIENT_CMAP
    else:
        values = absolute.T
        if vrange is None:
            positive = values[np.isfinite(values) & (values > 0)]
            if positive.size:
                vrange = (
                    10.0 ** math.floor(math.log10(positive.min())),
                    10.0 ** math.ceil(math.log10(positive.max())),
                )
            else:
                vrange = GRADIENT_RANGE
        low, high = vrange
        cmap = "viridis"
    shown = np.clip(np.nan_to_num(values, nan=low, posinf=high), low, high)
    n_layers, n_steps = shown.shape
    image = ax.imshow(
        shown,
        origin="lower",
        aspect="auto",
        interpolation="nearest",
        cmap=cmap,
        norm=LogNorm(vmin=low, vmax=high),
        extent=(-0.5, n_steps - 0.5, 0.5, n_layers + 0.5),
    )
    ax.set_xlabel("step")
    ax.set_ylabel("layer (1 = next to the input)")
    ticks = layer_ticks(n_layers)
    ax.set_yticks(ticks)
    if quantity == "weight_grad_norm":
        ax.set_yticklabels([("output" if t == n_layers else str(t)) for t in ticks])
    ax.grid(False)
    bar = None
    if colorbar:
        if cax is not None:
            _reset_colorbar_axes(cax)
        else:
            cax = ax.inset_axes([1.03, 0.0, 0.04, 1.0])
        bar = _gradient_colorbar(image, cax, decades or 0, relative, what)
    return {"image": image, "colorbar": bar}


def _shown_layers(n_hidden: int, max_layers: int = 10) -> np.ndarray:
    return np.unique(np.linspace(0, n_hidden - 1, min(n_hidden, max_layers)).round()).astype(int)


def _histogram_range(activation: str, hidden, layers) -> tuple[float, float]:
    """The histograms' x range: the activation's range, or the bulk of ReLU-like outputs."""
    if activation == "sigmoid":
        return 0.0, 1.0
    if activation == "tanh":
        return -1.0, 1.0
    # The bulk, not the few largest values: 99.5th percentile over the layers shown.
    # Only finite values count (a diverged run's outputs can overflow).
    values = np.concatenate([hidden[i].ravel() for i in layers])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return 0.0, 1.0
    low = min(0.0, float(values.min()))
    high = float(np.percentile(values, 99.5))
    if not high > low:
        high = low + 1.0
    return low, high


def _histogram_height(a: np.ndarray, edges: np.ndarray) -> np.ndarray:
    a = a[np.isfinite(a)]
    counts, _ = np.histogram(np.clip(a, edges[0], edges[-1]), bins=edges)
    return counts / max(1, counts.max()) * 0.85


def _hidden_activations(params, X, activation, skip=False, norm="none"):
    """Each hidden layer's f outputs (with skips, not the sums a_l they are added to)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return forward(params, X, activation, skip=skip, norm=norm).f_outputs


def _style_histogram_axes(ax, activation, layers, low, high):
    for start, stop in _saturated_zones(activation):
        ax.axvspan(start, stop, color=PALETTE["grey"], alpha=0.25, linewidth=0)
    ax.set_yticks(np.arange(len(layers)) + 0.4)
    ax.set_yticklabels([f"layer {index + 1}" for index in layers])
    ax.set_ylim(0, len(layers))
    ax.set_xlim(low, high)
    ax.set_xlabel(f"activation a ({activation})")
    ax.grid(False)


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
    hidden = _hidden_activations(run.params, X, run.activation)
    layers = _shown_layers(len(hidden), max_layers)
    low, high = _histogram_range(run.activation, hidden, layers)
    edges = np.linspace(low, high, bins + 1)
    style = activation_style(run.activation)
    artists = []
    for row, index in enumerate(layers):
        a = hidden[index].ravel()
        height = _histogram_height(a, edges)
        artists.append(
            ax.stairs(height + row, edges, baseline=row, fill=True, color=style["color"], alpha=0.6)
        )
        ax.stairs(height + row, edges, baseline=row, color=style["color"], linewidth=1)
        if run.activation == "relu":
            ax.text(
                0.98,
                row + 0.45,
                f"{np.mean(a == 0):.0%} zero outputs",
                transform=ax.get_yaxis_transform(),
                ha="right",
                va="center",
                fontsize="medium",
            )
    _style_histogram_axes(ax, run.activation, layers, low, high)
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


def _tidy_log_axis(axis) -> None:
    """Major ticks only, labelled; minor ticks unlabelled (no clutter).

    When the data span less than about two decades a log axis has one major
    tick or none, so 1, 2 and 5 times each power of ten become the labelled ones.
    """
    low, high = axis.get_view_interval()
    if low > 0 and high > 0 and math.log10(high / low) < 2:
        axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axis.set_minor_formatter(NullFormatter())


def plot_layer_profiles(profiles: dict, ax=None, ylabel: str = "value", log: bool = True):
    """Curves of a per-layer quantity against layer number, one per setting.

    Args:
        profiles: label -> 1-D array indexed by layer (index 0 = layer 1).
        log: logarithmic y axis (major ticks labelled, minor ticks not).

    Returns:
        The list of Line2D.
    """
    ax = _axes(ax)
    lines = []
    n_layers = 1
    for (label, values), style in zip(profiles.items(), series_styles(len(profiles)), strict=True):
        values = np.asarray(values, dtype=float)
        n_layers = max(n_layers, len(values))
        (line,) = ax.plot(np.arange(1, len(values) + 1), values, label=label, **style)
        lines.append(line)
    if log:
        ax.set_yscale("log")
        _tidy_log_axis(ax.yaxis)
    if n_layers <= 12:
        ax.set_xticks(np.arange(1, n_layers + 1))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel(ylabel)
    ax.legend()
    return lines


class _BesideLocator:
    """Places a colour bar just right of ``axes`` as drawn (after its aspect is applied).

    Unlike an inset axes it is not a child of ``axes``, so clearing ``axes``
    for the next run keeps it.
    """

    def __init__(self, axes, gap: float = 0.04, width: float = 0.05):
        self.axes, self.gap, self.width = axes, gap, width

    def __call__(self, _ax, renderer):
        self.axes.apply_aspect()
        box = self.axes.get_position()
        return Bbox.from_bounds(
            box.x1 + self.gap * box.width, box.y0, self.width * box.width, box.height
        )


def summary_axes(figure):
    """The axes :func:`plot_training_summary` draws into, laid out on ``figure``.

    Keys ``"loss"``, ``"boundary"``, ``"heatmap"``, ``"colorbar"`` (the
    heatmap's), ``"probability"`` (the boundary's colour bar) and
    ``"histograms"``. The layout is fixed (no layout engine), so a widget
    redrawing into the same axes never moves them.
    """
    figure.set_layout_engine("none")
    # Margins in inches, grown with the font (lecture mode), as helpers.plotting.new_figure does.
    width, height = figure.get_size_inches()
    scale = plt.rcParams["font.size"] / 12
    # Columns: loss / heatmap, its colour bar, a gap for the bar's labels, the rest.
    grid = figure.add_gridspec(
        2,
        4,
        width_ratios=[1, 0.035, 0.55 * scale, 1],
        left=0.8 * scale / width,
        right=1 - 1.0 * scale / width,
        bottom=0.6 * scale / height,
        top=1 - 0.45 * scale / height,
        wspace=0.04,
        hspace=0.4 * scale,
    )
    boundary = figure.add_subplot(grid[0, 3])
    probability = figure.add_axes(boundary.get_position())
    probability.set_axes_locator(_BesideLocator(boundary))
    return {
        "loss": figure.add_subplot(grid[0, 0]),
        "boundary": boundary,
        "probability": probability,
        "heatmap": figure.add_subplot(grid[1, 0]),
        "colorbar": figure.add_subplot(grid[1, 1]),
        "histograms": figure.add_subplot(grid[1, 3]),
    }


def _loss_top(loss) -> float:
    """The loss axis' top: room above chance (ln 2) or above the first loss, in steps of 0.25."""
    chance = np.log(2)
    finite = np.asarray(loss, dtype=float)
    finite = finite[np.isfinite(finite)]
    first = float(finite[0]) if finite.size else chance
    return max(round(1.15 * chance, 2), math.ceil(1.1 * min(first, 50.0) / 0.25) * 0.25)


def _nice_ceiling(value: float) -> float:
    """The next of 1, 2, 2.5, 5 times a power of ten at or above ``value`` (> 0)."""
    power = 10.0 ** math.floor(math.log10(value))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if factor * power >= value * (1 - 1e-12):
            return factor * power
    return 10.0 * power


class TrainingSummary:
    """The four panels of a training run, drawn once and then updated in place.

    Loss curve, decision boundary (the probability as an image on a fixed
    grid, its 0.5 line, the data), the gradient heatmap (layers x steps,
    relative to the last hidden layer, see :func:`plot_gradient_heatmap`) and
    the activation histograms. :meth:`begin` lays out what stays fixed during
    a run (axes, limits, colour bars, one histogram row per layer shown);
    :meth:`show` then only changes data on existing artists (``set_data``,
    ``set_array``, ``set_segments``), so a frame costs a few milliseconds of
    drawing on top of a cached background. With ``animated=True`` (the lab)
    those artists are left out of the background (see
    ``helpers.widgets.base.FigureRenderer``).

    Args:
        figure: the figure to lay the panels out on.
        decades: the relative gradient scale's reach, 10^-decades..10^decades
            (fixed, so frames and runs compare).
        animated: mark the changing artists animated.
    """

    def __init__(self, figure, decades: int = 3, animated: bool = False, resolution: int = 64):
        self.figure = figure
        self.axes = summary_axes(figure)
        self.decades = decades
        self.animated = animated
        self.resolution = resolution
        self.layout_key = None
        self.dynamic: list = []
        self._build_colorbars()

    def _build_colorbars(self) -> None:
        """The two colour bars: fixed scales, drawn once for the figure's lifetime."""
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import Normalize

        decades = self.decades
        gradient = ScalarMappable(LogNorm(10.0**-decades, 10.0**decades), GRADIENT_CMAP)
        _gradient_colorbar(gradient, self.axes["colorbar"], decades, True, "")
        probability = ScalarMappable(Normalize(0, 1), PROBABILITY_CMAP)
        bar = self.figure.colorbar(probability, cax=self.axes["probability"], alpha=0.55)
        bar.set_label("P(class 1)")
        bar.set_ticks([0, 0.5, 1])

    def begin(
        self, X, y, *, depth, steps, activation, params, loss_top=None, skip=False, norm="none"
    ):
        """Lay out a run: fixed axes for these settings, artists ready for :meth:`show`.

        ``params`` are the run's *starting* weights (they fix the histograms'
        range for ReLU-like activations); ``loss_top`` the loss axis' top
        (default: from the starting loss).
        """
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        if loss_top is None:
            from helpers.mlp import loss as mean_loss

            with np.errstate(all="ignore"):
                loss_top = _loss_top([mean_loss(params, X, y, activation, skip=skip, norm=norm)])
        hidden = _hidden_activations(params, X, activation, skip, norm)
        layers = _shown_layers(len(hidden))
        low, high = _histogram_range(activation, hidden, layers)
        if activation not in ("sigmoid", "tanh"):
            high = _nice_ceiling(high - low) + low  # fewer layouts: more cached backgrounds
        key = (X.shape, X[:3].tobytes(), depth, steps, activation, loss_top, low, high)
        if key == self.layout_key:
            return  # the same axes: the artists are there, show() overwrites them
        axes = self.axes
        for name in ("loss", "boundary", "heatmap", "histograms"):
            axes[name].clear()
        animated = self.animated
        self.X, self.y, self.depth, self.steps, self.activation = X, y, depth, steps, activation
        dynamic = []
        # Loss.
        ax = axes["loss"]
        (self.loss_line,) = ax.plot([], [], animated=animated, **_loss_style(activation))
        self.diverged_text = ax.text(
            0.98,
            0.96,
            "",
            transform=ax.transAxes,
            ha="right",
            va="top",
            color=PALETTE["vermillion"],
            animated=animated,
        )
        dynamic += [self.loss_line, self.diverged_text]
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
        )
        ax.set_xlim(0, max(1, steps - 1))
        ax.set_ylim(0, loss_top)
        ax.set_xlabel("step")
        ax.set_ylabel("loss (cross-entropy)")
        ax.set_title("loss")
        # Decision boundary.
        ax = axes["boundary"]
        extent, self.gx, self.gy, self.grid = _boundary_grid(X, self.resolution)
        self._points = np.vstack([self.grid, X]).astype(np.float32)
        self.probability = ax.imshow(
            np.full(self.gx.shape, np.nan),
            origin="lower",
            extent=extent,
            cmap=PROBABILITY_CMAP,
            vmin=0,
            vmax=1,
            alpha=0.55,
            interpolation="bilinear",
            aspect="auto",
            animated=animated,
        )
        self.boundary = LineCollection(
            [], colors=PALETTE["black"], linewidths=1.5, animated=animated, zorder=2
        )
        ax.add_collection(self.boundary)
        points = _class_points(ax, X, y, animated=animated)
        dynamic += [self.probability, self.boundary, *points]
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.grid(False)
        ax.set_title("decision boundary", loc="left")
        _class_legend(ax, points)
        # Gradient heatmap (relative to the last hidden layer).
        ax = axes["heatmap"]
        self.heatmap = ax.imshow(
            np.full((depth, steps), np.nan),
            origin="lower",
            aspect="auto",
            interpolation="nearest",
            cmap=GRADIENT_CMAP,
            norm=LogNorm(vmin=10.0**-self.decades, vmax=10.0**self.decades),
            extent=(-0.5, steps - 0.5, 0.5, depth + 0.5),
            animated=animated,
        )
        dynamic.append(self.heatmap)
        ax.set_yticks(layer_ticks(depth))
        ax.set_xlabel("step")
        ax.set_ylabel("layer (1 = next to the input)")
        ax.set_title("gradient per layer, ÷ layer " + str(depth) + "'s")
        ax.grid(False)
        # Histograms.
        ax = axes["histograms"]
        self.layers = layers
        self.edges = np.linspace(low, high, 31)
        style = activation_style(activation)
        self.fills, self.outlines, self.zero_texts = [], [], []
        zeros = np.zeros(len(self.edges) - 1)
        for row, _ in enumerate(self.layers):
            fill = ax.stairs(
                zeros + row,
                self.edges,
                baseline=row,
                fill=True,
                color=style["color"],
                alpha=0.6,
                animated=animated,
            )
            outline = ax.stairs(
                zeros + row,
                self.edges,
                baseline=row,
                color=style["color"],
                linewidth=1,
                animated=animated,
            )
            self.fills.append(fill)
            self.outlines.append(outline)
            dynamic += [fill, outline]
            if activation == "relu":
                text = ax.text(
                    0.98,
                    row + 0.45,
                    "",
                    transform=ax.get_yaxis_transform(),
                    ha="right",
                    va="center",
                    fontsize="medium",
                    animated=animated,
                )
                self.zero_texts.append(text)
                dynamic.append(text)
        _style_histogram_axes(ax, activation, self.layers, low, high)
        ax.set_title("activations now")
        self.dynamic = dynamic
        self.layout_key = key

    def _forward_frame(self, run):
        """P(class 1) on the grid and the data's hidden activations, from one float32 pass."""
        from helpers.activations import get_activation
        from helpers.mlp import _forward

        n_grid = self.grid.shape[0]
        params = [tuple(p.astype(np.float32) for p in layer) for layer in run.params]
        act, options = get_activation(run.activation), (run.skip, run.norm)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            cache = _forward(params, self._points, act, *options, training=False)
            hidden = [a[n_grid:] for a in cache.f_outputs]
            if run.norm == "batch":  # the data as training sees it: its own batch statistics
                hidden = _forward(params, self._points[n_grid:], act, *options).f_outputs
        p = cache.probabilities
        if p.ndim == 2:  # softmax: show the most likely class
            p = p.argmax(axis=1) / max(1, p.shape[1] - 1)
        grid_p = np.asarray(p[:n_grid], dtype=float).reshape(self.gx.shape)
        return grid_p, hidden

    def show(self, run) -> None:
        """Put a run's current state (``run.history`` so far, ``run.params``) on the artists."""
        h = run.history
        done = len(h.loss)
        self.loss_line.set_data(np.arange(done), h.loss)
        self.diverged_text.set_text(
            "" if run.diverged_at is None else f"diverged at step {run.diverged_at}"
        )
        # One forward pass, in float32, for the grid and the data together.
        p, hidden = self._forward_frame(run)
        self.probability.set_data(p)
        self.boundary.set_segments(_boundary_segments(self.gx, self.gy, p))
        values = np.full((self.depth, self.steps), np.nan)
        if done:
            ratio = relative_gradient(run)
            low, high = 10.0**-self.decades, 10.0**self.decades
            values[:, :done] = np.clip(np.nan_to_num(ratio.T, nan=low, posinf=high), low, high)
        self.heatmap.set_data(np.ma.masked_invalid(values))
        for row, index in enumerate(self.layers):
            a = hidden[index].ravel()
            height = _histogram_height(a, self.edges) + row
            self.fills[row].set_data(height, self.edges, baseline=row)
            self.outlines[row].set_data(height, self.edges, baseline=row)
            if self.zero_texts:
                self.zero_texts[row].set_text(f"{np.mean(a == 0):.0%} zero outputs")


def _loss_style(activation: str) -> dict:
    style = activation_style(activation)
    return {"color": style["color"], "linestyle": style["linestyle"], "linewidth": 1.8}


def plot_training_summary(run, X, y, figure=None, axes=None, title: str | None = None):
    """Four panels for one run: loss, decision boundary, gradient heatmap, activation histograms.

    The heatmap shows each layer's gradient divided by the last hidden
    layer's at the same step (white: level; blue: smaller), on a log scale
    over the decades the run reaches; the boundary has a legend for the
    classes and a colour bar for the probability.

    Args:
        figure: the figure to draw on (a new one when None and no ``axes``).
        axes: dict of axes as from :func:`summary_axes` to draw into (cleared
            first).

    Returns:
        The dict of axes drawn on.
    """
    if axes is None:
        axes = summary_axes(figure if figure is not None else plt.figure(figsize=(11, 7.5)))
    for name, ax in axes.items():
        if name in ("colorbar", "probability"):
            _reset_colorbar_axes(ax)
        else:
            ax.clear()
    plot_loss_curves(run, ax=axes["loss"])
    axes["loss"].set_title("loss")
    drawn = plot_decision_boundary(run, X, y, ax=axes["boundary"], colorbar=False)
    bar = _probability_colorbar(axes["boundary"], drawn["probability"], cax=axes["probability"])
    bar.solids.set_alpha(0.55)
    axes["boundary"].set_title("decision boundary", loc="left")
    plot_gradient_heatmap(run, ax=axes["heatmap"], cax=axes["colorbar"])
    axes["heatmap"].set_title(f"gradient per layer, ÷ layer {run.depth}'s")
    plot_activation_histograms(run, X, ax=axes["histograms"])
    axes["histograms"].set_title("activations at the end")
    if title:
        axes["loss"].figure.suptitle(title)
    return axes


def plot_side_by_side(runs, X, y, figure=None, titles=None):
    """Runs in columns: loss, gradient heatmap and decision boundary of each.

    The heatmaps share one colour scale (each layer's gradient divided by the
    last hidden layer's, over the decades the runs reach), so the colours
    compare directly; the last column carries the colour bars.

    Returns:
        A list (one per run) of dicts of axes ``"loss"``, ``"heatmap"``, ``"boundary"``.
    """
    runs = list(runs)
    if figure is None:
        figure = plt.figure(figsize=(5 * len(runs), 10), layout="constrained")
    titles = titles or [f"{run.depth}-layer {run.activation}" for run in runs]
    grid = figure.add_gridspec(3, len(runs))
    drawn = []
    top = max(max(run.history.loss.max() for run in runs), np.log(2)) * 1.05
    decades = gradient_decades(runs)
    for column, (run, title) in enumerate(zip(runs, titles, strict=True)):
        axes = {
            "loss": figure.add_subplot(grid[0, column]),
            "heatmap": figure.add_subplot(grid[1, column]),
            "boundary": figure.add_subplot(grid[2, column]),
        }
        last = column == len(runs) - 1
        plot_loss_curves(run, ax=axes["loss"])
        axes["loss"].set_ylim(0, top)
        axes["loss"].set_title(title)
        heatmap = plot_gradient_heatmap(run, ax=axes["heatmap"], decades=decades, colorbar=False)
        if last:
            bar = _gradient_colorbar(heatmap["image"], None, decades, True, "")
        boundary = plot_decision_boundary(run, X, y, ax=axes["boundary"], colorbar=False)
        if last:
            bar = figure.colorbar(boundary["probability"], ax=axes["boundary"])
            bar.set_label("P(class 1)")
            bar.set_ticks([0, 0.5, 1])
            bar.solids.set_alpha(0.55)
        drawn.append(axes)
    return drawn
