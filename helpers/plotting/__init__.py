"""Figures for the notebooks, in one consistent style (matplotlib only).

Every ``plot_*`` function takes ``ax=None`` (a new figure is made when it is None),
returns the artists it drew, and never calls ``plt.show()``. Its ``set_*`` or
``update_*`` partner moves those artists to new data: what a widget
(``helpers.widgets``) does on every event, without redrawing the axes.
"""

from helpers.plotting.activations import plot_activation, plot_activations
from helpers.plotting.network import plot_network
from helpers.plotting.style import (
    PALETTE,
    activation_style,
    figure_size,
    is_lecture_mode,
    new_figure,
    use_style,
)

__all__ = [
    "PALETTE",
    "activation_style",
    "figure_size",
    "is_lecture_mode",
    "new_figure",
    "plot_activation",
    "plot_activations",
    "plot_network",
    "use_style",
]
