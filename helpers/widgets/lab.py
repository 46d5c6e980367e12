"""The deep-network lab: train a network and watch it learn, frame by frame.

Every new setting starts a run that trains in chunks on the kernel's event
loop (an asyncio task: the pattern the ipywidgets documentation calls
asynchronous widgets) and redraws after each chunk: the loss curve grows, the
decision boundary moves, the layers x steps gradient picture fills in, the
histograms change. Between chunks the task yields to the event loop, so the
kernel handles the next control event at once: a new setting cancels the run
in progress and starts its own. Pause, step and restart buttons drive the run;
the readout follows it. A finished run and its picture are cached.

Without a running event loop (plain Python, a test, a notebook being built)
a run is trained to its end before the call returns and only the finished
state is drawn, so what a script or a static page shows never depends on
timing. The lab's first run (the one shown when it is displayed) is trained
that way too: a notebook executed by nbval or nbclient, and the static site,
show its finished state.

Frames update artists in place (``helpers.plotting.training.TrainingSummary``)
on a background cached per layout, so a frame costs a few tens of
milliseconds; the chunk size is a fixed number of steps (a run is drawn in
about :data:`FRAMES_PER_RUN` frames), so the frames, like the run, do not
depend on the machine's speed.
"""

from __future__ import annotations

import asyncio
import html
import io
import math
import threading

import ipywidgets as widgets
import numpy as np
from PIL import Image

from helpers.activations import ACTIVATIONS, get_activation
from helpers.datasets import DATASETS, make_dataset
from helpers.definitions import gradient_regime
from helpers.mlp import INITS, trainer_for
from helpers.plotting.style import new_figure
from helpers.plotting.training import TrainingSummary, _loss_top
from helpers.widgets.base import Demo, FigureRenderer

ETAS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
PAUSE_POLL_SECONDS = 0.05
FRAMES_PER_RUN = 12
"""A run is drawn in about this many frames (plus its first, at step 0)."""

# The sliders' ranges: a value outside is refused, never clamped.
RANGES = {
    "depth": (1, 20, 1),
    "width": (4, 64, 4),
    "steps": (50, 500, 50),
}


def _check_setting(name: str, value) -> int:
    low, high, step = RANGES[name]
    allowed = f"{low}..{high}" + (f" in steps of {step}" if step != 1 else "")
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer in {allowed}, got {value!r}")
    if not (low <= value <= high and (value - low) % step == 0):
        raise ValueError(f"{name} must be an integer in {allowed} (the lab's range), got {value}")
    return int(value)


def format_loss(value: float) -> str:
    """A loss for the readout: 3 decimals, or 3 significant digits when huge ("inf" if so)."""
    value = float(value)
    if not math.isfinite(value):
        return "inf" if value > 0 else "NaN"
    return f"{value:.3f}" if abs(value) < 1000 else f"{value:.3g}"


class _LabRenderer(FigureRenderer):
    """FigureRenderer whose animated artists are the summary's, in drawing order.

    The base class finds animated artists when it redraws the background; the
    lab changes them when a new layout begins, possibly while reusing a
    cached background, so it names them itself.
    """

    def __init__(self, figure, summary: TrainingSummary):
        super().__init__(figure)
        self.summary = summary

    def render(self, background_key=None, format: str = "png") -> bytes:  # noqa: A002
        """Like FigureRenderer.render; ``format="jpeg"`` encodes about 5 times faster."""
        if format == "png":
            return super().render(background_key)
        figure, canvas = self.figure, self.canvas
        if background_key in self._backgrounds:
            background = self._backgrounds[background_key]
        else:
            canvas.draw()  # skips animated artists
            background = canvas.copy_from_bbox(figure.bbox)
            if len(self._backgrounds) >= self.CACHE_SIZE:
                self._backgrounds.pop(next(iter(self._backgrounds)))
            self._backgrounds[background_key] = background
        canvas.restore_region(background)
        self._current = background
        figure.stale = False
        for artist in self._animated:
            figure.draw_artist(artist)
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="jpeg", quality=90)
        return buffer.getvalue()

    @property
    def _animated(self):
        return self.summary.dynamic

    @_animated.setter
    def _animated(self, value):  # the base class assigns it; the summary's list wins
        pass


class TrainingLab(Demo):
    """Controls for depth, width, activation, initialisation, eta and steps; live training.

    Every setting trains a fresh network (``helpers.mlp``, full-batch gradient
    descent, fixed seed) on a toy dataset and shows four panels, updated as it
    trains: the loss, the decision boundary, the gradient reaching each layer
    over training (divided by the last hidden layer's; log colour scale) and
    the activations of each layer. Buttons pause/resume, advance one chunk
    and restart the run. Finished runs and pictures are cached, so going back
    to a setting shows at once.

    Args:
        dataset: a key of ``helpers.datasets.DATASETS``.
        depth (1..20), width (4..64, steps of 4), activation, init, eta (one
            of :data:`ETAS`), steps (50..500, steps of 50): the starting
            settings; anything outside the controls' ranges is refused.
        n_samples: points in the dataset.
        seed: fixes the data, the initial weights and so the whole run.
    """

    def __init__(
        self,
        dataset: str = "moons",
        depth: int = 6,
        width: int = 32,
        activation: str = "sigmoid",
        init: str = "standard",
        eta: float = 0.3,
        steps: int = 200,
        n_samples: int = 256,
        seed: int = 0,
    ):
        get_activation(activation)  # clear errors for bad names
        if dataset not in DATASETS:
            raise ValueError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; known: {', '.join(INITS)}")
        if eta not in ETAS:
            raise ValueError(f"eta must be one of {ETAS}, got {eta!r}")
        depth, width, steps = (
            _check_setting(name, value)
            for name, value in (("depth", depth), ("width", width), ("steps", steps))
        )
        self.n_samples, self.seed = n_samples, seed
        self._runs: dict = {}
        self._pictures: dict = {}
        self._data: dict = {}
        self._trainer = None
        self._trainer_key = None
        self._task: asyncio.Task | None = None
        self._task_loop = None
        self._generation = 0
        self._lock = threading.RLock()  # refresh and frames never interleave
        self.frames = 0  # frames drawn so far (the tests count them)
        slider = {"continuous_update": False}
        controls = {
            "dataset": widgets.Dropdown(options=list(DATASETS), value=dataset, description="data"),
            "depth": widgets.IntSlider(value=depth, min=1, max=20, description="depth", **slider),
            "width": widgets.IntSlider(
                value=width, min=4, max=64, step=4, description="width", **slider
            ),
            "activation": widgets.Dropdown(
                options=list(ACTIVATIONS), value=activation, description="activation"
            ),
            "init": widgets.Dropdown(options=list(INITS), value=init, description="init"),
            "eta": widgets.SelectionSlider(
                options=list(ETAS), value=eta, description="eta", **slider
            ),
            "steps": widgets.IntSlider(
                value=steps, min=50, max=500, step=50, description="steps", **slider
            ),
        }
        figure, _ = new_figure(figsize=(11, 7.5))
        figure.clear()
        self.summary = TrainingSummary(figure, animated=True)
        self.axes = self.summary.axes
        self.pause = widgets.ToggleButton(
            value=False, description="pause", icon="pause", tooltip="pause or resume training"
        )
        self.step_button = widgets.Button(
            description="step", icon="step-forward", tooltip="train one more chunk, then pause"
        )
        self.restart = widgets.Button(
            description="restart", icon="refresh", tooltip="train this setting again from step 0"
        )
        for button in (self.pause, self.step_button, self.restart):
            button.add_class("lesson-lab-button")
        self.status = widgets.HTML()
        self.status.add_class("lesson-lab-status")
        self._ready = False  # Demo.__init__ calls refresh(): wait for the lab's renderer
        super().__init__(
            controls,
            figure,
            caption="Top: the loss at each training step and the decision boundary the "
            "network has learned so far (the black line where it says 50/50). Bottom: the "
            "gradient reaching each layer at each step, divided by the last hidden layer's "
            "(log colour scale: white means level, blue means smaller, as when it vanishes) "
            "and a histogram of each layer's activations now (grey bands: saturated, where "
            "the slope is below 10 % of its peak). The picture updates while the network "
            "trains; pause, step and restart drive the run.",
        )
        self._renderer = _LabRenderer(figure, self.summary)
        buttons = widgets.HBox(
            [self.pause, self.step_button, self.restart, self.status],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        children = list(self.children)
        children.insert(2, buttons)
        self.children = children
        self.pause.observe(self._on_pause, names="value")
        self.step_button.on_click(self._on_step)
        self.restart.on_click(self._on_restart)
        self._ready = True
        self.refresh()

    # --- settings, data, cached runs ------------------------------------------------

    def settings(self) -> tuple:
        """The current control values, in a fixed order: the cache key."""
        return tuple(self.value(name) for name in self.controls)

    def data(self, dataset: str):
        if dataset not in self._data:
            self._data[dataset] = make_dataset(dataset, self.n_samples, 0.1, self.seed)
        return self._data[dataset]

    def _new_trainer(self, settings: tuple):
        dataset, depth, width, activation, init, eta, steps = settings
        X, y = self.data(dataset)
        return trainer_for(
            X,
            y,
            depth=depth,
            width=width,
            activation=activation,
            init=init,
            eta=eta,
            steps=steps,
            seed=self.seed,
        )

    def run(self, settings: tuple | None = None):
        """The finished TrainingRun for these settings (default: the controls'), cached."""
        settings = settings or self.settings()
        if settings not in self._runs:
            trainer = self._new_trainer(settings)
            trainer.advance()
            self._runs[settings] = trainer.result()
        return self._runs[settings]

    # --- drawing --------------------------------------------------------------------

    def _chunk(self, trainer) -> int:
        return max(1, math.ceil(trainer.steps / FRAMES_PER_RUN))

    def _begin(self, trainer, settings) -> None:
        """Lay the panels out for this run (fixed axes while it trains)."""
        dataset = settings[0]
        X, y = self.data(dataset)
        start = trainer.params()
        from helpers.mlp import loss as mean_loss

        with np.errstate(all="ignore"):
            top = _loss_top([mean_loss(start, X, y, trainer.act.name)])
        self.summary.begin(
            X,
            y,
            depth=trainer.depth,
            steps=trainer.steps,
            activation=trainer.act.name,
            params=start,
            loss_top=top,
        )

    def _state(self) -> str:
        trainer = self._trainer
        if trainer.diverged_at is not None:
            return "diverged"
        if trainer.finished:
            return "finished"
        if self.pause.value:
            return "paused"
        return "training" if self._task is not None and not self._task.done() else "ready"

    def _readout(self, run, state: str) -> str:
        h = run.history
        done = len(h.loss)
        settings = self._trainer_key
        dataset, _, width, _, init, _, _ = settings
        parts = [
            f"<b>{run.depth}-layer {run.activation}</b>, width {width}, data {dataset}, "
            f"init {init}, eta = {run.eta:g}",
            f"step {done} of {run.steps}",
        ]
        if done:
            parts.append(f"loss {format_loss(h.loss[0])} &rarr; {format_loss(h.loss[-1])}")
            first, last = h.backprop_norm[-1, 0], h.backprop_norm[-1, -1]
            if last > 0 and math.isfinite(first) and math.isfinite(last):
                ratio = first / last
                parts.append(
                    f"now layer 1 gets {ratio:.1e} &times; layer {run.depth}'s gradient "
                    f"({gradient_regime(ratio)})"
                )
            if run.activation in ("sigmoid", "tanh"):
                parts.append(f"saturated: {h.saturated_fraction[-1].mean():.0%} of outputs")
            if run.activation == "relu":
                parts.append(
                    f"{h.dead_fraction[-1].mean():.0%} dead units, "
                    f"{h.zero_fraction[-1].mean():.0%} zero outputs"
                )
        if state == "diverged":
            parts.append(
                f"<b>diverged at step {run.diverged_at}</b>: eta is too large, try a smaller one"
            )
        else:
            parts.append(f"<b>{state}</b>")
        return " &nbsp;·&nbsp; ".join(parts)

    def _draw(self) -> None:
        """One frame: the current trainer's state on the panels, the readout, the image."""
        run = self._trainer.result()
        state = self._state()
        with np.errstate(all="ignore"):
            self.summary.show(run)
        # Frames while training are JPEG (about 5 times faster to encode than
        # PNG here, for the same size); the finished picture is a crisp PNG.
        fmt = "png" if self._trainer.finished else "jpeg"
        picture = self._renderer.render(self.summary.layout_key, format=fmt)
        if self.image.format != fmt:
            self.image.format = fmt
        self.image.value = picture
        self.readout.value = self._readout(run, state)
        self.status.value = f"<span class='lesson-lab-state'>{html.escape(state)}</span>"
        self.frames += 1
        if self._trainer.finished:
            self._runs[self._trainer_key] = run
            self._pictures[self._trainer_key] = (self.image.value, self.readout.value)

    def update(self) -> str:  # Demo's hook; the lab draws through refresh()
        self._draw()
        return self.readout.value

    def _show_error(self, error: Exception) -> None:
        self.error.value = (
            '<div style="color:#B00020;border:2px solid #B00020;padding:4px" role="alert">'
            f"This demo could not redraw: {html.escape(type(error).__name__)}: "
            f"{html.escape(str(error))}</div>"
        )

    # --- running ----------------------------------------------------------------------

    @staticmethod
    def _loop():
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            return None

    def _cancel(self) -> None:
        """Stop the run in progress: no frame of it is drawn after this returns."""
        self._generation += 1  # a task drawing for an older generation stops first
        task, loop = self._task, self._task_loop
        if task is not None and not task.done():
            if self._loop() is loop:
                task.cancel()
            else:  # called from another thread than the task's loop
                loop.call_soon_threadsafe(task.cancel)
        self._task = None

    def refresh(self, restart: bool = False) -> None:
        """Show the controls' setting: its cached picture, or start (and draw) its run."""
        if not self._ready:
            return
        with self._lock:
            self._refresh(restart)

    def _refresh(self, restart: bool) -> None:
        self._cancel()
        key = self.settings()
        if restart:
            self._runs.pop(key, None)
            self._pictures.pop(key, None)
        if key in self._pictures:
            self.image.format = "png"
            self.image.value, self.readout.value = self._pictures[key]
            self.status.value = "<span class='lesson-lab-state'>finished</span>"
            self.error.value = ""
            return
        try:
            self._trainer = self._new_trainer(key)
            self._trainer_key = key
            self._begin(self._trainer, key)
            loop = self._loop()
            if loop is None or not getattr(self, "_displayed_once", False):
                # No event loop (a script, a test), or the lab's first run: train to
                # the end now and draw the finished state only.
                self._trainer.advance()
                self._draw()
                self._displayed_once = True
            else:
                self._draw()  # step 0 at once: the first new image
                self._task_loop = loop
                self._task = loop.create_task(self._animate(self._trainer, self._generation))
        except Exception as error:
            self._show_error(error)
            raise
        self.error.value = ""

    async def _animate(self, trainer, generation: int) -> None:
        """Train ``trainer`` chunk by chunk, drawing after each, yielding between them.

        ``generation`` is the lab's at the start: once a new setting (or a
        restart) has moved it on, this run stops without drawing again, even
        if the new setting was handled on another thread mid-chunk.
        """
        chunk = self._chunk(trainer)
        try:
            while not trainer.finished:
                await asyncio.sleep(0)  # let the kernel handle a waiting control event
                while self.pause.value:
                    # Polled, not an asyncio.Event: the resume click may be handled
                    # outside this task's loop iteration (ipykernel 7 receives
                    # messages on its own thread), and a poll always sees it.
                    await asyncio.sleep(PAUSE_POLL_SECONDS)
                if generation != self._generation:
                    return
                with np.errstate(all="ignore"):
                    trainer.advance(chunk)
                with self._lock:
                    if generation != self._generation:
                        return
                    self._draw()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # shown in the demo, as Demo.refresh does
            self._show_error(error)
            raise

    async def wait(self) -> None:
        """Wait until the run in progress (if any) has finished or been cancelled."""
        task = self._task
        if task is not None:
            try:
                await task
            except asyncio.CancelledError:
                if task is self._task:
                    raise

    # --- buttons ----------------------------------------------------------------------

    def _on_change(self, change) -> None:
        self.refresh()

    def _on_pause(self, change) -> None:
        self.pause.description = "resume" if change.new else "pause"
        self.pause.icon = "play" if change.new else "pause"
        if self._trainer is not None:
            self.status.value = f"<span class='lesson-lab-state'>{self._state()}</span>"
            if self._trainer_key == self.settings():
                run = self._trainer.result()
                self.readout.value = self._readout(run, self._state())

    def _on_step(self, _button=None) -> None:
        """Pause, then advance the run by one chunk and draw it."""
        if not self.pause.value:
            self.pause.value = True
        if self._trainer is None or self._trainer_key != self.settings():
            self.refresh(restart=True)  # a cached setting: train it again, from step 0
            return
        with self._lock:
            if not self._trainer.finished:
                with np.errstate(all="ignore"):
                    self._trainer.advance(self._chunk(self._trainer))
                self._draw()

    def _on_restart(self, _button=None) -> None:
        self.refresh(restart=True)
