"""The pattern every demo follows: controls drive one persistent figure.

A newcomer's ``@interact`` builds a new figure on every slider event and lets
the inline backend render it twice (once to find the tight bounding box): about
140 ms here, and the output area collapses and regrows, so it flickers. A Demo
instead keeps one matplotlib Figure (not registered with pyplot), updates its
artists in place and swaps the PNG bytes of an Image widget of fixed size, so
nothing on the page moves.

Speed comes from drawing only what changed. Artists created with
``animated=True`` (a moving point, a tangent line) are left out of the full
draw; the rest is drawn once and kept as a background, which is redrawn only
when something non-animated changed (matplotlib marks the figure ``stale``
then). A slider event that only moves animated artists costs a copy of the
background, a few artists and a fast PNG encoding: a few milliseconds.
"""

from __future__ import annotations

import html
import io

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image


class FigureRenderer:
    """Renders a figure to PNG bytes, redrawing its background only when stale."""

    def __init__(self, figure: Figure):
        self.figure = figure
        self.canvas = FigureCanvasAgg(figure)
        self._background = None
        self._animated = []

    def render(self) -> bytes:
        figure, canvas = self.figure, self.canvas
        if self._background is None or figure.stale:
            canvas.draw()  # skips animated artists
            # A layout engine would re-run on every draw: keep the first layout.
            figure.set_layout_engine("none")
            self._background = canvas.copy_from_bbox(figure.bbox)
            self._animated = [a for a in figure.findobj() if a.get_animated()]
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            figure.draw_artist(artist)
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        # Level 1: a third faster than the default, for a slightly larger file.
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


class Demo(widgets.VBox):
    """Labelled controls, one figure redrawn in place, and a text readout.

    Subclasses build their figure and controls, call ``super().__init__`` and
    implement :meth:`update`, which changes the figure's artists to match the
    controls and returns the readout (HTML) describing what is drawn.

    Args:
        controls: name -> ipywidget with a ``value``; each one triggers a redraw.
        figure: the persistent figure (see ``helpers.plotting.new_figure``).
        caption: one sentence saying what the figure shows (its alt text).
    """

    def __init__(self, controls: dict[str, widgets.Widget], figure: Figure, caption: str):
        self.controls = controls
        self.figure = figure
        self.caption = caption
        width, height = (figure.get_size_inches() * figure.dpi).round().astype(int)
        self._renderer = FigureRenderer(figure)
        self.image = widgets.Image(
            format="png",
            layout=widgets.Layout(width=f"{width}px", max_width="100%", height="auto"),
        )
        self.image.add_class("lesson-figure")
        self.readout = widgets.HTML()
        self.readout.add_class("lesson-readout")
        self.error = widgets.HTML()
        self.error.add_class("lesson-error")
        caption_html = widgets.HTML(f"<em>{html.escape(caption)}</em>")
        caption_html.add_class("lesson-caption")
        for control in controls.values():
            control.style.description_width = "initial"
            control.observe(self._on_change, names="value")
        box = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([box, self.image, self.readout, caption_html, self.error])
        self.add_class("lesson-demo")
        self.refresh()

    def update(self) -> str:
        """Change the figure to match the controls; return the readout HTML."""
        raise NotImplementedError

    def value(self, name: str):
        """The current value of control ``name``."""
        return self.controls[name].value

    def refresh(self) -> None:
        """Redraw the figure and the readout from the controls' values.

        An exception is shown in the demo itself (a lecturer sees what went
        wrong instead of a figure that silently stops updating) and re-raised,
        so the kernel's log and the notebook tests see it too.
        """
        try:
            readout = self.update()
            self.image.value = self._renderer.render()
        except Exception as error:
            self.error.value = (
                '<div style="color:#B00020;border:2px solid #B00020;padding:4px" role="alert">'
                f"This demo could not redraw: {html.escape(type(error).__name__)}: "
                f"{html.escape(str(error))}</div>"
            )
            raise
        self.readout.value = readout
        self.error.value = ""

    def _on_change(self, change) -> None:
        self.refresh()
