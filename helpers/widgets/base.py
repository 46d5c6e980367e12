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

import contextlib
import html
import io
import math
from numbers import Integral, Real

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from helpers.plotting.style import is_lecture_mode

# Every demo: a visible keyboard-focus ring. Lecture mode (``use_style(lecture=True)``
# or LESSONS_LECTURE=1 before the demo is made) also enlarges the controls and text
# of the demo for a projector; the figure itself follows the lecture figure style.
DEMO_CSS = """<style>
.lesson-demo :focus-visible { outline: 3px solid #0072B2 !important; outline-offset: 2px; }
.lesson-demo select:focus-visible, .lesson-demo input:focus-visible { outline-offset: -3px; }
.lesson-demo.lesson-lecture {
  --jp-widgets-font-size: 20px; --jp-widgets-inline-height: 40px;
  --jp-widgets-inline-width: 480px; --jp-widgets-slider-handle-size: 26px;
  --jp-widgets-slider-track-thickness: 8px; font-size: 20px;
}
.lesson-demo.lesson-lecture :is(.widget-label, .widget-readout, select, input, .lesson-readout,
  .lesson-caption, :is(.lesson-readout, .lesson-caption) .widget-html-content) { font-size: 20px; }
.lesson-demo.lesson-lecture :is(.lesson-readout, .lesson-caption) { line-height: 1.4; }
</style>"""


def keep(cache: dict, key, value, limit: int) -> None:
    """Store ``value`` as the newest entry of ``cache``, dropping the oldest beyond ``limit``
    (the demos' caches: a lecture or a lab session must not grow a kernel without bound)."""
    cache.pop(key, None)
    cache[key] = value
    while len(cache) > limit:
        del cache[next(iter(cache))]


class FigureRenderer:
    """Renders a figure to PNG bytes, redrawing its background only when needed.

    The background (everything not animated) is redrawn when the figure is
    stale, unless the caller names a ``background_key`` it has drawn before:
    then that background is reused from a small cache. A demo whose dropdown
    switches between a few fixed views (one per activation, say) thus pays
    for a full draw only the first time each view is shown.
    """

    CACHE_SIZE = 16  # backgrounds kept; each is width x height x 4 bytes

    def __init__(self, figure: Figure):
        self.figure = figure
        self.canvas = FigureCanvasAgg(figure)
        self._backgrounds: dict = {}
        self._current = None
        self._animated = []

    def render(self, background_key=None, format: str = "png") -> bytes:  # noqa: A002
        figure, canvas = self.figure, self.canvas
        if background_key is not None and background_key in self._backgrounds:
            background = self._backgrounds[background_key]
        elif self._current is None or figure.stale or background_key is not None:
            canvas.draw()  # skips animated artists
            background = canvas.copy_from_bbox(figure.bbox)
            self._animated = [a for a in figure.findobj() if a.get_animated()]
            if background_key is not None:
                keep(self._backgrounds, background_key, background, self.CACHE_SIZE)
        else:
            background = self._current
        canvas.restore_region(background)
        self._current = background
        figure.stale = False
        for artist in self._animated:
            figure.draw_artist(artist)
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        # RGB at zlib level 1 encodes about twice as fast as matplotlib's RGBA
        # at level 6, for a file about a tenth larger (~35 kB here); JPEG
        # (for frames of an animation) about five times faster than that.
        options = {"quality": 90} if format == "jpeg" else {"compress_level": 1}
        image.convert("RGB").save(buffer, format=format, **options)
        return buffer.getvalue()


def slider(description: str, value, low, high, step, *, name=None, log=False, **kwargs):
    """A slider over [low, high] starting at ``value``: an IntSlider for an integer step,
    a FloatLogSlider (base 10) when ``log``, else a FloatSlider. A start outside the range
    is refused (ValueError naming ``name``, default the description): the slider would
    clamp it silently (z=100 would show z = 6)."""
    integer = isinstance(step, int)
    kind, number = ("an integer", Integral) if integer else ("a number", Real)
    if isinstance(value, bool) or not isinstance(value, number) or not low <= value <= high:
        raise ValueError(
            f"{name or description} must be {kind} from {low:g} to {high:g}, got {value!r}"
        )
    if log:
        low, high, cls = math.log10(low), math.log10(high), widgets.FloatLogSlider
    else:
        cls = widgets.IntSlider if integer else widgets.FloatSlider
    return cls(value=value, min=low, max=high, step=step, description=description, **kwargs)


class Demo(widgets.VBox):
    """Labelled controls (name -> ipywidget with a ``value``; each triggers a redraw), one
    persistent figure (``helpers.plotting.new_figure``) redrawn in place, a text readout,
    and a caption (one sentence saying what the figure shows: its alt text).

    Subclasses build their figure and controls, call ``super().__init__`` and implement
    :meth:`update`. ``controls_box`` lays the controls out otherwise than in one wrapping row.
    """

    def __init__(self, controls: dict, figure: Figure, caption: str, controls_box=None):
        self.controls, self.figure, self.caption = controls, figure, caption
        width = round(figure.get_size_inches()[0] * figure.dpi)
        self._renderer = FigureRenderer(figure)
        self.image = widgets.Image(
            format="png",
            layout=widgets.Layout(width=f"{width}px", max_width="100%", height="auto"),
        )
        self.readout, self.error = widgets.HTML(), widgets.HTML()
        caption_html = widgets.HTML(f"<em>{html.escape(caption)}</em>")
        css = widgets.HTML(DEMO_CSS)
        parts = {"figure": self.image, "readout": self.readout, "error": self.error}
        for name, part in {**parts, "caption": caption_html, "style": css}.items():
            part.add_class(f"lesson-{name}")
        for control in controls.values():
            control.style.description_width = "initial"
            control.observe(self._on_change, names="value")
        if controls_box is None:
            row = widgets.Layout(flex_flow="row wrap")
            controls_box = widgets.HBox(list(controls.values()), layout=row)
        super().__init__([css, controls_box, self.image, self.readout, caption_html, self.error])
        self.add_class("lesson-demo")
        if is_lecture_mode():
            self.add_class("lesson-lecture")
        self.refresh()

    def update(self) -> str:
        """Change the figure's artists to match the controls; return the readout (HTML)."""
        raise NotImplementedError

    def background_key(self):
        """None: redraw the background whenever matplotlib marks the figure stale. A
        hashable that fixes everything not animated (say, the dropdown's value): each
        background is then drawn once and reused (see :class:`FigureRenderer`)."""
        return None

    def value(self, name: str):
        return self.controls[name].value

    def refresh(self) -> None:
        """Redraw the figure and the readout from the controls' values."""
        with self.showing_errors():
            readout = self.update()
            self.image.value = self._renderer.render(self.background_key())
            self.readout.value = readout

    @contextlib.contextmanager
    def showing_errors(self):
        """Show an exception of the block in the demo and re-raise it (so the kernel's log
        and the notebook tests see it too); clear the box if none. A lecturer sees what
        went wrong instead of a figure that silently stops updating."""
        try:
            yield
        except Exception as error:
            self.error.value = (
                '<div style="color:#B00020;border:2px solid #B00020;padding:4px" role="alert">'
                f"This demo could not redraw: {html.escape(type(error).__name__)}: "
                f"{html.escape(str(error))}</div>"
            )
            raise
        self.error.value = ""

    def _on_change(self, change) -> None:
        self.refresh()
