"""Every figure the notebooks and demos draw, rebuilt through the helpers.

Each entry draws one figure the way its notebook cell does (same helper call,
same data, ``plt.subplots()`` in the current style), or builds one demo the
way its notebook shows it and returns the demo's figure. The figure checks
(tests/test_figures.py) and the gallery (tools/gallery.py, ``python3 run.py
figures``) both go through this list, so a figure added to a notebook belongs
here too; tests/test_figures.py fails when a notebook calls a ``plot_*``
helper that no entry uses.

Notebook 06's live lab is here as the figure it draws at the states a student
sees (fresh, mid-run, diverged, finished): its ``TrainingSummary`` driven
step by step, on the lab's own figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


@dataclass(frozen=True)
class Entry:
    """One figure: ``name`` says where it is shown (``notebook``: their numbers, space
    separated), ``build()`` draws it and returns it."""

    name: str
    notebook: str
    build: Callable[[], Figure]
    calls: tuple[str, ...] = ()  # the plotting helpers it exercises


def _static(draw, figsize=None, ncols=1, **subplot_kw) -> Figure:
    figure, ax = plt.subplots(1, ncols, figsize=figsize, **subplot_kw)
    draw(ax)
    return figure


def _demo(cls, **kwargs) -> Figure:
    """The figure of a demo built with ``kwargs``, animated artists included.

    A demo draws its animated artists (points, curves that move) on top of a
    cached background; a plain ``figure.draw`` skips them. They are made
    ordinary artists here, so a check and a saved PNG see what the reader sees.
    """
    demo = cls(**kwargs)
    figure = demo.figure
    for artist in figure.findobj(lambda a: a.get_animated()):
        artist.set_animated(False)
    figure.demo = demo  # kept alive with its figure (a gallery names its readout)
    return figure


# --- notebook 01 ---------------------------------------------------------------


def _weighted_sum():
    from helpers.plotting.unit import plot_weighted_sum

    w = np.array([0.8, -0.4, 0.6, 0.5])
    x = np.array([1.0, 0.5, 0.9, 0.6])
    return _static(lambda ax: plot_weighted_sum(w, x, ax=ax))


def _three_activations():
    from helpers.plotting import plot_activations

    return _static(
        lambda ax: plot_activations(["sigmoid", "tanh", "relu"], ax=ax, derivative=False)
    )


def _layer_stack():
    from helpers.activations import get_activation
    from helpers.plotting.unit import plot_layer_stack

    rng = np.random.default_rng(seed=1)
    # notebook 01 draws W1..W3 and x_batch from its rng first (cells 23-24)
    rng.normal(size=(5, 4)), rng.normal(size=(3, 5)), rng.normal(size=(2, 3))
    rng.normal(size=(4, 1000))
    x_line = np.linspace(-3, 3, 201)[np.newaxis, :]
    v1 = rng.normal(size=(8, 1))
    v2 = rng.normal(size=(8, 8)) / np.sqrt(8)
    v3 = rng.normal(size=(1, 8)) / np.sqrt(8)
    outputs = {}
    for name in ("linear (no activation)", "tanh", "relu"):
        f = (lambda z: z) if name.startswith("linear") else get_activation(name).f
        outputs[name] = (v3 @ f(v2 @ f(v1 @ x_line)))[0]
    return _static(lambda ax: plot_layer_stack(x_line[0], outputs, ax=ax))


def _unit_demo():
    from helpers.widgets import ActivationUnitDemo

    return _demo(ActivationUnitDemo)


# --- notebooks 02 and 03 ---------------------------------------------------------


def _sigmoid_forms():
    from helpers.activations import sigmoid
    from helpers.naive import sigmoid_exp_ratio, sigmoid_reciprocal
    from helpers.plotting.squashing import plot_sigmoid_forms

    forms = {
        "$e^z / (1 + e^z)$": sigmoid_exp_ratio,
        "$1 / (1 + e^{-z})$": sigmoid_reciprocal,
        "helpers' sigmoid": sigmoid,
    }
    return _static(lambda ax: plot_sigmoid_forms(forms, ax=ax), figsize=(8, 2.6))


def _one_activation(name):
    from helpers.plotting import plot_activation

    return lambda: _static(lambda ax: plot_activation(name, ax=ax))


def _derivative_fraction(names):
    from helpers.plotting.squashing import plot_derivative_fraction

    return lambda: _static(lambda ax: plot_derivative_fraction(names, ax=ax, fractions=(0.1, 0.01)))


def _sigmoid_and_tanh():
    from helpers.plotting import plot_activations

    return _static(lambda ax: plot_activations(["sigmoid", "tanh"], ax=ax, derivative=False))


def _tanh_identity():
    from helpers.plotting.squashing import plot_tanh_identity

    return _static(lambda ax: plot_tanh_identity(ax=ax))


def _explorer(activation, z):
    from helpers.widgets import ActivationExplorer

    return lambda: _demo(ActivationExplorer, activation=activation, z=z)


def _comparison():
    from helpers.widgets import SigmoidTanhComparison

    return _demo(SigmoidTanhComparison, z=1.0)


# --- notebook 04 -------------------------------------------------------------------


def _chain_products():
    from helpers.chain import spacing
    from helpers.plotting.gradients import plot_chain_products

    depths = np.arange(1, 31)
    products = {
        "0.25 per factor (sigmoid's best case)": 0.25 ** (depths + 1),
        "0.1 per factor (the notes' example)": 0.1 ** (depths + 1),
        "1 per factor (ReLU, active path, w = 1)": 1.0 ** (depths + 1),
    }
    thresholds = {
        "below this, float32 cannot change w = 2.5": spacing(2.5, "float32") / 2,
        "below this, float64 cannot change w = 2.5": spacing(2.5, "float64") / 2,
    }
    return _static(lambda ax: plot_chain_products(depths, products, ax=ax, thresholds=thresholds))


def _network_numbers():
    from helpers.activations import get_activation
    from helpers.chain import example_network, forward

    weights, x, y = example_network()
    result = forward(weights, x, y, "sigmoid")
    sigmoid = get_activation("sigmoid")
    slopes = {unit: float(sigmoid.df(result.z[unit])) for unit in ("o11", "o21", "o22", "o31")}
    return weights, x, slopes, result.o["o31"] - y


def _network():
    from helpers.plotting.network import plot_network

    weights, x, _, _ = _network_numbers()
    plot_network(weights, x=x)  # notebook 04 lets it make its own figure
    return plt.gcf()


def _network_path():
    from helpers.plotting.network import plot_network

    weights, x, slopes, dL_do31 = _network_numbers()
    figure, ax = plt.subplots(figsize=(9.0, 3.6))
    plot_network(weights, x=x, slopes=slopes, dL_do31=dL_do31, highlight=1, ax=ax)
    return figure


def _network_path_2():
    from helpers.plotting.network import plot_network

    weights, x, slopes, dL_do31 = _network_numbers()
    figure, ax = plt.subplots(figsize=(9.0, 3.6))
    plot_network(weights, x=x, slopes=slopes, dL_do31=dL_do31, highlight=2, ax=ax)
    return figure


def _chain_calculator():
    from helpers.widgets import ChainRuleCalculator

    return _demo(ChainRuleCalculator)


def _profiles_04():
    from helpers.mlp import gradient_profile
    from helpers.plotting.gradients import plot_gradient_profiles

    profiles = [
        gradient_profile(30, name, init=init, n_samples=32)
        for name, init in (("sigmoid", "standard"), ("tanh", "standard"), ("relu", "he"))
    ]
    return _static(lambda ax: plot_gradient_profiles(profiles, ax=ax))


def _depth_explorer(**kwargs):
    from helpers.widgets import DepthExplorer

    return lambda: _demo(DepthExplorer, **kwargs)


# --- notebook 05 -----------------------------------------------------------------------


def _rms_sweep():
    """Drawn by code in notebook 05 (cells "The RMS of z..." and "The sweep"), copied here."""
    from helpers.plotting.style import series_styles

    def rms_of_z(c, n=256, depth=30, seed=0):
        rng = np.random.default_rng(seed)
        a = rng.standard_normal((256, n))
        rms = []
        for _ in range(depth):
            w = rng.normal(0.0, np.sqrt(c / n), size=(n, n))
            z = a @ w
            rms.append(np.sqrt(np.mean(z**2)))
            a = np.maximum(0.0, z)
        return np.array(rms)

    figure, ax = plt.subplots()
    cs = (0.5, 1.0, 4.0)
    for c, style in zip(cs, series_styles(len(cs)), strict=True):
        ax.plot(np.arange(1, 31), rms_of_z(c), label=f"c = {c:g}", markevery=3, **style)
    ax.set_yscale("log")
    ax.set_xlabel("hidden layer (1 = next to the input)")
    ax.set_ylabel("RMS of z (log scale)")
    ax.legend(loc="upper left")
    return figure


def _dead_units_vs_eta():
    from helpers.dead_relu import ETAS, SEEDS, dead_units_run
    from helpers.plotting.relu import plot_dead_units_vs_eta

    runs = [dead_units_run(eta, seed=seed) for seed in SEEDS for eta in ETAS]
    return _static(lambda ax: plot_dead_units_vs_eta(runs, ax=ax))


def _dead_relu_explorer():
    from helpers.widgets.dead_relu import DeadReluExplorer

    return _demo(DeadReluExplorer, eta=1.5, seed=1)


def _relu_family():
    from helpers.plotting.relu import plot_relu_family

    return _static(
        lambda axes: plot_relu_family(["relu", "leaky_relu", "elu", "gelu", "silu"], axes=axes),
        figsize=(11, 4),
        ncols=2,
        sharex=True,
    )


# --- notebook 06 -------------------------------------------------------------------------


def _moons():
    from helpers.datasets import two_moons

    return two_moons(256, noise=0.1, rng=0)


def _training_summary():
    from helpers.mlp import fit
    from helpers.plotting.training import plot_training_summary

    X, y = _moons()
    run = fit(X, y, depth=6, width=16, activation="tanh", init="xavier", eta=0.3, steps=300, seed=0)
    plot_training_summary(run, X, y)
    return plt.gcf()


def _side_by_side():
    from helpers.mlp import fit
    from helpers.plotting.training import plot_side_by_side

    X, y = _moons()
    settings = dict(depth=10, width=32, init="xavier", eta=0.2, steps=300, seed=0)
    runs = [fit(X, y, activation=activation, **settings) for activation in ("sigmoid", "relu")]
    plot_side_by_side(runs, X, y)
    return plt.gcf()


def _layer_profiles():
    from helpers.mlp import gradient_profile
    from helpers.plotting.training import plot_layer_profiles

    profiles = {
        init: gradient_profile(5, "tanh", width=64, init=init, n_samples=64, seed=0)
        for init in ("standard", "xavier")
    }
    return _static(
        lambda ax: plot_layer_profiles(
            {f"{init} init": p.backprop_norm for init, p in profiles.items()},
            ax=ax,
            ylabel="gradient reaching the layer, |dL/da|",
        )
    )


def _lab(steps_done=None, **settings):
    """The lab's figure for ``settings``: finished (``steps_done=None``) or after that many steps.

    The lab itself trains to the end when there is no event loop; a state part
    way is drawn the way its frames are, ``summary.begin`` then ``summary.show``.
    """
    from helpers.mlp import trainer_for
    from helpers.widgets import TrainingLab

    def build():
        lab = TrainingLab(**settings)
        if steps_done is not None:
            options = dict(zip(lab.controls, lab.settings(), strict=True))
            X, y = lab.data(options.pop("dataset"))
            trainer = trainer_for(X, y, **options, seed=lab.seed)
            shape = {k: options[k] for k in ("depth", "steps", "activation")}
            extra = {k: options[k] for k in ("skip", "norm") if k in options}
            lab.summary.begin(X, y, **shape, **extra, params=trainer.params())
            trainer.advance(steps_done)
            with np.errstate(all="ignore"):
                lab.summary.show(trainer.result())
        for artist in lab.figure.findobj(lambda a: a.get_animated()):
            artist.set_animated(False)
        lab.figure.demo = lab  # kept alive with its figure; its controls' extremes are checked
        return lab.figure

    return build


ENTRIES = [
    Entry("01 weighted sum", "01", _weighted_sum, ("plot_weighted_sum",)),
    Entry("01 three activations", "01", _three_activations, ("plot_activations",)),
    Entry("01 ActivationUnitDemo", "01", _unit_demo, ("ActivationUnitDemo",)),
    Entry("01 layer stack", "01", _layer_stack, ("plot_layer_stack",)),
    Entry(
        "00/02 ActivationExplorer sigmoid",
        "00 02",
        _explorer("sigmoid", 1.0),
        ("ActivationExplorer",),
    ),
    Entry("02 sigmoid forms", "02", _sigmoid_forms, ("plot_sigmoid_forms",)),
    Entry("02 sigmoid and derivative", "02", _one_activation("sigmoid"), ("plot_activation",)),
    Entry(
        "02 derivative fraction",
        "02",
        _derivative_fraction(["sigmoid"]),
        ("plot_derivative_fraction",),
    ),
    Entry("03 sigmoid and tanh", "03", _sigmoid_and_tanh, ("plot_activations",)),
    Entry("03 tanh and derivative", "03", _one_activation("tanh"), ("plot_activation",)),
    Entry(
        "03 derivative fractions",
        "03",
        _derivative_fraction(["sigmoid", "tanh"]),
        ("plot_derivative_fraction",),
    ),
    Entry("03 tanh identity", "03", _tanh_identity, ("plot_tanh_identity",)),
    Entry("03 SigmoidTanhComparison", "03", _comparison, ("SigmoidTanhComparison",)),
    Entry("04 the notes' network", "04", _network, ("plot_network",)),
    Entry(
        "04 the notes' network, path 1",
        "04",
        _network_path,
        ("plot_network",),
    ),
    Entry(
        "04 the notes' network, path 2",
        "04",
        _network_path_2,
        ("plot_network",),
    ),
    Entry("04 chain products", "04", _chain_products, ("plot_chain_products",)),
    Entry("04 ChainRuleCalculator", "04", _chain_calculator, ("ChainRuleCalculator",)),
    Entry("04 gradient profiles", "04", _profiles_04, ("plot_gradient_profiles",)),
    Entry(
        "04 DepthExplorer sigmoid depth 20",
        "04",
        _depth_explorer(activation="sigmoid", depth=20),
        ("DepthExplorer",),
    ),
    Entry(
        "04 DepthExplorer relu depth 50 weights x8",
        "04",
        _depth_explorer(activation="relu", depth=50, weight_scale=8.0),
        ("DepthExplorer",),
    ),
    Entry("05 relu and derivative", "05", _one_activation("relu"), ("plot_activation",)),
    Entry("05 RMS of z through ReLU layers (notebook code)", "05", _rms_sweep),
    Entry("05 dead units vs eta", "05", _dead_units_vs_eta, ("plot_dead_units_vs_eta",)),
    Entry("05 DeadReluExplorer", "05", _dead_relu_explorer, ("DeadReluExplorer",)),
    Entry("05 relu family", "05", _relu_family, ("plot_relu_family",)),
    Entry("05 ActivationExplorer gelu", "05", _explorer("gelu", -1.0), ("ActivationExplorer",)),
    Entry("06 training summary", "06", _training_summary, ("plot_training_summary",)),
    Entry("06 side by side", "06", _side_by_side, ("plot_side_by_side",)),
    Entry("06 layer profiles", "06", _layer_profiles, ("plot_layer_profiles",)),
    Entry("06 TrainingLab fresh (step 0)", "06", _lab(0), ("TrainingSummary",)),
    Entry(
        "06 TrainingLab mid-run (relu, step 100 of 200)",
        "06",
        _lab(100, activation="relu", init="he"),
        ("TrainingSummary",),
    ),
    Entry("06 TrainingLab finished", "06", _lab(), ("TrainingLab", "TrainingSummary")),
    Entry(
        "06 TrainingLab diverged (depth 20, eta 3)",
        "06",
        _lab(activation="relu", init="he", depth=20, eta=3.0),
        ("TrainingSummary",),
    ),
]
