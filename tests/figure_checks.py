"""Checks any matplotlib figure can be put through: readable, uncluttered, labelled.

``figure_problems(figure, lecture=...)`` draws the figure and returns a list of
sentences, one per problem (empty when the figure passes). Use it on every
figure the lessons draw, in both styles::

    problems = figure_problems(figure, lecture=False)
    assert not problems, "my figure:\\n" + "\\n".join(problems)

What is checked, and the numbers:

- **Text size.** Every visible piece of text is at least ``MIN_POINTS`` points
  (10 pt reading, 16 pt lecture) *as displayed*. A figure is drawn at 100 dpi,
  and a page or a slide shows it at most ``DISPLAY_INCHES`` wide (reading:
  10 in = 1000 px, a notebook's output column on a 1280-px-wide laptop screen;
  lecture: a 1280 × 720 slide less its margins and heading, 12 × 6.2 in),
  scaling a larger figure down (``max-width: 100%``): the
  check measures ``fontsize × min(1, display width / figure width, display
  height / figure height)``, the text's size relative to the figure.
- **No overlapping text**: no two text bounding boxes (tick labels, labels,
  titles, legend entries, annotations) overlap, after a full draw.
- **Nothing outside the figure**: every text and legend lies inside the canvas.
- **No legend, text or inset over data**: no sampled point of a data line
  (every 2 px along it) lies inside a legend, an inset or a text of the same
  axes. Reference lines (``axhline``, ``axvline``) do not count as data.
- **Every axis labelled**, unless it has no tick labels, its tick labels are
  words (categories), or it shares its scale with a labelled axis.
- **Every colour scale has a colour bar** (images, meshes, scatter colours).
- **Lines differ by more than colour**: labelled curves in one axes differ in
  line style or marker, or carry a direct label in the axes.
- **No hidden line**: no labelled curve lies under a solid line drawn above it
  along 40 % of its length.
- **No same-colour lines running together**: two labelled curves of one colour
  are not within 2 px of each other along a fifth of either.
- **No empty log range**: a log y axis runs no more than 2 decades (and a quarter
  of its span) beyond its data.

``lines_differing_only_by_colour`` is also usable on its own.
"""

from __future__ import annotations

import re

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.colorbar import Colorbar
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox, BboxBase

MIN_POINTS = {"reading": 10.0, "lecture": 16.0}
# (width, height) in inches at 100 dpi at which a figure is at most displayed.
DISPLAY_INCHES = {"reading": (10.0, np.inf), "lecture": (12.0, 6.2)}
OVERLAP_PX = 1.0  # boxes may touch by this much (antialiasing, rounding)
SAMPLE_PX = 2.0  # spacing of the points sampled along a data line


def _mode(lecture: bool) -> str:
    return "lecture" if lecture else "reading"


def display_scale(figure: Figure, lecture: bool) -> float:
    """How much a page (or a slide) shrinks this figure: 1 when it fits."""
    width, height = figure.get_size_inches() * figure.dpi / 100
    max_width, max_height = DISPLAY_INCHES[_mode(lecture)]
    return float(min(1.0, max_width / width, max_height / height))


def _renderer(figure: Figure):
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)
    figure.canvas.draw()
    return figure.canvas.get_renderer()


def _all_axes(figure: Figure) -> list[Axes]:
    """The figure's axes and, after each, its insets (``figure.axes`` leaves insets out)."""
    found = []
    for ax in figure.axes:
        found.append(ax)
        found += [child for child in ax.child_axes if child not in found]
    return found


def _tick_labels(ax: Axes) -> list[Text]:
    """The tick labels matplotlib actually draws (inside the view, non-empty)."""
    labels = []
    if not ax.axison:  # ax.axis("off"): no ticks drawn
        return labels
    for axis in (ax.xaxis, ax.yaxis):
        if not axis.get_visible():
            continue
        for tick in axis._update_ticks():  # the ticks drawn at the current limits
            for label in (tick.label1, tick.label2):
                if label.get_visible() and label.get_text().strip():
                    labels.append(label)
    return labels


def _texts(figure: Figure) -> list[tuple[str, Text]]:
    """(where, text) for every visible, non-empty text the figure draws."""
    found = []
    tick_texts = set()
    for ax in _all_axes(figure):
        if not ax.get_visible():
            continue
        for label in _tick_labels(ax):
            tick_texts.add(label)
            found.append((f"{_axes_name(ax)} tick label", label))
    for text in figure.findobj(Text):
        if text in tick_texts or not text.get_text().strip():
            continue
        if not text.get_visible() or (text.axes is not None and not text.axes.get_visible()):
            continue
        if _is_tick_label(text):
            continue  # a tick label outside the view: not drawn
        legend = _legend_of(text, figure)
        if legend is not None and not legend.get_visible():
            continue
        found.append((_where(text, figure), text))
    return found


def _where(text: Text, figure: Figure) -> str:
    for ax in _all_axes(figure):
        if text is ax.xaxis.label:
            return f"{_axes_name(ax)} x label"
        if text is ax.yaxis.label:
            return f"{_axes_name(ax)} y label"
        if text is ax.title or text is ax._left_title or text is ax._right_title:
            return f"{_axes_name(ax)} title"
    if _legend_of(text, figure) is not None:
        return "legend"
    return _axes_name(text.axes) if text.axes is not None else "figure"


def _is_tick_label(text: Text) -> bool:
    for ax in _all_axes(text.figure) if text.figure else []:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.majorTicks + axis.minorTicks:
                if text is tick.label1 or text is tick.label2:
                    return True
    return False


def _legend_of(text: Text, figure: Figure) -> Legend | None:
    for legend in _legends(figure):
        if text in legend.get_texts() or text is legend.get_title():
            return legend
    return None


def _legends(figure: Figure) -> list[Legend]:
    legends = [legend for legend in figure.legends]
    legends += [ax.get_legend() for ax in _all_axes(figure) if ax.get_legend() is not None]
    return [legend for legend in legends if legend.get_visible()]


def _axes_name(ax: Axes | None) -> str:
    if ax is None:
        return "figure"
    every = _all_axes(ax.figure)
    index = every.index(ax) + 1 if ax in every else 0
    title = ax.get_title() or ax.get_ylabel() or ""
    inset = "inset " if ax not in ax.figure.axes else ""
    return f"{inset}axes {index}" + (f" ({title[:30]!r})" if title else "")


def _describe(text: Text) -> str:
    words = text.get_text().replace("\n", " ")
    return repr(words if len(words) <= 40 else words[:37] + "...")


def _bbox(artist, renderer) -> Bbox:
    if isinstance(artist, Text):  # an annotation's text only, not its arrow
        return Text.get_window_extent(artist, renderer)
    return artist.get_window_extent(renderer)


def _overlap(a: Bbox, b: Bbox, slack: float = OVERLAP_PX) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > slack and min(a.y1, b.y1) - max(a.y0, b.y0) > slack


# --- the checks -------------------------------------------------------------------------


def text_too_small(figure: Figure, lecture: bool) -> list[str]:
    """Texts smaller than ``MIN_POINTS`` as displayed (see the module docstring)."""
    mode = _mode(lecture)
    scale = display_scale(figure, lecture)
    dpi_scale = figure.dpi / 100  # text drawn at another dpi is larger or smaller on screen
    problems = []
    for where, text in _texts(figure):
        size = text.get_fontsize() * scale * dpi_scale
        if size < MIN_POINTS[mode] - 0.05:
            shrunk = f" (the figure is shown at {scale:.0%} of its size)" if scale < 1 else ""
            problems.append(
                f"{where}: text {_describe(text)} is {size:.1f} pt as shown{shrunk}, "
                f"below the {MIN_POINTS[mode]:g} pt minimum for {mode}"
            )
    return problems


def overlapping_text(figure: Figure, renderer) -> list[str]:
    texts = [(where, text, _bbox(text, renderer)) for where, text in _texts(figure)]
    problems = []
    for i, (where_a, a, box_a) in enumerate(texts):
        for where_b, b, box_b in texts[i + 1 :]:
            if _overlap(box_a, box_b):
                problems.append(
                    f"{where_a}: text {_describe(a)} overlaps {where_b}: text {_describe(b)}"
                )
    return problems


def outside_figure(figure: Figure, renderer) -> list[str]:
    frame = figure.bbox
    problems = []
    things = [(where, text, _describe(text)) for where, text in _texts(figure)]
    things += [("legend", legend, "the legend") for legend in _legends(figure)]
    for where, artist, what in things:
        box = _bbox(artist, renderer)
        if (
            box.x0 < frame.x0 - OVERLAP_PX
            or box.y0 < frame.y0 - OVERLAP_PX
            or box.x1 > frame.x1 + OVERLAP_PX
            or box.y1 > frame.y1 + OVERLAP_PX
        ):
            problems.append(f"{where}: {what} sticks out of the figure (cut off when shown)")
    return problems


def _data_points(line: Line2D) -> np.ndarray:
    """Display coordinates of points every ``SAMPLE_PX`` along a line, inside its axes."""
    if not line.get_visible() or line.get_transform() != line.axes.transData:
        return np.empty((0, 2))  # axhline/axvline: a reference, not data
    xy = np.column_stack([line.get_xdata(orig=False), line.get_ydata(orig=False)]).astype(float)
    if len(xy) == 0:
        return np.empty((0, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        points = line.axes.transData.transform(xy)
    has_line = line.get_linestyle() not in ("None", "none", "", " ")
    sampled = []
    for start, stop in zip(points[:-1], points[1:], strict=True):
        if not (np.isfinite(start).all() and np.isfinite(stop).all()) or not has_line:
            continue
        n = max(1, int(np.hypot(*(stop - start)) / SAMPLE_PX))
        sampled.append(start + (stop - start) * np.linspace(0, 1, n, endpoint=False)[:, None])
    sampled.append(points[np.isfinite(points).all(axis=1)])
    sampled = np.concatenate(sampled)
    frame = line.axes.bbox
    inside = (
        (sampled[:, 0] >= frame.x0)
        & (sampled[:, 0] <= frame.x1)
        & (sampled[:, 1] >= frame.y0)
        & (sampled[:, 1] <= frame.y1)
    )
    return sampled[inside]


def _points_in(box: Bbox, points: np.ndarray, slack: float = OVERLAP_PX) -> int:
    if len(points) == 0:
        return 0
    return int(
        (
            (points[:, 0] > box.x0 + slack)
            & (points[:, 0] < box.x1 - slack)
            & (points[:, 1] > box.y0 + slack)
            & (points[:, 1] < box.y1 - slack)
        ).sum()
    )


def covering_data(figure: Figure, renderer) -> list[str]:
    """Legends, texts and inset axes that lie over a data line of their axes."""
    problems = []
    for ax in _all_axes(figure):
        if not ax.get_visible():
            continue
        lines = [line for line in ax.get_lines() if not line.get_label().startswith("_child")]
        lines = [(line, _data_points(line)) for line in lines]
        covers = []
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            covers.append(("the legend", legend))
        for text in ax.texts:
            if text.get_visible() and text.get_text().strip():
                covers.append((f"text {_describe(text)}", text))
        for child in ax.child_axes:
            if child.get_visible():  # its frame, and each of its texts on its own
                covers.append(("the inset axes", child.bbox))
                parts = [child.title, child.xaxis.label, child.yaxis.label, *_tick_labels(child)]
                covers += [("the inset's text", t) for t in parts if t.get_text().strip()]
        for what, artist in covers:
            box = artist if isinstance(artist, BboxBase) else _bbox(artist, renderer)
            for line, points in lines:
                if line is artist:
                    continue
                hits = _points_in(box, points)
                if hits:
                    name = line.get_label()
                    name = repr(name) if not name.startswith("_") else "a data line"
                    problems.append(f"{_axes_name(ax)}: {what} covers {name}")
                    break
    return problems


def unlabelled_axes(figure: Figure) -> list[str]:
    problems = []
    colorbar_axes = {m.colorbar.ax for m in _mappables(figure) if _colorbar(m) is not None}
    for ax in _all_axes(figure):
        named = ax.get_ylabel() or ax.get_xlabel() or any(map(ax.get_title, ("left", "center")))
        if hasattr(ax, "_colorbar") and not named:
            problems.append(f"{_axes_name(ax)}: a colour bar with no name (label or title)")
        if not ax.get_visible() or ax in colorbar_axes or hasattr(ax, "_colorbar"):
            continue
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            if axis.get_label_text().strip() or not axis.get_visible() or not ax.axison:
                continue
            labels = [t.get_text() for t in _tick_labels(ax) if t in _axis_labels(axis)]
            if not labels:
                continue  # no tick labels: a schematic axis
            if any(re.search(r"[A-Za-z]{2}|\$", label) for label in labels):
                continue  # categories (words or symbols): the tick labels name what is shown
            shared = ax.get_shared_x_axes() if name == "x" else ax.get_shared_y_axes()
            siblings = [a for a in shared.get_siblings(ax) if a is not ax]
            if any((a.xaxis if name == "x" else a.yaxis).get_label_text() for a in siblings):
                continue
            problems.append(f"{_axes_name(ax)}: the {name} axis has no label")
    return problems


def _axis_labels(axis) -> set:
    return {t for tick in axis.majorTicks + axis.minorTicks for t in (tick.label1, tick.label2)}


def _mappables(figure: Figure) -> list:
    found = []
    for ax in _all_axes(figure):
        for artist in ax.get_children():
            if isinstance(artist, AxesImage) or (
                isinstance(artist, Collection) and artist.get_array() is not None
            ):
                found.append(artist)
    return found


def _colorbar(mappable) -> Colorbar | None:
    return getattr(mappable, "colorbar", None)


def _same_scale(a, b) -> bool:
    """Two colour scales with one colour map and one norm (type and limits)."""
    return (
        a.get_cmap().name == b.get_cmap().name
        and type(a.norm) is type(b.norm)
        and np.allclose([a.norm.vmin, a.norm.vmax], [b.norm.vmin, b.norm.vmax])
    )


def colour_scales_without_bar(figure: Figure) -> list[str]:
    """Colour scales no colour bar explains.

    A colour bar's own axes (its solids are a mesh) need none, and a colour scale sharing
    its colour map and norm with one that has a colour bar is explained by that bar (one
    bar for several panels, or a bar drawn once for a live figure's fixed scale).
    """
    mappables = _mappables(figure)
    with_bar = [m for m in mappables if _colorbar(m) is not None]
    # A bar drawn for a scale alone (``ScalarMappable``: a live figure's fixed scale).
    with_bar += [ax._colorbar.mappable for ax in _all_axes(figure) if hasattr(ax, "_colorbar")]
    problems = []
    for m in mappables:
        if not m.get_visible() or _colorbar(m) is not None:
            continue
        if getattr(m.axes, "_colorbar", None) is not None:
            continue  # the colour bar itself
        if any(_same_scale(b, m) for b in with_bar):
            continue
        problems.append(
            f"{_axes_name(m.axes)}: a colour scale ({type(m).__name__}) without a colour bar"
        )
    return problems


def lines_differing_only_by_colour(figure: Figure) -> list[str]:
    """Labelled curves in one axes that share line style and marker and carry no direct label.

    A direct label is text in the axes naming the curve (``"peak of tanh' = 1"``
    next to the tanh' curve), besides its legend entry.
    """
    problems = []
    for ax in _all_axes(figure):
        seen: dict[tuple, str] = {}
        legend = ax.get_legend()
        legend_text = {t.get_text() for t in legend.get_texts()} if legend else set()
        named = "\n".join(t.get_text() for t in ax.findobj(Text) if t.get_text() not in legend_text)
        for line in ax.get_lines():
            label = line.get_label()
            if label.startswith("_") or not line.get_visible():
                continue
            stem = re.sub(r"\(\w\)$", "", label)
            if stem and stem in named:
                continue  # labelled on the figure itself
            # get_linestyle() says "--" for every dash pattern: compare the pattern itself
            dashes = getattr(line, "_unscaled_dash_pattern", (None, None))[1]
            look = (str(line.get_linestyle()), str(dashes), str(line.get_marker()))
            if look in seen:
                problems.append(
                    f"{_axes_name(ax)}: {seen[look]!r} and {label!r} differ only by colour "
                    f"(both line style {look[0]!r} {look[1]}, marker {look[2]!r}); give one "
                    "another line style or marker (helpers.plotting.style.activation_style)"
                )
            seen[look] = label
    return problems


def _line_points(line: Line2D) -> np.ndarray:
    """Display points every ``SAMPLE_PX`` along a labelled data line, in its axes."""
    if line.get_label().startswith("_") or line.get_linestyle() in ("None", "none", "", " "):
        return np.empty((0, 2))
    return _data_points(line)


def hidden_lines(figure: Figure) -> list[str]:
    """Labelled curves lying under a solid line drawn above them along 40 % of their length.

    05's ReLU' of 0 once hid under ReLU's own line for z < 0.
    """
    problems = []
    for ax in _all_axes(figure):
        lines = [(line, _line_points(line)) for line in ax.get_lines() if line.get_visible()]
        lines = [(line, points) for line, points in lines if len(points) > 10]
        for below, points in lines:
            for above, others in lines:
                drawn_later = lines.index((above, others)) > lines.index((below, points))
                if above is below or not (
                    above.get_zorder() > below.get_zorder()
                    or (above.get_zorder() == below.get_zorder() and drawn_later)
                ):
                    continue
                share = _near(points, others)
                solid = above.get_linestyle() == "-"  # gaps in a dashed line show what is under
                if solid and share > 0.4 and above.get_linewidth() >= below.get_linewidth():
                    problems.append(
                        f"{_axes_name(ax)}: {below.get_label()!r} is hidden under "
                        f"{above.get_label()!r} along {share:.0%} of its length"
                    )
    return problems


def same_colour_lines_running_together(figure: Figure) -> list[str]:
    """Two labelled curves of one colour within 2 px along a fifth of either (they merge).

    02's σ' once ran into σ for z < -2, and 03's SigmoidTanhComparison drew σ and σ'
    in one colour, running together for z < -3.
    """
    problems = []
    for ax in _all_axes(figure):
        lines = [(line, _line_points(line)) for line in ax.get_lines() if line.get_visible()]
        lines = [(line, points) for line, points in lines if len(points) > 10]
        for i, (a, points_a) in enumerate(lines):
            for b, points_b in lines[i + 1 :]:
                if to_hex(a.get_color()) != to_hex(b.get_color()):
                    continue
                share = max(_near(points_a, points_b), _near(points_b, points_a))
                if share > 0.2:
                    problems.append(
                        f"{_axes_name(ax)}: {a.get_label()!r} and {b.get_label()!r} have one "
                        f"colour and run together along {share:.0%} of one"
                    )
    return problems


def _near(points: np.ndarray, others: np.ndarray) -> float:
    """The share of ``points`` within ``SAMPLE_PX`` of one of ``others``."""
    if len(points) == 0 or len(others) == 0:
        return 0.0
    distance = np.full(len(points), np.inf)
    for start in range(0, len(others), 2000):  # bounded memory
        chunk = others[start : start + 2000]
        gaps = np.hypot(*(points[:, None, :] - chunk[None, :, :]).transpose(2, 0, 1))
        distance = np.minimum(distance, gaps.min(axis=1))
    return float(np.mean(distance <= SAMPLE_PX))


def empty_log_range(figure: Figure) -> list[str]:
    """A log axis running far beyond its data: more than 2 decades and a quarter of its span.

    04's gradient profiles once ran to 10^5 with nothing above 1; the depth explorer's fixed
    10^-50..10^10 axis left a depth-20 curve in one corner, and it later kept an axis fitted
    to every activation on offer (depth 1, another activation, weight scale 8: the curve
    in 1 to 3 of up to 60 decades).
    """
    problems = []
    for ax in _all_axes(figure):
        if not ax.get_visible() or ax.get_yscale() != "log":
            continue
        values = [
            np.asarray(line.get_ydata(orig=False), dtype=float)
            for line in ax.get_lines()
            if line.get_visible() and line.get_transform() == ax.transData
        ]
        values = np.concatenate(values) if values else np.empty(0)
        values = values[np.isfinite(values) & (values > 0)]
        if values.size == 0:
            continue
        low, high = np.log10(ax.get_ylim())
        data_low, data_high = np.log10([values.min(), values.max()])
        empty = max(data_low - low, high - data_high)
        if empty > max(2.0, 0.25 * (high - low)):
            problems.append(
                f"{_axes_name(ax)}: the log y axis runs {empty:.0f} decades beyond its data "
                f"(10^{low:.0f} to 10^{high:.0f}, data 10^{data_low:.1f} to 10^{data_high:.1f})"
            )
    return problems


def figure_problems(figure: Figure, lecture: bool) -> list[str]:
    """Every problem the checks above find in ``figure``, drawn in the reading or lecture style.

    Args:
        figure: a matplotlib Figure, drawn in the style named by ``lecture``
            (the checks draw it, with every artist a reader would see: make a
            demo's animated artists ordinary first).
        lecture: True if it was made in the lecture style (the minimum text
            size and display size differ).

    Returns:
        one sentence per problem, naming the axes and the text or line.
    """
    renderer = _renderer(figure)
    return (
        text_too_small(figure, lecture)
        + overlapping_text(figure, renderer)
        + outside_figure(figure, renderer)
        + covering_data(figure, renderer)
        + unlabelled_axes(figure)
        + colour_scales_without_bar(figure)
        + lines_differing_only_by_colour(figure)
        + hidden_lines(figure)
        + same_colour_lines_running_together(figure)
        + empty_log_range(figure)
    )
