"""The deep-network lab: train a network from scratch, see its loss, boundary and gradients."""

from __future__ import annotations

import ipywidgets as widgets

from helpers.activations import ACTIVATIONS, get_activation
from helpers.datasets import DATASETS, make_dataset
from helpers.mlp import INITS, fit
from helpers.plotting.style import new_figure
from helpers.plotting.training import plot_training_summary, summary_axes
from helpers.widgets.base import Demo

ETAS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)


class TrainingLab(Demo):
    """Sliders for depth, width, activation, initialisation, eta and steps; one training run each.

    Every setting trains a fresh network (``helpers.mlp.fit``, full-batch
    gradient descent, fixed seed) on a toy dataset and shows four panels: the
    loss, the decision boundary, the gradient reaching each layer over
    training (log colour scale) and the activations of each layer at the end.
    Runs and pictures are cached, so going back to a setting shows at once.

    Args:
        dataset: a key of ``helpers.datasets.DATASETS``.
        depth, width, activation, init, eta, steps: the starting settings.
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
        self.n_samples, self.seed = n_samples, seed
        self._runs: dict = {}
        self._pictures: dict = {}
        self._data: dict = {}
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
        self.axes = summary_axes(figure)
        super().__init__(
            controls,
            figure,
            caption="Top: the loss at each training step and the decision boundary the "
            "network learned (the black line where it says 50/50). Bottom: the size of the "
            "gradient reaching each layer at each step (colour on a log scale; dark means "
            "vanished) and a histogram of each layer's activations after training (grey "
            "bands: saturated, where the slope is below 10 % of its peak).",
        )

    def settings(self) -> tuple:
        """The current control values, in a fixed order: the cache key."""
        return tuple(self.value(name) for name in self.controls)

    def data(self, dataset: str):
        if dataset not in self._data:
            self._data[dataset] = make_dataset(dataset, self.n_samples, 0.1, self.seed)
        return self._data[dataset]

    def run(self, settings: tuple | None = None):
        """The TrainingRun for these settings (default: the controls'), trained once then cached."""
        settings = settings or self.settings()
        if settings not in self._runs:
            dataset, depth, width, activation, init, eta, steps = settings
            X, y = self.data(dataset)
            self._runs[settings] = fit(
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
        return self._runs[settings]

    def update(self) -> str:
        run = self.run()
        dataset = self.value("dataset")
        X, y = self.data(dataset)
        plot_training_summary(run, X, y, axes=self.axes)
        h = run.history
        first, last = h.backprop_norm[0, 0], h.backprop_norm[0, -1]
        ratio = first / last if last > 0 else float("nan")
        parts = [
            f"<b>{run.depth}-layer {run.activation}</b>, width {self.value('width')}, "
            f"data {dataset}, init {self.value('init')}, "
            f"eta = {run.eta:g}, {len(h.loss)} steps",
            f"loss {h.loss[0]:.3f} &rarr; {h.loss[-1]:.3f}",
            f"at step 0 the gradient reaching layer 1 is {ratio:.1e} &times; that at "
            f"layer {run.depth}",
        ]
        if run.activation in ("sigmoid", "tanh"):
            parts.append(f"saturated at the end: {h.saturated_fraction[-1].mean():.0%} of outputs")
        if run.activation == "relu":
            parts.append(
                f"at the end: {h.dead_fraction[-1].mean():.0%} dead units, "
                f"{h.zero_fraction[-1].mean():.0%} zero outputs"
            )
        if run.diverged_at is not None:
            parts.append(
                f"<b>diverged at step {run.diverged_at}</b>: eta is too large, try a smaller one"
            )
        return " &nbsp;·&nbsp; ".join(parts)

    def refresh(self) -> None:
        """Show a cached picture at once; otherwise train, draw and cache it."""
        key = self.settings()
        if key in self._pictures:
            self.image.value, self.readout.value = self._pictures[key]
            self.error.value = ""
            return
        super().refresh()
        self._pictures[key] = (self.image.value, self.readout.value)
