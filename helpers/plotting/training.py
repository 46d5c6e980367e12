"""Figures for training runs of helpers.mlp: loss, decision boundary, gradients, activations.

A run is a :class:`helpers.mlp.TrainingRun`. :func:`plot_training_summary` is the lab's live
:class:`TrainingSummary` at its last frame. Every panel is sized for the current style
(tests/figure_checks.py holds text to 10 pt when read, 16 pt on a slide): layer ticks and
histogram rows thin out to what the axes' height holds; labels sit beside the data, never on it.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
from contourpy import contour_generator
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import LogNorm, Normalize
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter
from matplotlib.transforms import Bbox

from helpers.activations import get_activation
from helpers.definitions import SATURATION_FRACTION
from helpers.mlp import _forward, forward, predict_proba
from helpers.mlp import loss as mean_loss
from helpers.plotting.style import (
    LECTURE_MAX_INCHES,
    PALETTE,
    activation_style,
    get_axes,
    is_lecture_mode,
    series_styles,
)

GRADIENT_RANGE = (1e-10, 1e1)  # the absolute gradient heatmap's, when no value is positive
GRADIENT_CMAP = "RdBu_r"  # the relative heatmap: blue below 1 (smaller), white 1, red above
PROBABILITY_CMAP = "PuOr_r"  # P(class 1) from purple (0) through white (0.5) to orange (1)
PROBABILITY_ALPHA = 0.55  # the data stay visible through the probability

# Class 0 and class 1: colour *and* marker differ, so colour is never the only cue.
_POINTS = {"s": 14, "edgecolors": "white", "linewidths": 0.4, "zorder": 3}  # the data, on top
_CLASSES = (("blue", "orange", "green", "purple", "vermillion"), "o^sDv")
_CLASS_STYLES = [{"color": PALETTE[c], "marker": m} for c, m in zip(*_CLASSES, strict=True)]
_LAYER_LABEL = "layer (1 = input side)"
_PROBABILITY_IMAGE = {"cmap": PROBABILITY_CMAP, "norm": Normalize(0, 1), "alpha": PROBABILITY_ALPHA}
_HEATMAP = {"origin": "lower", "aspect": "auto", "interpolation": "nearest"}
_STEP_TICKS = {"nbins": 2, "integer": True, "steps": [1, 2, 2.5, 5, 10]}


def _label(run) -> str:
    return f"{run.depth}-layer {run.activation}"


def _rows_that_fit(ax, spacing: float = 1.3) -> int:
    """How many rows of tick-sized text the axes' height holds, ``spacing`` lines apart."""
    height = ax.get_position().height * ax.figure.get_figheight() * 72
    size = ax.yaxis.get_ticklabels()[0].get_fontsize() if ax.yaxis.get_ticklabels() else 12
    return max(2, int(height / (spacing * size)))


def layer_ticks(n_layers: int, most: int = 10, steps=(2, 5, 10, 20, 50, 100)) -> np.ndarray:
    """Layers 1..n if ``most`` fit, else 1, every 2nd/5th/10th... and n (1, 5, 10, 15, 20).
    An axis leaves step 2 out: 1 and 2 would be as close as every layer."""
    if n_layers <= most:
        return np.arange(1, n_layers + 1)
    for step in steps:
        ticks = np.unique([1, *range(step, n_layers + 1, step), n_layers])
        if len(ticks) <= most:
            break
    if len(ticks) > 2 and ticks[-1] - ticks[-2] < step / 2:
        ticks = np.delete(ticks, -2)  # not ..., 15, 20, 21
    return ticks


def _chance_line(ax) -> None:
    """The loss of a coin toss, ln 2, dotted, labelled beside the axes (never over a curve)."""
    ax.axhline(np.log(2), color=PALETTE["grey"], linewidth=1, linestyle=":")
    where = {"xycoords": ("axes fraction", "data"), "textcoords": "offset points", "va": "center"}
    text = {"fontsize": "small" if is_lecture_mode() else "medium", "color": PALETTE["grey"]}
    ax.annotate("chance\n(ln 2)", (1, np.log(2)), (4, 0), **where, **text)


def plot_loss_curves(runs, ax=None, labels=None, log=False):
    """Loss against step for one run or a list of them (one line style each); the Line2Ds.
    ``labels`` default to "depth-layer activation"; ``log`` makes the loss axis logarithmic."""
    ax = get_axes(ax)
    runs = list(runs) if isinstance(runs, (list, tuple)) else [runs]
    labels = labels or [_label(run) for run in runs]
    lines = []
    for run, label, style in zip(runs, labels, series_styles(len(runs)), strict=True):
        if run.activation in label:
            style = activation_style(run.activation)
        loss = run.history.loss
        lines += ax.plot(loss, markevery=max(1, len(loss) // 8), label=label, **style)
        if run.diverged_at is not None:
            end = (len(loss) - 1, loss[-1]) if len(loss) else (0, 0)
            ax.annotate(f"diverged at step {run.diverged_at}", end, color=style["color"])
    _chance_line(ax)
    ax.set(xlabel="step", ylabel="loss (cross-entropy)")
    if log:
        ax.set_yscale("log")
    else:  # room above the chance line, so a run stuck at chance is not drawn on the frame
        ax.set_ylim(0, max(ax.get_ylim()[1], 1.15 * np.log(2)))
    if len(runs) > 1 or labels[0] != _label(runs[0]):
        ax.legend(loc="lower left")
    return lines


def _boundary_grid(X, resolution: int = 100, padding: float = 0.3):
    """The fixed grid the probability is drawn on: ``(extent, gx, gy, points)``."""
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    gx, gy = np.meshgrid(
        *(np.linspace(lo, hi, resolution) for lo, hi in zip(low, high, strict=True))
    )
    return (low[0], high[0], low[1], high[1]), gx, gy, np.column_stack([gx.ravel(), gy.ravel()])


def _as_probability(p: np.ndarray) -> np.ndarray:
    return p.argmax(axis=1) / max(1, p.shape[1] - 1) if p.ndim == 2 else p  # softmax: top class


def _boundary_segments(gx, gy, p) -> list:
    """The 0.5 contour of ``p`` as line segments (contourpy, no Axes involved)."""
    if not np.isfinite(p).any():
        return []
    generator = contour_generator(gx, gy, np.ma.masked_invalid(p))
    return [line for line in generator.lines(0.5) if len(line) > 1]


def _boundary_panel(ax, X, y, extent, animated=False):
    """The probability image (empty), the boundary (empty), the data, their legend: the artists."""
    shown = {"animated": animated, "extent": extent, "interpolation": "bilinear"}
    image = ax.imshow(np.full((2, 2), np.nan), **_PROBABILITY_IMAGE, **_HEATMAP | shown)
    boundary = LineCollection([], colors="black", linewidths=1.5, zorder=2, animated=animated)
    ax.add_collection(boundary)
    points = []
    for label in np.unique(y):
        style = _CLASS_STYLES[int(label) % len(_CLASS_STYLES)] | _POINTS
        points.append(
            ax.scatter(*X[y == label].T, label=f"class {label}", animated=animated, **style)
        )
    ax.set(xlim=extent[:2], ylim=extent[2:], xlabel="$x_1$", ylabel="$x_2$")
    ax.set_aspect("equal", adjustable="box")
    ax.grid(False)
    # Beside the axes, top right, above the probability's colour bar: never over the data.
    ax.legend(handles=points, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    return image, boundary, points


def _probability_colorbar(figure, cax):
    """The probability's bar, its name on top (the bar is short: the classes' legend is above)."""
    bar = figure.colorbar(ScalarMappable(_PROBABILITY_IMAGE["norm"], PROBABILITY_CMAP), cax=cax)
    bar.solids.set_alpha(PROBABILITY_ALPHA)
    bar.ax.set_title("P(class 1)", loc="left", fontsize="medium", pad=12)
    bar.set_ticks([0, 0.5, 1])
    return bar


def plot_decision_boundary(
    run, X, y, ax=None, resolution: int = 100, padding: float = 0.3, colorbar: bool = True
):
    """The network's P(class 1) over the plane (an image), its 0.5 line, and the data.

    The classes' legend sits beside the axes, top right, the probability's colour bar below it
    (unless ``colorbar=False``). Returns a dict: ``"probability"`` image, ``"boundary"`` lines,
    ``"points"`` (per class), ``"legend"``, ``"colorbar"`` (or None).
    """
    ax = get_axes(ax)
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    extent, gx, gy, grid = _boundary_grid(X, resolution, padding)
    image, boundary, points = _boundary_panel(ax, X, y, extent)
    # The run's network as evaluated (batch norm: running statistics); overflow is left NaN.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        p = predict_proba(run.params, grid, run.activation, skip=run.skip, norm=run.norm)
    p = _as_probability(p).reshape(gx.shape)
    image.set_data(p)
    boundary.set_segments(_boundary_segments(gx, gy, p))
    bar = None
    if colorbar:
        bar = _probability_colorbar(ax.figure, ax.inset_axes([1.04, 0.0, 0.05, 0.4]))
        bar.mappable = image  # the image's scale is the bar's
        image.colorbar = bar
    drawn = {"probability": image, "boundary": boundary, "points": points, "colorbar": bar}
    return drawn | {"legend": ax.get_legend()}


def relative_gradient(run, quantity: str = "backprop_norm") -> np.ndarray:
    """Each layer's gradient divided by the last hidden layer's at the same step (steps x layers).
    1 means level (``definitions.gradient_regime``); no gradient at the last layer gives NaN."""
    values = np.asarray(getattr(run.history, quantity), dtype=float)
    if values.size == 0:
        return values
    last = values[:, run.depth - 1 : run.depth]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(last > 0, values / np.where(last > 0, last, 1.0), np.nan)


def gradient_decades(runs, quantity: str = "backprop_norm", cap: int = 3) -> int:
    """How many decades either side of 1 the relative gradients of ``runs`` reach (1..cap).
    The cap (3: a thousandfold) keeps a 50-fold drop more than half-way to the scale's end;
    smaller ratios take the end's colour (the bar's pointed end): vanished."""
    reach = 1.0
    for run in runs if isinstance(runs, (list, tuple)) else [runs]:
        ratio = relative_gradient(run, quantity)
        finite = ratio[np.isfinite(ratio) & (ratio > 0)]
        if finite.size:
            reach = max(reach, float(np.abs(np.log10(finite)).max()))
    return int(min(cap, max(1, math.ceil(reach - 1e-9))))


def _reset_colorbar_axes(cax) -> None:
    """Clear a colour bar's axes and unwrap the locator each bar wraps around the last one
    (``clear()`` keeps it; it makes room for the pointed ends): else the bar shrinks."""
    cax.clear()
    locator = cax.get_axes_locator()
    while locator is not None and hasattr(locator, "_orig_locator"):
        locator = locator._orig_locator
    cax.set_axes_locator(locator)


def _gradient_colorbar(mappable, decades: int, cax=None, ax=None, label="gradient ratio"):
    """The relative scale's bar: ticks at whole decades, 1 in the middle; pointed ends."""
    figure = (cax or ax).figure if not isinstance(ax, list) else ax[0].figure
    bar = figure.colorbar(mappable, cax=cax, ax=ax, extend="both")
    fit = _rows_that_fit(bar.ax)  # every decade if the bar is tall enough, else fewer
    step = next(s for s in range(1, decades + 1) if decades % s == 0 and 2 * decades / s < fit)
    exponents = np.arange(-decades, decades + 1, step)
    bar.set_ticks(10.0**exponents, labels=["1" if e == 0 else f"$10^{{{e}}}$" for e in exponents])
    bar.ax.minorticks_off()
    bar.set_label(label)
    return bar


def _heatmap_image(ax, values, norm, cmap, animated=False):
    """Layers (rows, layer 1 at the bottom) x steps (columns), with ticks the height holds."""
    n_layers, n_steps = values.shape
    extent = (-0.5, n_steps - 0.5, 0.5, n_layers + 0.5)
    image = ax.imshow(values, cmap=cmap, norm=norm, extent=extent, animated=animated, **_HEATMAP)
    ax.set(xlabel="step", ylabel=_LAYER_LABEL.replace(" (", "\n("))
    ax.set_yticks(layer_ticks(n_layers, _rows_that_fit(ax), steps=(5, 10, 20, 50, 100)))
    ax.xaxis.set_major_locator(MaxNLocator(**_STEP_TICKS))
    ax.grid(False)
    return image


def plot_gradient_heatmap(
    run,
    ax=None,
    quantity="backprop_norm",
    vrange=None,
    colorbar=True,
    cax=None,
    relative=True,
    decades=None,
):
    """Per-layer gradient sizes over training: layers (rows) x steps (columns).

    ``quantity``: ``"backprop_norm"`` (dL/da reaching each hidden layer) or
    ``"weight_grad_norm"`` (dL/dW, one more row: the output layer). ``relative`` (default):
    :func:`relative_gradient` on a log scale from 10^-decades (blue: smaller, as when it
    vanishes) through 1 (white: level) to 10^decades (red), ``decades`` by default what the
    run reaches (pass one to compare runs): a 50-fold drop is plainly blue whatever the
    absolute sizes. ``relative=False``: the absolute sizes over ``vrange`` (default: the whole
    decades present). Values beyond a scale (zeros too) take its pointed ends' colours.
    Returns a dict: ``"image"``, ``"colorbar"`` (or None; into ``cax`` if given).
    """
    ax = get_axes(ax)
    if relative:
        decades = gradient_decades(run, quantity) if decades is None else int(decades)
        low, high = vrange = 10.0**-decades, 10.0**decades
        values = relative_gradient(run, quantity).T
    else:
        values = np.asarray(getattr(run.history, quantity), dtype=float).T
        positive = values[np.isfinite(values) & (values > 0)]
        if vrange is None and positive.size:  # the whole decades present
            low, high = np.log10([positive.min(), positive.max()])
            vrange = (10.0 ** math.floor(low), 10.0 ** math.ceil(high))
        low, high = vrange or GRADIENT_RANGE
    shown = np.clip(np.nan_to_num(values, nan=low, posinf=high), low, high)
    cmap = GRADIENT_CMAP if relative else "viridis"
    image = _heatmap_image(ax, shown, LogNorm(low, high), cmap)
    if quantity == "weight_grad_norm":
        n = shown.shape[0]
        ax.set_yticks(ax.get_yticks(), ["output" if t == n else f"{t:g}" for t in ax.get_yticks()])
    bar = None
    if colorbar:
        _reset_colorbar_axes(cax) if cax else None
        cax = cax or ax.inset_axes([1.03, 0.0, 0.04, 1.0])
        if relative:
            bar = _gradient_colorbar(image, decades, cax=cax)
        else:
            bar = ax.figure.colorbar(image, cax=cax, extend="both")
            bar.set_label("‖∂L/∂a‖ per sample" if quantity == "backprop_norm" else "‖∂L/∂W‖")
    return {"image": image, "colorbar": bar}


def _histogram_range(activation: str, hidden, layers) -> tuple[float, float]:
    """The histograms' x range: the activation's range, or the bulk of ReLU-like outputs."""
    if activation in ("sigmoid", "tanh"):
        return (0.0 if activation == "sigmoid" else -1.0), 1.0
    # The bulk of the finite values (a diverged run's overflow): 99.5th percentile, layers shown.
    values = np.concatenate([hidden[i].ravel() for i in layers])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return 0.0, 1.0
    low = min(0.0, float(values.min()))
    high = float(np.percentile(values, 99.5))
    return low, high if high > low else low + 1.0


def _hidden_activations(params, X, activation, skip=False, norm="none"):
    """Each hidden layer's f outputs (with skips, not the sums a_l they are added to)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return forward(params, X, activation, skip=skip, norm=norm).f_outputs


def _histogram_panel(ax, activation, layers, edges, animated=False):
    """One filled step outline per layer shown, stacked; ReLU's zero share beside each row.

    Returns ``(fills, outlines, zero_texts)``, ready for :func:`_show_histograms`.
    """
    style = activation_style(activation)
    fills, outlines, texts = [], [], []
    zeros = np.zeros(len(edges) - 1)
    for row in range(len(layers)):
        common = {"baseline": row, "color": style["color"], "animated": animated}
        fills.append(ax.stairs(zeros + row, edges, fill=True, alpha=0.6, **common))
        outlines.append(ax.stairs(zeros + row, edges, linewidth=1, **common))
        if activation == "relu":  # beside the axes, not over the histogram
            size = ax.yaxis.get_ticklabels()[0].get_fontsize()
            beside = {"transform": ax.get_yaxis_transform(), "va": "center", "fontsize": size}
            texts.append(ax.text(1.02, row + 0.4, "", **beside, animated=animated))
    # Saturated (helpers.definitions): tanh' = 1 - a^2 below 10 % of its peak for |a| > 0.949;
    # the sigmoid's zones, as sigma = (1 + tanh(z/2)) / 2, the same mapped: a < 0.026, > 0.974.
    edge = np.sqrt(1 - SATURATION_FRACTION)
    zones = np.array([(-1.0, -edge), (edge, 1.0)])
    for start, stop in {"tanh": zones, "sigmoid": (zones + 1) / 2}.get(activation, []):
        ax.axvspan(start, stop, color=PALETTE["grey"], alpha=0.25, linewidth=0)
    ax.set_yticks(np.arange(len(layers)) + 0.4, [str(index + 1) for index in layers])
    ax.set(ylim=(0, len(layers)), xlim=(edges[0], edges[-1]), ylabel="layer")
    ax.set(xlabel=f"activation a ({activation})")
    ax.grid(False)
    return fills, outlines, texts


def _show_histograms(artists, hidden, layers, edges) -> None:
    fills, outlines, texts = artists
    for row, index in enumerate(layers):
        a = hidden[index].ravel()
        counts, _ = np.histogram(np.clip(a[np.isfinite(a)], edges[0], edges[-1]), bins=edges)
        height = counts / max(1, counts.max()) * 0.85 + row  # each row scaled to its own peak
        fills[row].set_data(height, edges, baseline=row)
        outlines[row].set_data(height, edges, baseline=row)
        if texts:
            texts[row].set_text(f"{np.mean(a == 0):.0%} zero")


def _shown_layers(ax, n_hidden: int, max_layers: int = 10) -> np.ndarray:
    """Indices of the hidden layers given a histogram row: as many as the height holds."""
    return layer_ticks(n_hidden, min(max_layers, _rows_that_fit(ax))) - 1


def plot_activation_histograms(run, X, ax=None, bins: int = 30, max_layers: int = 10):
    """One histogram of the activations ``a`` per hidden layer, stacked (layer 1 at the bottom).

    Each is scaled to its own peak, so shapes compare across layers. Saturated zones are
    shaded; beside each ReLU layer, its share of zero outputs. At most ``max_layers`` rows,
    fewer when the axes are too short for their labels. Returns the filled step patches.
    """
    ax = get_axes(ax)
    hidden = _hidden_activations(run.params, X, run.activation, skip=run.skip, norm=run.norm)
    layers = _shown_layers(ax, len(hidden), max_layers)
    edges = np.linspace(*_histogram_range(run.activation, hidden, layers), bins + 1)
    artists = _histogram_panel(ax, run.activation, layers, edges)
    _show_histograms(artists, hidden, layers, edges)
    return artists[0]


def plot_layer_profiles(profiles: dict, ax=None, ylabel: str = "value", log: bool = True):
    """Curves of a per-layer quantity against layer number, one per setting; the Line2Ds.
    ``profiles``: label -> values by layer (index 0 = layer 1); ``log``: a log y axis."""
    ax = get_axes(ax)
    lines = []
    for (label, values), style in zip(profiles.items(), series_styles(len(profiles)), strict=True):
        values = np.asarray(values, dtype=float)
        lines += ax.plot(np.arange(1, len(values) + 1), values, label=label, **style)
    if log:
        ax.set_yscale("log")
        ax.yaxis.set_minor_formatter(NullFormatter())  # major ticks only labelled: no clutter
        low, high = ax.yaxis.get_view_interval()
        if low > 0 and high > 0 and math.log10(high / low) < 2:  # else one labelled tick or none
            ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    n_layers = max([len(line.get_xdata()) for line in lines], default=1)
    ax.set_xticks(layer_ticks(n_layers, most=12))
    ax.set(xlabel=_LAYER_LABEL, ylabel=textwrap.fill(ylabel, 24))  # a slide's axes: not tall
    ax.legend()
    return lines


# The summary's figure size: a slide's whole figure area in the lecture style.
SUMMARY_INCHES = {"reading": (11.0, 7.5), "lecture": LECTURE_MAX_INCHES}


def summary_axes(figure):
    """The axes :func:`plot_training_summary` draws into, on ``figure``: ``"loss"``, ``"boundary"``,
    ``"heatmap"``, its ``"colorbar"``, ``"probability"`` (the boundary's bar), ``"histograms"``.
    The figure gets :data:`SUMMARY_INCHES` and no layout engine: a redraw never moves them."""
    figure.set_layout_engine("none")
    width, height = SUMMARY_INCHES["lecture" if is_lecture_mode() else "reading"]
    figure.set_size_inches(width, height)
    scale = 0.6 + 0.4 * plt.rcParams["font.size"] / 12  # margins in inches, grown with the font
    gap = 0.9 * scale  # between the rows: tick labels, axis label, title
    # Columns: loss / heatmap, its colour bar, a gap for the bar's labels, the rest.
    margins = {"left": 1.1 * scale / width, "right": 1 - 1.4 * scale / width}
    margins |= {"bottom": 0.55 * scale / height, "top": 1 - 0.3 * scale / height}
    hspace = gap / ((height - 0.85 * scale - gap) / 2)  # 0.85 * scale: bottom and top
    grid = figure.add_gridspec(
        2, 4, width_ratios=[1, 0.035, 0.6 * scale, 1], wspace=0.04, hspace=hspace, **margins
    )
    boundary = figure.add_subplot(grid[0, 3])

    def beside_boundary(_ax, _renderer):
        """The probability's bar: right of the boundary as drawn (aspect applied), the lower
        40 % (the classes' legend is above). Not an inset: clearing the boundary keeps it."""
        boundary.apply_aspect()
        box = boundary.get_position()
        x0, width = box.x1 + 0.04 * box.width, 0.05 * box.width
        return Bbox.from_bounds(x0, box.y0, width, 0.4 * box.height)

    probability = figure.add_axes(boundary.get_position())
    probability.set_axes_locator(beside_boundary)
    cells = {"loss": (0, 0), "heatmap": (1, 0), "colorbar": (1, 1), "histograms": (1, 3)}
    axes = {name: figure.add_subplot(grid[cell]) for name, cell in cells.items()}
    return axes | {"boundary": boundary, "probability": probability}


def _loss_top(loss) -> float:
    """The loss axis' top: room above chance (ln 2) or above the first loss, in steps of 0.25."""
    finite = np.asarray(loss, dtype=float)
    finite = finite[np.isfinite(finite)]
    first = float(finite[0]) if finite.size else np.log(2)
    return max(round(1.15 * np.log(2), 2), math.ceil(1.1 * min(first, 50.0) / 0.25) * 0.25)


def _nice_ceiling(value: float) -> float:
    """The next of 1, 2, 2.5, 5 times a power of ten at or above ``value`` (> 0)."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(f * power for f in (1.0, 2.0, 2.5, 5.0, 10.0) if f * power >= value * (1 - 1e-12))


class TrainingSummary:
    """The four panels of :func:`plot_training_summary`, drawn once, then updated in place.

    :meth:`begin` lays out what stays fixed during a run (axes, limits, histogram rows);
    :meth:`show` only changes data on existing artists, so a frame costs a few milliseconds
    on a cached background. ``animated=True`` (the lab) leaves those artists out of the
    background (``helpers.widgets.base``). ``decades``: the gradient scale's fixed reach, so
    frames and runs compare; ``axes``: a :func:`summary_axes` dict to reuse (a redraw).
    """

    def __init__(self, figure, decades=3, animated=False, resolution=64, axes=None):
        self.figure, self.animated, self.resolution = figure, animated, resolution
        self.axes = axes or summary_axes(figure)
        self.layout_key = None
        self.dynamic: list = []
        # The colour bars: fixed scales, drawn once for the figure's lifetime.
        self.norm = LogNorm(10.0**-decades, 10.0**decades)
        _reset_colorbar_axes(self.axes["colorbar"])
        _gradient_colorbar(ScalarMappable(self.norm, GRADIENT_CMAP), decades, self.axes["colorbar"])
        _reset_colorbar_axes(self.axes["probability"])
        _probability_colorbar(figure, self.axes["probability"])

    def begin(self, X, y, *, depth, steps, activation, params, loss_top=None, **options):
        """Lay out a run: fixed axes for these settings, artists ready for :meth:`show`.

        ``params`` (the starting weights in the lab) fix the histograms' range for ReLU-like
        activations, and by default ``loss_top``; ``options``: ``skip``, ``norm`` (helpers.mlp).
        """
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        if loss_top is None:
            with np.errstate(all="ignore"):
                loss_top = _loss_top([mean_loss(params, X, y, activation, **options)])
        axes = self.axes
        hidden = _hidden_activations(params, X, activation, **options)
        layers = _shown_layers(axes["histograms"], len(hidden))
        low, high = _histogram_range(activation, hidden, layers)
        if activation not in ("sigmoid", "tanh"):
            high = _nice_ceiling(high - low) + low  # fewer layouts: more cached backgrounds
        key = (X.shape, X[:3].tobytes(), depth, steps, activation, loss_top, low, high)
        if key == self.layout_key:
            return  # the same axes: the artists are there, show() overwrites them
        for name in ("loss", "boundary", "heatmap", "histograms"):
            axes[name].clear()
        animated = self.animated
        self.depth, self.steps = depth, steps
        # Loss.
        ax = axes["loss"]
        style = activation_style(activation) | {"marker": "", "linewidth": 1.8}
        (self.loss_line,) = ax.plot([], [], animated=animated, **style)
        corner = {"transform": ax.transAxes, "ha": "right", "va": "top", "animated": animated}
        self.diverged_text = ax.text(0.98, 0.96, "", color=PALETTE["vermillion"], **corner)
        _chance_line(ax)
        ax.set(xlim=(0, max(1, steps - 1)), ylim=(0, loss_top), title="loss")
        ax.set(xlabel="step", ylabel="cross-entropy")
        ax.xaxis.set_major_locator(MaxNLocator(**_STEP_TICKS))
        # Decision boundary.
        extent, self.gx, self.gy, self.grid = _boundary_grid(X, self.resolution)
        self._points = np.vstack([self.grid, X]).astype(np.float32)
        ax = axes["boundary"]
        self.probability, self.boundary, points = _boundary_panel(ax, X, y, extent, animated)
        ax.set_title("decision boundary", pad=10)  # clear of the top tick
        # Gradient heatmap (relative to the last hidden layer).
        ax = axes["heatmap"]
        empty = np.full((depth, steps), np.nan)
        self.heatmap = _heatmap_image(ax, empty, self.norm, GRADIENT_CMAP, animated)
        ax.set_title(f"gradient ÷ layer {depth}'s", pad=10)  # clear of the top tick
        # Histograms.
        self.layers, self.edges = layers, np.linspace(low, high, 31)
        ax = axes["histograms"]
        self.histograms = _histogram_panel(ax, activation, layers, self.edges, animated)
        ax.set_title("activations now")
        self.dynamic = [self.loss_line, self.diverged_text, self.probability, self.boundary]
        self.dynamic += [*points, self.heatmap, *(a for group in self.histograms for a in group)]
        self.layout_key = key

    def _forward_frame(self, run):
        """P(class 1) on the grid and the data's hidden activations, from one float32 pass."""
        n_grid = self.grid.shape[0]
        params = [tuple(p.astype(np.float32) for p in layer) for layer in run.params]
        act, options = get_activation(run.activation), (run.skip, run.norm)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            cache = _forward(params, self._points, act, *options, training=False)
            hidden = [a[n_grid:] for a in cache.f_outputs]
            if run.norm == "batch":  # the data as training sees it: its own batch statistics
                hidden = _forward(params, self._points[n_grid:], act, *options).f_outputs
        p = _as_probability(cache.probabilities)
        grid_p = np.asarray(p[:n_grid], dtype=float).reshape(self.gx.shape)
        return grid_p, hidden

    def show(self, run) -> None:
        """Put a run's current state (``run.history`` so far, ``run.params``) on the artists."""
        h = run.history
        done = len(h.loss)
        self.loss_line.set_data(np.arange(done), h.loss)
        diverged = run.diverged_at is not None
        self.diverged_text.set_text(f"diverged at step {run.diverged_at}" if diverged else "")
        p, hidden = self._forward_frame(run)  # one pass, in float32, for the grid and the data
        self.probability.set_data(p)
        self.boundary.set_segments(_boundary_segments(self.gx, self.gy, p))
        values = np.full((self.depth, self.steps), np.nan)
        if done:
            low, high = self.norm.vmin, self.norm.vmax
            ratio = np.nan_to_num(relative_gradient(run).T, nan=low, posinf=high)
            values[:, :done] = np.clip(ratio, low, high)
        self.heatmap.set_data(np.ma.masked_invalid(values))
        _show_histograms(self.histograms, hidden, self.layers, self.edges)


def plot_training_summary(run, X, y, figure=None, axes=None, title: str | None = None):
    """Four panels for one run: loss, decision boundary, gradient heatmap, activation histograms.

    The lab's last frame, its gradient scale over the decades the run reaches. Drawn on
    ``figure`` (default: new), or into ``axes`` of :func:`summary_axes`; returns those axes.
    """
    figure = axes["loss"].figure if axes is not None else figure or plt.figure()
    summary = TrainingSummary(figure, gradient_decades(run), resolution=100, axes=axes)
    highest = np.sort(run.history.loss)[::-1]  # NaN last: the highest finite loss first
    settings = dict(depth=run.depth, steps=run.steps, activation=run.activation, skip=run.skip)
    settings["norm"] = run.norm
    summary.begin(X, y, **settings, params=run.params, loss_top=_loss_top(highest))
    summary.show(run)
    summary.axes["histograms"].set_title("activations at the end")
    if title:
        figure.suptitle(title)
    return summary.axes


def plot_side_by_side(runs, X, y, figure=None, titles=None):
    """Runs in rows: the loss, the gradient heatmap and the decision boundary of each.

    The heatmaps share one colour scale and bar (over the decades the runs reach), so colours
    compare directly. Returns one dict of axes per run: loss, heatmap, boundary."""
    runs = list(runs)
    if figure is None:
        width, row = (12.0, 3.1) if is_lecture_mode() else (11.0, 3.3)
        figure = plt.figure(figsize=(width, row * len(runs)), layout="constrained")
    titles = titles or [_label(run) for run in runs]
    grid = figure.add_gridspec(len(runs), 3, width_ratios=[1, 1, 1.3])
    top = max(max(run.history.loss.max() for run in runs), np.log(2)) * 1.05
    decades = gradient_decades(runs)
    drawn = []
    for row, (run, title) in enumerate(zip(runs, titles, strict=True)):
        names = ("loss", "heatmap", "boundary")
        axes = {name: figure.add_subplot(grid[row, i]) for i, name in enumerate(names)}
        plot_loss_curves(run, ax=axes["loss"])
        axes["loss"].set(ylim=(0, top), title=title, ylabel="loss")
        heatmap = plot_gradient_heatmap(run, ax=axes["heatmap"], decades=decades, colorbar=False)
        boundary = plot_decision_boundary(run, X, y, ax=axes["boundary"], colorbar=False)
        if row:
            boundary["legend"].remove()  # one legend for the classes, on the top row
        drawn.append(axes)
    heatmaps = [axes["heatmap"] for axes in drawn]
    figure.draw_without_rendering()  # the layout's final heights: layer ticks that fit them
    for ax, run in zip(heatmaps, runs, strict=True):
        ax.set_yticks(layer_ticks(run.depth, _rows_that_fit(ax), steps=(5, 10, 20, 50, 100)))
    _gradient_colorbar(heatmap["image"], decades, ax=heatmaps, label="gradient ÷ last layer's")
    bar = figure.colorbar(boundary["probability"], ax=drawn[-1]["boundary"], ticks=[0, 0.5, 1])
    bar.solids.set_alpha(PROBABILITY_ALPHA)
    bar.set_label("P(class 1)")  # a bar as tall as the row: its name runs along it
    return drawn
