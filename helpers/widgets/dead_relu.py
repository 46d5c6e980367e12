"""Dead ReLUs against the learning rate: a live count from short training runs."""

from __future__ import annotations

import ipywidgets as widgets

from helpers.dead_relu import ETAS, SEEDS, dead_units_run
from helpers.plotting.relu import (
    plot_dead_units_during_training,
    plot_dead_units_per_layer,
    set_dead_units_during_training,
    set_dead_units_others,
    set_dead_units_per_layer,
)
from helpers.plotting.style import figure_size, new_figure
from helpers.widgets.base import Demo


class DeadReluExplorer(Demo):
    """Pick a learning rate: see how many ReLU units a short training run kills.

    Each setting is a real run of :func:`helpers.dead_relu.dead_units_run` (He
    initialisation, two moons, ``depth`` x ``width`` units, ``steps`` steps). A
    seed's etas all train when it is first shown (about a second), then the
    slider only redraws. ``eta`` and ``seed`` (the data and initial weights) are
    shown first; they must be among the experiment's ``ETAS`` and ``SEEDS``.
    """

    def __init__(self, eta: float = 0.3, seed: int = 0, *, depth=4, width=32, steps=100):
        if eta not in ETAS:
            raise ValueError(f"eta must be one of {', '.join(map(str, ETAS))}; got {eta!r}")
        if seed not in SEEDS:
            raise ValueError(f"seed must be one of {SEEDS}; got {seed!r}")
        self.settings = {"depth": depth, "width": width, "steps": steps}
        controls = {
            "eta": widgets.SelectionSlider(
                options=[(f"{value:g}", value) for value in ETAS],
                value=eta,
                description="learning rate eta",
                continuous_update=True,
                layout=widgets.Layout(width="440px"),
            ),
            "seed": widgets.Dropdown(
                options=list(SEEDS),
                value=seed,
                description="seed",
                layout=widgets.Layout(width="140px"),
            ),
        }
        # ipywidgets 8 gives every slider view the class "jupyter-widgets" except the
        # SelectionSlider's; add it, so it is styled and found like the other sliders.
        controls["eta"].add_class("jupyter-widgets")
        figure, (self.ax_steps, self.ax_layers) = new_figure(1, 2, figsize=figure_size(9.0, 3.6))
        self.ax_steps.set_title("During training: every eta (grey)")
        self.ax_layers.set_title("After training, per layer")
        self._seed_shown = None
        self.step_artists = None
        self.layer_artists = plot_dead_units_per_layer(depth, width, ax=self.ax_layers)
        super().__init__(
            controls,
            figure,
            caption="Left: the number of dead ReLU units (output 0 for every training point) "
            "during training, for every learning rate in grey and the chosen one in black. "
            "Right: the dead units in each hidden layer at the end of the chosen run.",
        )

    def run(self, eta: float | None = None, seed: int | None = None):
        """The (cached) training run for eta and seed (default: the controls' values)."""
        eta = self.value("eta") if eta is None else eta
        seed = self.value("seed") if seed is None else seed
        return dead_units_run(eta, seed=seed, **self.settings)

    def _show_seed(self, seed: int) -> None:
        """Draw the grey curves of every eta for this seed (the background)."""
        runs = [self.run(eta, seed) for eta in ETAS]
        if self.step_artists is None:
            self.step_artists = plot_dead_units_during_training(runs, ax=self.ax_steps)
        else:  # move the same artists: the renderer keeps a list of the animated ones
            set_dead_units_others(self.step_artists, runs)
        self._seed_shown = seed

    def background_key(self):
        return self.value("seed")  # the grey curves depend on the seed only

    def update(self) -> str:
        seed = self.value("seed")
        if seed != self._seed_shown:
            self._show_seed(seed)
        run = self.run()
        set_dead_units_during_training(self.step_artists, run)
        set_dead_units_per_layer(self.layer_artists, run.final_dead)
        return self._readout(run)

    def _readout(self, run) -> str:
        start, end = int(run.dead[0].sum()), int(run.final_dead.sum())
        layers = ", ".join(str(int(n)) for n in run.final_dead)
        text = f"<b>eta = {run.eta:g}</b>, seed {run.seed}: "
        if run.diverged_at is not None:
            return text + (
                f"the run <b>diverged</b>: by step {run.diverged_at} its numbers overflowed "
                f"float64 (eta is far too large). Dead units {start} → {end} of {run.n_units} "
                f"at the last count; per layer (1 to {len(run.final_dead)}): {layers}."
            )
        text += (
            f"dead units {start} → <b>{end}</b> of {run.n_units} "
            f"({100 * end / run.n_units:.0f} %) after {run.steps} steps; per layer "
            f"(1 to {len(run.final_dead)}): {layers}. Training loss {run.loss[0]:.3g} → "
            f"{run.final_loss:.3g}"
        )
        if run.final_dead[-1] == run.width:
            text += " (the last hidden layer is all dead: the output ignores the input)"
        if run.final_loss > 10 * run.loss[0]:
            text += ": the loss exploded (the steps overshoot) and stays there"
        elif run.loss.max() > 2 * run.loss[0]:
            text += f"; it spiked to {run.loss.max():.3g} on the way: the steps overshoot"
        return text + "."
