"""Notebook 06's training figures (helpers.plotting.training): what issue 18 asked of them."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402

from helpers.datasets import two_moons  # noqa: E402
from helpers.mlp import fit, forward, predict_proba  # noqa: E402
from helpers.plotting.training import (  # noqa: E402
    _boundary_grid,
    _boundary_segments,
    layer_ticks,
    plot_activation_histograms,
    plot_decision_boundary,
    plot_gradient_heatmap,
    plot_layer_profiles,
    plot_side_by_side,
    plot_training_summary,
    relative_gradient,
)


@pytest.fixture(scope="module")
def data():
    return two_moons(80, noise=0.1, rng=0)


@pytest.fixture(scope="module")
def runs(data):
    X, y = data
    settings = dict(depth=10, width=16, init="xavier", eta=0.2, steps=30, seed=0)
    return [fit(X, y, activation=a, **settings) for a in ("sigmoid", "relu")]


def test_summary_has_class_legend_and_probability_colour_bar(data, runs):
    X, y = data
    axes = plot_training_summary(runs[1], X, y)
    legend = axes["boundary"].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["class 0", "class 1"]
    assert axes["probability"].get_title(loc="left") == "P(class 1)"
    plt.close("all")


def test_layer_ticks_read_every_layer_up_to_12_and_integers_beyond():
    assert list(layer_ticks(10)) == list(range(1, 11))  # was 1, 3, 5, 6, 8, 10
    assert list(layer_ticks(20)) == [1, 5, 10, 15, 20]
    assert all(float(t).is_integer() for t in layer_ticks(37))
    # fewer rows of room (a slide): still 1 and the last layer, at natural steps
    assert list(layer_ticks(6, most=5)) == [1, 2, 4, 6]
    assert list(layer_ticks(10, most=5)) == [1, 5, 10]
    assert list(layer_ticks(21, most=6)) == [1, 5, 10, 15, 21]


def test_heatmap_ticks_every_layer(runs):
    _, ax = plt.subplots()
    plot_gradient_heatmap(runs[1], ax=ax)
    assert list(ax.get_yticks()) == list(range(1, 11))
    plt.close("all")


def test_a_50_fold_drop_is_far_from_level_on_the_colour_scale(runs):
    """The old absolute scale spread 11 decades: a 50x drop moved 15 % of the way."""
    _, ax = plt.subplots()
    drawn = plot_gradient_heatmap(runs[0], ax=ax)  # sigmoid reaches the 3-decade cap
    norm = drawn["image"].norm
    assert norm(1.0) == pytest.approx(0.5)  # level is the middle (white)
    assert norm(1 / 50) < 0.25  # a 50-fold drop is well into the blue half
    ratio = relative_gradient(runs[0])
    np.testing.assert_allclose(ratio[:, -1], 1.0)
    plt.close("all")


def test_side_by_side_shares_one_scale_with_colour_bars(data, runs):
    X, y = data
    plot_side_by_side(runs, X, y)
    figure = plt.gcf()
    labels = [ax.get_ylabel() for ax in figure.axes]
    assert "P(class 1)" in labels
    assert any("last layer" in label for label in labels)
    assert len([ax for ax in figure.axes if hasattr(ax, "_colorbar")]) == 2  # one bar per scale
    plt.close("all")


def test_profile_plots_have_no_minor_tick_labels():
    _, ax = plt.subplots()
    plot_layer_profiles({"a": [0.03, 0.05, 0.1, 0.2, 0.3], "b": [0.35, 0.4, 0.5, 0.6, 0.7]}, ax=ax)
    ax.figure.canvas.draw()
    minor = [t.get_text() for t in ax.yaxis.get_minorticklabels() if t.get_visible()]
    assert not any(minor), minor
    major = [t.get_text() for t in ax.yaxis.get_majorticklabels() if t.get_text()]
    assert len(major) >= 2  # still readable: 1, 2, 5 times each power of ten
    plt.close("all")


def test_redrawing_a_summary_keeps_the_colour_bars_in_place(data, runs):
    """Issue 16: cax.clear() kept the old locator and the colour bar shrank at each redraw."""
    X, y = data
    axes = plot_training_summary(runs[0], X, y)
    figure = axes["loss"].figure
    figure.canvas.draw()
    before = [axes[name].get_position().bounds for name in ("colorbar", "probability")]
    for run in (runs[1], runs[0], runs[1], runs[0]):
        plot_training_summary(run, X, y, axes=axes)
        figure.canvas.draw()
    after = [axes[name].get_position().bounds for name in ("colorbar", "probability")]
    np.testing.assert_allclose(after, before)
    plt.close("all")


# Every training figure passing the figure checks, in both styles, is tested in
# tests/test_figures.py (the catalogue has the notebook's figures and the lab's states).


# Issue 14's options: every figure that re-runs a trained network runs *that* network.

OPTIONS = {"skip": {"skip": True}, "batch": {"norm": "batch"}, "layer": {"norm": "layer"}}


@pytest.fixture(scope="module")
def option_runs(data):
    X, y = data
    settings = dict(depth=4, width=8, activation="tanh", init="xavier", eta=0.3, steps=40, seed=0)
    return {name: fit(X, y, **settings, **options) for name, options in OPTIONS.items()}


def _expected_probability(run, X, resolution=100):
    """predict_proba of the run (its skip and norm, evaluation mode) on the figures' grid."""
    _, gx, gy, grid = _boundary_grid(np.asarray(X, dtype=float), resolution)
    p = predict_proba(run.params, grid, run.activation, skip=run.skip, norm=run.norm)
    return gx, gy, p.reshape(gx.shape)


def _assert_boundary_is_the_runs(ax, run, X, atol=0.0):
    """The drawn P(class 1) is the run's predict_proba; drawn in float64, so is its 0.5 line."""
    gx, gy, expected = _expected_probability(run, X)
    drawn = np.asarray(ax.images[0].get_array(), dtype=float)
    np.testing.assert_allclose(drawn, expected, rtol=1e-12, atol=atol)
    if atol == 0:
        (boundary,) = [c for c in ax.collections if isinstance(c, LineCollection)]
        contour = _boundary_segments(gx, gy, expected)
        assert contour and len(boundary.get_segments()) == len(contour)
        for got, want in zip(boundary.get_segments(), contour, strict=True):
            np.testing.assert_allclose(got, want)


@pytest.mark.parametrize("name", OPTIONS)
def test_decision_boundary_draws_the_runs_network_with_its_options(data, option_runs, name):
    X, y = data
    run = option_runs[name]
    assert (run.skip, run.norm) == (name == "skip", OPTIONS[name].get("norm", "none"))
    _, ax = plt.subplots()
    plot_decision_boundary(run, X, y, ax=ax)
    _assert_boundary_is_the_runs(ax, run, X)
    if name == "batch":  # evaluation mode: the running statistics, not the grid's own
        grid = _boundary_grid(X, 100)[3]
        own = predict_proba(run.params, grid, run.activation, norm="batch", training=True)
        assert not np.allclose(ax.images[0].get_array().ravel(), own, atol=1e-3)
    plt.close("all")


@pytest.mark.parametrize("name", OPTIONS)
def test_side_by_side_and_summary_draw_the_runs_network(data, option_runs, name):
    X, y = data
    run = option_runs[name]
    drawn = plot_side_by_side([run, option_runs["skip"]], X, y)
    _assert_boundary_is_the_runs(drawn[0]["boundary"], run, X)
    axes = plot_training_summary(run, X, y)  # one float32 pass, as the lab's frames
    _assert_boundary_is_the_runs(axes["boundary"], run, X, atol=1e-4)
    plt.close("all")


@pytest.mark.parametrize("name", OPTIONS)
def test_activation_histograms_are_the_runs_hidden_layers(data, option_runs, name):
    """The data's f outputs per hidden layer, through the run's skips and norm (batch
    norm: the data's own statistics, as training sees them and as the lab's summary shows)."""
    X, _ = data
    run = option_runs[name]
    _, ax = plt.subplots(figsize=(6, 8))
    fills = plot_activation_histograms(run, X, ax=ax)
    hidden = forward(run.params, X, run.activation, skip=run.skip, norm=run.norm).f_outputs
    assert len(fills) == run.depth  # every layer has a row
    for row, fill in enumerate(fills):
        heights, edges, _ = fill.get_data()
        counts, _ = np.histogram(np.clip(hidden[row], edges[0], edges[-1]), bins=edges)
        np.testing.assert_allclose(heights - row, 0.85 * counts / counts.max())  # own peak
    plt.close("all")
