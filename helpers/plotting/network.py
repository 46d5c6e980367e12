"""The lecture notes' small network drawn, with one of its two paths highlighted (matplotlib only).

The network of notebook 04::

    x1, x2 --w'--> o11 --w''11--> o21 --w'''11--> o31 --> L
                       --w''12--> o22 --w'''21-->

Every edge carries its weight. With ``highlight=1`` (through o21) or ``2``
(through o22) that path is drawn thick and solid in its own colour, the other
edges thin, grey and dotted (so colour is never the only cue), and each edge
of the path is labelled with its local derivative, the slope at the unit it
enters times the weight on it: ``∂o21/∂o11 = f'(z21)·w''11``.
"""

from __future__ import annotations

import math

import matplotlib as mpl

from helpers.plotting.style import LECTURE_MAX_INCHES, PALETTE, get_axes

__all__ = ["PATHS", "plot_network"]

# Where each node sits (x, y), in data units; the axes are hidden.
_NODES = {
    "x1": (0.0, 1.2),
    "x2": (0.0, -1.2),
    "o11": (3.4, 0.0),
    "o21": (6.8, 1.2),
    "o22": (6.8, -1.2),
    "o31": (10.2, 0.0),
    "L": (12.4, 0.0),
}
# (source, target) -> weight name; the last edge is the loss, with no weight.
_EDGES = {
    ("x1", "o11"): "w'11",
    ("x2", "o11"): "w'21",
    ("o11", "o21"): "w''11",
    ("o11", "o22"): "w''12",
    ("o21", "o31"): "w'''11",
    ("o22", "o31"): "w'''21",
    ("o31", "L"): None,
}
PATHS = {
    1: (("x1", "o11"), ("o11", "o21"), ("o21", "o31"), ("o31", "L")),
    2: (("x1", "o11"), ("o11", "o22"), ("o22", "o31"), ("o31", "L")),
}
"""The edges of each path from w'11 to L (path 1 through o21, path 2 through o22)."""

_PATH_COLOURS = {1: PALETTE["vermillion"], 2: PALETTE["blue"]}
_NODE_RADIUS = 0.42
_SMALL = 0.85  # weights and factors: 10 pt reading, 17 pt lecture (at least 10 / 16 pt)
_ROW = 1.8  # the factors of a highlighted path sit in a row above or below the drawing
# Edges off the highlighted path: thin, grey and dotted; with no path highlighted: plain.
_OFF_PATH = {"color": PALETTE["grey"], "lw": 1.5, "linestyle": ":"}
_PLAIN = {"color": PALETTE["black"], "lw": 2.0, "linestyle": "-"}
_ON_WHITE = {"facecolor": "white", "edgecolor": "none", "pad": 1.0}


def _tex(name: str) -> str:
    """``"w''11"`` -> ``w''_{11}``, ``"o21"`` -> ``o_{21}``, ``"x1"`` -> ``x_{1}`` (mathtext)."""
    head = name.rstrip("0123456789")
    return f"{head}_{{{name[len(head) :]}}}" if head != name else name


def _number(value: float) -> str:
    return f"{value:.3g}".replace("-", "−")


def _factor(edge, weights, x, slopes):
    """The local derivative on one edge of a path, f'(z)·w: its label (symbol, then the
    numbers when known) and its value (None when the numbers were not given)."""
    source, target = edge
    if source == "x1":
        symbol, times = r"$f'(z_{11})\,x_{1}$", None if x is None else x[0]
    else:
        symbol = rf"$f'({_tex('z' + target[1:])})\,{_tex(_EDGES[edge])}$"
        times = weights.get(_EDGES[edge]) if weights else None
    if slopes is None or times is None or target not in slopes:
        return symbol, None
    value = slopes[target] * times
    return f"{symbol}\n{_number(slopes[target])} × {_number(times)}\n= {_number(value)}", value


def plot_network(weights=None, *, x=None, slopes=None, dL_do31=None, highlight=None, ax=None):
    """Draw the notes' network; optionally highlight one path with its local derivatives.

    ``weights`` (``"w'11"``, ``"w''12"``... -> number) are written on their edges, or
    only their names when None; ``x`` = (x1, x2), x1 being the first factor's multiplier;
    with ``slopes`` (f'(z) keyed ``"o11"``, ``"o21"``, ``"o22"``, ``"o31"``) each factor
    on the path also shows its value; ``dL_do31`` is written on the last edge when given.
    A new figure is wider than the style's default.

    Returns ``{"nodes": {name: Circle}, "edges": {(source, target): Line2D}, "labels":
    [Text]}``, ``"highlighted"`` (the path's edges in order) and ``"factors"`` (its values
    f'(z)·w, input side first, None where not computable).
    """
    if highlight not in (None, 1, 2):
        raise ValueError(f"highlight must be 1, 2 or None, got {highlight!r}")
    width = min(mpl.rcParams["figure.figsize"][0] * 1.3, LECTURE_MAX_INCHES[0])
    ax = get_axes(ax, figsize=(width, width * 0.4))  # wide: seven nodes side by side
    size = mpl.rcParams["font.size"]
    on_path = PATHS[highlight] if highlight else ()
    colour = _PATH_COLOURS.get(highlight, PALETTE["black"])
    drawn = {"nodes": {}, "edges": {}, "highlighted": list(on_path), "labels": [], "factors": []}

    def text(*args, small=True, **kwargs):
        kwargs = {"ha": "center", "va": "center", "zorder": 5, **kwargs}
        drawn["labels"].append(ax.text(*args, fontsize=size * (_SMALL if small else 1), **kwargs))

    for (source, target), weight in _EDGES.items():
        (x0, y0), (x1, y1) = _NODES[source], _NODES[target]
        length = math.hypot(x1 - x0, y1 - y0)
        dx, dy = (x1 - x0) / length, (y1 - y0) / length
        start = (x0 + dx * _NODE_RADIUS, y0 + dy * _NODE_RADIUS)
        end = (x1 - dx * _NODE_RADIUS, y1 - dy * _NODE_RADIUS)
        highlighted = (source, target) in on_path
        style = {"color": colour, "lw": 4.5, "linestyle": "-"} if highlighted else _OFF_PATH
        style = _PLAIN if not highlight else style
        (line,) = ax.plot([start[0], end[0]], [start[1], end[1]], zorder=1, **style)
        arrow = {"arrowstyle": "-|>", "color": style["color"], "lw": style["lw"]}
        tail = (end[0] - dx * 0.05, end[1] - dy * 0.05)
        ax.annotate("", xy=end, xytext=tail, arrowprops=arrow, zorder=2)
        drawn["edges"][(source, target)] = line
        mid_x, mid_y = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        if weight is not None:  # on its edge, the line passing behind it
            label = f"${_tex(weight)}$"
            if weights and weight in weights:
                label += f" = {_number(weights[weight])}"
            grey = "grey" if highlight and not highlighted else "black"
            text(mid_x, mid_y, label, color=PALETTE[grey], zorder=4, bbox=_ON_WHITE)
        if not highlighted and (target != "L" or dL_do31 is None):
            continue
        # A factor of the highlighted path: in a row above (or below, for an edge in
        # the lower half) the drawing, joined to its edge by a thin leader line.
        side = 1 if target == "L" or (_NODES[source][1] + _NODES[target][1]) >= 0 else -1
        if target == "L":
            label = r"$\partial L/\partial o_{31}$"
            if dL_do31 is not None:
                label += f"\n= {_number(dL_do31)}"
        else:
            label, value = _factor((source, target), weights, x, slopes)
            drawn["factors"].append(value)
        box = {"facecolor": "white", "edgecolor": colour, "pad": 2.5, "lw": 1.5}
        leader = {"arrowstyle": "-", "color": colour, "lw": 1.0, "shrinkB": 4}
        row = {"ha": "center", "va": "bottom" if side > 0 else "top", "zorder": 5}
        drawn["labels"].append(
            ax.annotate(
                label,
                xy=(mid_x, mid_y),
                xytext=(mid_x, _ROW * side),
                fontsize=size * _SMALL,
                color=colour if highlighted else PALETTE["black"],
                bbox=box if highlighted and target != "L" else None,
                arrowprops=leader if highlighted else None,
                **row,
            )
        )

    for name, (cx, cy) in _NODES.items():
        in_path = any(name in edge for edge in on_path)
        ring = {"edgecolor": colour, "lw": 3.5} if in_path else {"edgecolor": "k", "lw": 1.5}
        face = PALETTE["sky_blue"] if name.startswith("o") else "white"
        circle = mpl.patches.Circle((cx, cy), _NODE_RADIUS, facecolor=face, zorder=3, **ring)
        drawn["nodes"][name] = ax.add_patch(circle)
        text(cx, cy, name if name == "L" else f"${_tex(name)}$", small=False)
        if name.startswith("x") and x is not None:
            text(cx - _NODE_RADIUS - 0.1, cy, f"{_number(x[int(name[1:]) - 1])} =", ha="right")

    ax.set_xlim(-1.3, 13.0)
    row = _ROW + 0.9 if highlight or dL_do31 is not None else 1.9  # room for the factors' rows
    ax.set_ylim(-row, row)
    ax.set_aspect("equal")
    ax.axis("off")
    _fit_labels(ax, drawn["labels"])
    return drawn


def _fit_labels(ax, labels, passes=3):
    """Widen the y limits until every label lies inside them: labels are sized in points,
    so the room they need depends on the figure (measured, not guessed)."""
    figure = ax.figure
    for _ in range(passes):
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        to_data = ax.transData.inverted()
        low, high = ax.get_ylim()
        for label in labels:
            box = mpl.text.Text.get_window_extent(label, renderer)
            (_, y0), (_, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
            low, high = min(low, y0 - 0.1), max(high, y1 + 0.1)
        if (low, high) == ax.get_ylim():
            break
        ax.set_ylim(low, high)
