"""One look for every figure: Okabe-Ito colours (safe for the common forms of colour
blindness), and a line style and marker per activation so colour is never the only cue.
"""

from __future__ import annotations

import os
from itertools import cycle, islice

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

# Okabe & Ito (2008), "Color Universal Design".
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#7F7F7F",
}

# Fixed per activation, so sigmoid looks the same in every notebook.
_ACTIVATION_STYLES = {
    "sigmoid": {"color": PALETTE["blue"], "linestyle": "-", "marker": "o"},
    "tanh": {"color": PALETTE["vermillion"], "linestyle": "--", "marker": "s"},
    "relu": {"color": PALETTE["green"], "linestyle": "-.", "marker": "^"},
    "leaky_relu": {"color": PALETTE["orange"], "linestyle": ":", "marker": "v"},
    "elu": {"color": PALETTE["purple"], "linestyle": (0, (5, 1, 1, 1)), "marker": "D"},
    "gelu": {"color": PALETTE["sky_blue"], "linestyle": (0, (3, 1, 1, 1, 1, 1)), "marker": "P"},
    "silu": {"color": PALETTE["black"], "linestyle": (0, (1, 1)), "marker": "X"},
}
_SPARE_STYLES = [
    {"color": PALETTE[c], "linestyle": ls, "marker": m}
    for c, ls, m in zip(
        ("grey", "orange", "purple", "sky_blue"), ("--", "-.", ":", "-"), "*h<>", strict=True
    )
]

_BASE_RC = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(
        color=[PALETTE[c] for c in ("blue", "vermillion", "green", "orange", "purple", "sky_blue")],
        linestyle=["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1))],
    ),
    "legend.frameon": False,
    # Room for every label inside the figure, whatever the font size: a figure
    # saved or shown without bbox_inches="tight" (a deck, a gallery) is not cut.
    # Demos opt out (``new_figure``): their axes must not move between redraws.
    "figure.constrained_layout.use": True,
}
_NORMAL_RC = {
    **_BASE_RC,
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "legend.fontsize": 11,
    # Set every key the lecture style sets, so switching back undoes all of it.
    "xtick.labelsize": "medium",
    "ytick.labelsize": "medium",
    "axes.linewidth": 0.8,
    "lines.linewidth": 2.0,
    "lines.markersize": 7,
    "figure.figsize": (7.0, 4.0),
}
# Sized for a projector seen from the back row: no text below 16 pt, including
# the "small" annotations (0.83 x font.size). tests/figure_checks.py holds
# every figure to 10 pt (reading) and 16 pt (lecture).
_LECTURE_RC = {
    **_BASE_RC,
    "font.size": 20,
    "axes.titlesize": 22,
    "axes.labelsize": 20,
    "legend.fontsize": 17,
    "xtick.labelsize": 17,
    "ytick.labelsize": 17,
    "lines.linewidth": 3.5,
    "lines.markersize": 11,
    "axes.linewidth": 1.5,
    "figure.figsize": (10.0, 5.6),
}

_lecture_mode = False


def is_lecture_mode() -> bool:
    """True after ``use_style(lecture=True)``."""
    return _lecture_mode


def use_style(lecture: bool | None = None) -> None:
    """Set the figure style for every figure made afterwards: reading sizes, or with
    ``lecture`` larger fonts, lines and figures for a projector.

    The environment variable ``LESSONS_LECTURE`` ("1" or "0") wins over the argument,
    so ``python3 run.py present`` and the decks switch every notebook at once.
    """
    global _lecture_mode
    variable = os.environ.get("LESSONS_LECTURE", "")
    if variable:
        lecture = variable != "0"
    _lecture_mode = bool(lecture)
    mpl.rcParams.update(_LECTURE_RC if _lecture_mode else _NORMAL_RC)


def activation_style(name: str) -> dict:
    """Colour, line style and marker for an activation, the same in every figure."""
    if name in _ACTIVATION_STYLES:
        return dict(_ACTIVATION_STYLES[name])
    index = sum(map(ord, name)) % len(_SPARE_STYLES)
    return dict(_SPARE_STYLES[index])


def series_styles(n: int) -> list[dict]:
    """n distinct colour + line-style + marker combinations, for curves that are not activations."""
    return list(islice(cycle(_ACTIVATION_STYLES.values()), n))


def get_axes(ax=None, figsize=None):
    """``ax``, or the axes of a new pyplot figure (in the current style) when it is None."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def zero_lines(ax, color="0.5", x: bool = True) -> None:
    """Thin reference lines through 0: horizontal, and vertical unless ``x`` is False."""
    ax.axhline(0, color=color, linewidth=0.8)
    if x:
        ax.axvline(0, color=color, linewidth=0.8)


def note(ax, text: str, xy, offset=(0, 0), **kwargs):
    """Small text at ``xy`` (data units), moved by ``offset`` points."""
    kwargs = {"fontsize": "small", **kwargs}
    return ax.annotate(text, xy, xytext=offset, textcoords="offset points", **kwargs)


def data_per_point(ax, axis: str = "y") -> float:
    """Data units (decades on a log axis) one point spans at the axes' current size and
    limits: labels are sized in points but placed in data units."""
    low, high = getattr(ax, f"get_{axis}lim")()
    if getattr(ax, f"get_{axis}scale")() == "log":
        low, high = np.log10(low), np.log10(high)
    box, figure = ax.get_position(), ax.figure
    inches = (
        box.height * figure.get_figheight() if axis == "y" else box.width * figure.get_figwidth()
    )
    return (high - low) / (inches * 72)


def animate(*artists) -> None:
    """Mark artists as animated: a Demo draws them over its cached background."""
    for artist in artists:
        artist.set_animated(True)


# The largest figure a slide shows unscaled (1280 x 720 px less margins and a
# heading, at 100 dpi); tests/figure_checks.py assumes the same.
LECTURE_MAX_INCHES = (12.0, 6.2)


def figure_size(width: float, height: float) -> tuple[float, float]:
    """A reading figure size, grown in lecture mode like the default figure (10 / 7)
    but no more than fits on a slide (``LECTURE_MAX_INCHES``), so larger text has room."""
    if not _lecture_mode:
        return (width, height)
    grow = min(
        _LECTURE_RC["figure.figsize"][0] / _NORMAL_RC["figure.figsize"][0],
        LECTURE_MAX_INCHES[0] / width,
        LECTURE_MAX_INCHES[1] / height,
    )
    return (width * grow, height * grow)


# A widget figure's margins in inches at 12 pt, scaled with the font size.
_MARGINS = dict(left=0.9, right=0.4, bottom=0.65, top=0.5, between_columns=0.9, between_rows=0.9)


def new_figure(nrows: int = 1, ncols: int = 1, figsize=None, margins=None, **subplot_kw):
    """``(figure, axes)`` for a widget: a bare Figure, which pyplot's inline backend
    neither shows twice nor keeps alive, with margins fixed in inches (``_MARGINS``,
    overridden by ``margins``) so the axes never move while a demo redraws."""
    width, height = figsize or mpl.rcParams["figure.figsize"]
    scale = mpl.rcParams["font.size"] / 12
    inches = {key: value * scale for key, value in _MARGINS.items()} | (margins or {})
    figure = Figure(figsize=(width, height), layout="none")
    between_columns, between_rows = inches["between_columns"], inches["between_rows"]
    axes_width = (width - inches["left"] - inches["right"] - (ncols - 1) * between_columns) / ncols
    axes_height = (height - inches["bottom"] - inches["top"] - (nrows - 1) * between_rows) / nrows
    figure.subplots_adjust(
        left=inches["left"] / width,
        right=1 - inches["right"] / width,
        bottom=inches["bottom"] / height,
        top=1 - inches["top"] / height,
        wspace=between_columns / axes_width,
        hspace=between_rows / axes_height,
    )
    return figure, figure.subplots(nrows, ncols, **subplot_kw)
