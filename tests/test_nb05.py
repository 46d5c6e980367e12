"""Notebook 05 (ReLU): dead-unit counting, figures and the widget (checks: test_exercise_checks)."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.dead_relu import ETAS, SEEDS, dead_units, dead_units_run, zero_fraction
from helpers.mlp import gradient_profile, init_params, layer_sizes_for
from helpers.plotting.relu import plot_dead_units_vs_eta, plot_relu_family
from helpers.widgets.dead_relu import DeadReluExplorer

ROOT = Path(__file__).resolve().parents[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- dead and zero units ----------------------------------------------------------------------


def test_dead_units_counts_columns_that_are_zero_for_every_sample():
    # One hidden layer whose units are z = x W + b; with W = 0 a unit is dead iff b <= 0.
    X = np.random.default_rng(0).standard_normal((20, 3))
    W = np.zeros((3, 4))
    b = np.array([-1.0, 0.0, 0.5, 2.0])
    params = [(W, b), (np.ones((4, 1)), np.zeros(1))]
    np.testing.assert_array_equal(dead_units(params, X), [2])
    np.testing.assert_allclose(zero_fraction(params, X), [0.5])


def test_about_half_the_units_are_zero_at_he_initialisation():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((256, 128))
    params = init_params(layer_sizes_for(128, 10, 128), "he", rng=rng)
    fractions = zero_fraction(params, X)
    assert fractions.shape == (10,)
    assert np.all((0.4 < fractions) & (fractions < 0.6))
    # Zero for some inputs, dead for none in the first layers; deeper layers' outputs for
    # different inputs grow alike, and a few units there are off for all of them already.
    dead = dead_units(params, X)
    assert np.all(dead[:3] == 0) and 0 < dead.sum() < 0.1 * dead.size * 128


def test_dead_units_run_is_cached_read_only_and_consistent():
    run = dead_units_run(0.3, seed=1)
    assert dead_units_run(0.3, seed=1) is run  # the cache: revisiting a setting is free
    assert run.steps_checked[0] == 0 and run.steps_checked[-1] == run.steps == 100
    assert run.dead.shape == (len(run.steps_checked), run.depth)
    assert run.loss.shape == (run.steps,) and run.diverged_at is None
    assert run.n_units == 128 and run.final_loss < run.loss[0]
    with pytest.raises(ValueError):
        run.dead[0, 0] = 5


def test_large_learning_rates_kill_units():
    # The numbers notebook 05 shows (seed 1): from a few dead units to nearly all of them.
    small, large = dead_units_run(0.01, seed=1), dead_units_run(3.0, seed=1)
    assert small.final_dead.sum() <= 10
    assert large.final_dead.sum() >= 100
    assert large.final_loss == pytest.approx(np.log(2), abs=1e-3)  # the output ignores the input


def test_a_diverging_run_stops_and_says_so():
    run = dead_units_run(3.0, seed=0)
    assert run.diverged_at is not None and 0 < run.diverged_at < run.steps
    assert np.all(np.isfinite(run.loss))
    assert run.steps_checked[-1] <= run.diverged_at


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"eta": 0.0}, ValueError),
        ({"eta": -1.0}, ValueError),
        ({"eta": float("nan")}, ValueError),
        ({"eta": 0.1, "steps": 0}, ValueError),
        ({"eta": 0.1, "width": 2.5}, ValueError),
        ({"eta": 0.1, "seed": "0"}, TypeError),
    ],
)
def test_dead_units_run_refuses_bad_settings(kwargs, error):
    eta = kwargs.pop("eta")
    with pytest.raises(error):
        dead_units_run(eta, **kwargs)


def test_he_keeps_the_relu_signal_level_and_the_standard_init_does_not():
    profiles = {i: gradient_profile(30, "relu", init=i) for i in ("standard", "xavier", "he")}
    per_layer = {
        init: (p.forward_std[-1] / p.forward_std[0]) ** (1 / 29) for init, p in profiles.items()
    }
    assert per_layer["he"] == pytest.approx(1.0, abs=0.05)
    assert per_layer["xavier"] == pytest.approx(np.sqrt(1 / 2), abs=0.05)
    assert per_layer["standard"] == pytest.approx(np.sqrt(1 / 6), abs=0.05)


# --- figures --------------------------------------------------------------------------------------


def test_figures_return_their_artists_and_label_their_axes():
    fig, axes = plt.subplots(1, 2)
    drawn = plot_relu_family(["relu", "leaky_relu", "elu", "gelu", "silu"], axes=axes)
    assert set(drawn) == {"relu", "leaky_relu", "elu", "gelu", "silu"}
    df = drawn["relu"]["df"].get_ydata()
    assert np.isnan(df).sum() == 1  # the jump at z = 0 is a gap, not a vertical wall
    assert all(ax.get_xlabel() == "z" for ax in axes)
    plt.close(fig)

    fig, ax = plt.subplots()
    runs = [dead_units_run(eta, seed=0) for eta in ETAS]
    drawn = plot_dead_units_vs_eta(runs, ax=ax)
    diverged = [run.eta for run in runs if run.diverged_at is not None]
    assert list(drawn["diverged"].get_xdata()) == diverged
    assert len(drawn["curves"][0].get_xdata()) == len(ETAS) - len(diverged)
    assert ax.get_xscale() == "log" and "dead" in ax.get_ylabel()
    plt.close(fig)


# --- the widget, driven through its controls ------------------------------------------------------


def test_dead_relu_explorer_redraws_and_reads_out_on_every_control():
    demo = DeadReluExplorer(eta=0.01, seed=1)
    assert bytes(demo.image.value).startswith(PNG_SIGNATURE)
    assert "<b>eta = 0.01</b>, seed 1" in demo.readout.value
    assert "dead units 6 → <b>5</b> of 128" in demo.readout.value
    before = bytes(demo.image.value)
    demo.controls["eta"].value = 3.0
    assert demo.image.value != before
    assert "dead units 6 → <b>119</b> of 128" in demo.readout.value
    assert "the output ignores the input" in demo.readout.value
    demo.controls["seed"].value = 0
    assert "seed 0" in demo.readout.value and "diverged" in demo.readout.value
    for eta in ETAS:  # every setting draws without an error
        demo.controls["eta"].value = eta
        assert f"<b>eta = {eta:g}</b>" in demo.readout.value
        assert demo.error.value == ""


def test_dead_relu_explorer_shows_the_same_picture_for_the_same_state():
    demo = DeadReluExplorer(eta=1.5, seed=2)
    first = bytes(demo.image.value)
    demo.controls["seed"].value = 1
    demo.controls["eta"].value = 0.3
    demo.controls["seed"].value = 2
    demo.controls["eta"].value = 1.5
    assert bytes(demo.image.value) == first


def test_dead_relu_explorer_offers_every_eta_and_seed_and_stays_out_of_pyplot():
    open_before = plt.get_fignums()
    demo = DeadReluExplorer()
    assert plt.get_fignums() == open_before
    assert [value for _, value in demo.controls["eta"].options] == list(ETAS)
    assert list(demo.controls["seed"].options) == list(SEEDS)
    assert demo.caption.startswith("Left:")


@pytest.mark.parametrize("kwargs", [{"eta": 0.2}, {"seed": 7}])
def test_dead_relu_explorer_refuses_settings_it_has_no_run_for(kwargs):
    with pytest.raises(ValueError):
        DeadReluExplorer(**kwargs)


# --- the sweep figure, drawn in the notebook itself (not by a plotting helper) -------------------


@pytest.mark.parametrize("lecture", [False, True], ids=["reading", "lecture"])
def test_the_notebooks_sweep_figure_passes_the_figure_checks(lecture):
    """tests/test_figures.py checks helper figures; this one is drawn by the notebook's own code."""
    import sys

    import matplotlib as mpl
    import nbformat

    from helpers.plotting import use_style
    from helpers.plotting.style import series_styles

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from figure_checks import figure_problems

    cells = nbformat.read(ROOT / "notebooks" / "05_relu.ipynb", as_version=4).cells
    code = [c.source for c in cells if c.cell_type == "code"]
    namespace = {"np": np, "plt": plt, "SEED": 0, "series_styles": series_styles}
    saved = mpl.rcParams.copy()
    try:
        use_style(lecture=lecture)
        exec(next(source for source in code if "def rms_of_z(" in source), namespace)
        sweep = next(source for source in code if source.startswith("# The sweep"))
        exec(sweep.replace("plt.show()", "figure = plt.gcf()"), namespace)
        problems = figure_problems(namespace["figure"], lecture=lecture)
    finally:
        plt.close("all")
        use_style(lecture=False)
        mpl.rcParams.update(saved)
    assert not problems, "the sweep figure of notebook 05:\n" + "\n".join(problems)
