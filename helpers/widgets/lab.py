"""The deep-network lab: train a network and watch it learn, frame by frame.

A new setting starts a run that trains in chunks as an asyncio task on the
kernel's event loop (ipywidgets' "asynchronous widgets") and redraws after each
chunk, yielding in between: the kernel handles the next control event at once,
and a new setting cancels the run in progress. A frame updates the artists of
``helpers.plotting.training.TrainingSummary`` in place on a cached background.
Without a running event loop (a script, a test, a notebook being built), and
for the lab's first run, a run is trained to its end and only its finished
state is drawn: what nbval and the static site show never depends on timing.
Chunks are a fixed number of steps, so neither do the frames.
"""

from __future__ import annotations

import asyncio
import html
import math
import threading

import ipywidgets as widgets
import numpy as np

from helpers.activations import ACTIVATIONS, get_activation
from helpers.datasets import DATASETS, make_dataset
from helpers.definitions import gradient_regime
from helpers.mlp import INITS, trainer_for
from helpers.plotting.style import new_figure
from helpers.plotting.training import TrainingSummary
from helpers.widgets.base import Demo, keep
from helpers.widgets.depth import describe_options, option_controls

ETAS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
PAUSE_POLL_SECONDS = 0.05
FRAMES_PER_RUN = 12  # a run is drawn in about this many frames (plus its first, at step 0)
# Finished runs and pictures kept, the oldest dropped first: a 20 x 64 run of 500 steps and
# its picture take about 1.2 MB, so the cache stays under about 60 MB however long the lab.
CACHED_RUNS = 48

# The sliders' (low, high, step): a value outside is refused, never clamped.
RANGES = {"depth": (1, 20, 1), "width": (4, 64, 4), "steps": (50, 500, 50)}


def _slider(name: str, value) -> widgets.IntSlider:
    low, high, step = RANGES[name]
    integer = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not (integer and low <= value <= high and (value - low) % step == 0):
        raise ValueError(
            f"{name} must be an integer in {low}..{high} in steps of {step}, got {value!r}"
        )
    return widgets.IntSlider(
        value=int(value), min=low, max=high, step=step, description=name, continuous_update=False
    )


def format_loss(value: float) -> str:
    """A loss for the readout: 3 decimals, or 3 significant digits when huge ("inf" if so)."""
    value = float(value)
    if not math.isfinite(value):
        return "inf" if value > 0 else "NaN"
    return f"{value:.3f}" if abs(value) < 1000 else f"{value:.3g}"


class TrainingLab(Demo):
    """Train a network live: data, depth, width, activation, init, skips, norm, eta, steps.

    Every setting trains a fresh network (``helpers.mlp``, full-batch gradient descent,
    fixed seed) and shows the four panels of ``TrainingSummary`` as it trains. Buttons
    pause, step and restart the run. Finished runs and pictures are cached.

    Args:
        dataset, depth, width, activation, init, eta, steps, skip, norm: the starting
            settings; a value the controls do not offer (:data:`RANGES`, :data:`ETAS`) is refused.
        n_samples: points in the dataset; seed: fixes the data, the weights, so the whole run.
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
        skip: bool = False,
        norm: str = "none",
        n_samples: int = 256,
        seed: int = 0,
    ):
        get_activation(activation)  # clear errors for bad names
        for name, value, known in (("dataset", dataset, DATASETS), ("init", init, INITS)):
            if value not in known:
                raise ValueError(f"unknown {name} {value!r}; known: {', '.join(known)}")
        if eta not in ETAS:
            raise ValueError(f"eta must be one of {ETAS}, got {eta!r}")
        self.n_samples, self.seed = n_samples, seed
        self._runs, self._pictures, self._data = {}, {}, {}  # by settings (data: by dataset)
        self._trainer = self._trainer_key = self._task = self._task_loop = None
        self._generation = 0
        self._displayed_once = False
        self._lock = threading.RLock()  # refresh and frames never interleave
        self.frames = 0  # frames drawn so far (the tests count them)
        controls = {
            "dataset": widgets.Dropdown(options=list(DATASETS), value=dataset, description="data"),
            "depth": _slider("depth", depth),
            "width": _slider("width", width),
            "activation": widgets.Dropdown(
                options=list(ACTIVATIONS), value=activation, description="activation"
            ),
            "init": widgets.Dropdown(options=list(INITS), value=init, description="init"),
            **option_controls(skip, norm),
            "eta": widgets.SelectionSlider(
                options=list(ETAS), value=eta, description="eta", continuous_update=False
            ),
            "steps": _slider("steps", steps),
        }
        figure, _ = new_figure(figsize=(11, 7.5))
        figure.clear()
        self.summary = TrainingSummary(figure, animated=True)
        self.pause = widgets.ToggleButton(
            value=False, description="pause", icon="pause", tooltip="pause or resume training"
        )
        self.step_button = widgets.Button(
            description="step", icon="step-forward", tooltip="train one more chunk, then pause"
        )
        self.restart = widgets.Button(
            description="restart", icon="refresh", tooltip="train this setting again from step 0"
        )
        self.status = widgets.HTML()
        self.status.add_class("lesson-lab-status")
        buttons = widgets.HBox(
            [self.pause, self.step_button, self.restart, self.status],
            layout=widgets.Layout(align_items="center"),
        )
        # The buttons wrap with the controls (not a row of their own): a projected slide
        # has room for the lab only if they share the controls' last row.
        row = widgets.Layout(flex_flow="row wrap", align_items="center")
        super().__init__(
            controls,
            figure,
            controls_box=widgets.HBox([*controls.values(), buttons], layout=row),
            caption="Top: the loss at each training step and the decision boundary the "
            "network has learned so far (the black line where it says 50/50). Bottom: the "
            "gradient reaching each layer at each step, divided by the last hidden layer's "
            "(log colour scale: white means level, blue means smaller, as when it vanishes) "
            "and a histogram of each layer's activations now (grey bands: saturated, where "
            "the slope is below 10 % of its peak). The readout names the network, including "
            "whether skip connections and normalisation are on. The picture updates while "
            "the network trains; pause, step and restart drive the run.",
        )
        # A background of the lab's figure is 1100 x 750 RGBA, 3.3 MB: keep 4, not the base
        # class's 16 (a finished setting shows its cached picture and needs no background).
        self._renderer.CACHE_SIZE = 4
        self.pause.observe(self._on_pause, names="value")
        self.step_button.on_click(self._on_step)
        self.restart.on_click(lambda _button: self.refresh(restart=True))

    def settings(self) -> tuple:
        """The current control values, in a fixed order: the cache key."""
        return tuple(self.value(name) for name in self.controls)

    def data(self, dataset: str):
        if dataset not in self._data:
            self._data[dataset] = make_dataset(dataset, self.n_samples, 0.1, self.seed)
        return self._data[dataset]

    def _new_trainer(self, settings: tuple):
        options = dict(zip(self.controls, settings, strict=True))
        X, y = self.data(options.pop("dataset"))
        return trainer_for(X, y, **options, seed=self.seed)

    def run(self, settings: tuple | None = None):
        """The finished TrainingRun for these settings (default: the controls'), cached."""
        settings = settings or self.settings()
        if settings not in self._runs:
            trainer = self._new_trainer(settings)
            trainer.advance()
            keep(self._runs, settings, trainer.result(), CACHED_RUNS)
        return self._runs[settings]

    def _chunk(self, trainer) -> int:
        return max(1, math.ceil(trainer.steps / FRAMES_PER_RUN))

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
        h, done = run.history, len(run.history.loss)
        s = dict(zip(self.controls, self._trainer_key, strict=True))
        parts = [
            f"<b>{run.depth}-layer {run.activation}</b>, width {s['width']}, "
            f"{describe_options(s['skip'], s['norm'])}, data {s['dataset']}, "
            f"init {s['init']}, eta = {run.eta:g}",
            f"step {done} of {run.steps}",
        ]
        if done:
            parts.append(f"loss {format_loss(h.loss[0])} &rarr; {format_loss(h.loss[-1])}")
            first, last = h.backprop_norm[-1, 0], h.backprop_norm[-1, -1]
            if last > 0 and math.isfinite(first) and math.isfinite(last):
                parts.append(
                    f"now layer 1 gets {first / last:.1e} &times; layer {run.depth}'s gradient "
                    f"({gradient_regime(first / last)})"
                )
            if run.activation in ("sigmoid", "tanh"):
                parts.append(f"saturated: {h.saturated_fraction[-1].mean():.0%} of outputs")
            if run.activation == "relu":
                parts.append(
                    f"{h.dead_fraction[-1].mean():.0%} dead units, "
                    f"{h.zero_fraction[-1].mean():.0%} zero outputs"
                )
        diverged = f"<b>diverged at step {run.diverged_at}</b>: eta is too large, try a smaller one"
        parts.append(diverged if state == "diverged" else f"<b>{state}</b>")
        return " &nbsp;·&nbsp; ".join(parts)

    def _draw(self) -> None:
        """One frame: the current trainer's state on the panels, the readout, the image."""
        run = self._trainer.result()
        with np.errstate(all="ignore"):
            self.summary.show(run)
        # Frames while training are JPEG (about 5 times faster to encode than
        # PNG here, for the same size); the finished picture is a crisp PNG.
        fmt = "png" if self._trainer.finished else "jpeg"
        # The summary's artists: the renderer finds them only when it redraws a background,
        # and a new run may lay out new ones on a cached background.
        self._renderer._animated = self.summary.dynamic
        picture = self._renderer.render(self.summary.layout_key, format=fmt)
        self.image.format, self.image.value = fmt, picture
        self.readout.value = self._readout(run, self._state())
        self.status.value = f"<span class='lesson-lab-state'>{html.escape(self._state())}</span>"
        self.frames += 1
        if self._trainer.finished:
            keep(self._runs, self._trainer_key, run, CACHED_RUNS)
            shown = (self.image.value, self.readout.value)
            keep(self._pictures, self._trainer_key, shown, CACHED_RUNS)

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
        with self._lock, self.showing_errors():
            self._cancel()
            key = self.settings()
            if restart:
                self._runs.pop(key, None)
                self._pictures.pop(key, None)
            if key in self._pictures:
                self.image.format = "png"
                self.image.value, self.readout.value = self._pictures[key]
                self.status.value = "<span class='lesson-lab-state'>finished</span>"
                return
            trainer = self._trainer = self._new_trainer(key)
            self._trainer_key = key
            start = trainer.result()  # step 0: the starting weights
            shape = {"depth": start.depth, "steps": start.steps, "activation": start.activation}
            options = {"params": start.params, "skip": start.skip, "norm": start.norm}
            self.summary.begin(*self.data(key[0]), **shape, **options)
            loop = self._loop()
            # No event loop (a script, a test) or the lab's first run: train to the end now.
            if loop is None or not self._displayed_once:
                self._displayed_once = True
                trainer.advance()
                self._draw()
            else:
                self._draw()  # step 0 at once: the first new image
                self._task_loop = loop
                self._task = loop.create_task(self._animate(trainer, self._generation))

    async def _animate(self, trainer, generation: int) -> None:
        """Train and draw chunk by chunk, yielding in between, until a new setting or a
        restart moves the lab's ``generation`` on (even from another thread, mid-chunk)."""
        while not trainer.finished:
            await asyncio.sleep(0)  # let the kernel handle a waiting control event
            while self.pause.value:
                # Polled, not an asyncio.Event: the resume click may be handled
                # outside this task's loop iteration (ipykernel 7 receives
                # messages on its own thread), and a poll always sees it.
                await asyncio.sleep(PAUSE_POLL_SECONDS)
            with self._lock:
                if generation != self._generation:
                    return
                self._next_frame(trainer)

    def _next_frame(self, trainer) -> None:
        with self.showing_errors(), np.errstate(all="ignore"):
            trainer.advance(self._chunk(trainer))
            self._draw()

    def _on_pause(self, change) -> None:
        self.pause.description = "resume" if change.new else "pause"
        self.pause.icon = "play" if change.new else "pause"
        if self._trainer is not None:
            self.status.value = f"<span class='lesson-lab-state'>{self._state()}</span>"
            if self._trainer_key == self.settings():
                self.readout.value = self._readout(self._trainer.result(), self._state())

    def _on_step(self, _button=None) -> None:
        """Pause, then advance the run by one chunk and draw it."""
        if not self.pause.value:
            self.pause.value = True
        if self._trainer is None or self._trainer_key != self.settings():
            self.refresh(restart=True)  # a cached setting: train it again, from step 0
            return
        with self._lock:
            if not self._trainer.finished:
                self._next_frame(self._trainer)
