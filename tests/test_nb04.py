"""Notebook 04: the exercise cells, the two widgets driven through their controls, the plots."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import ACTIVATIONS
from helpers.mlp import gradient_profile
from helpers.plotting.gradients import decade_limits, plot_chain_products, plot_gradient_profiles
from helpers.widgets import ChainRuleCalculator, DepthExplorer
from helpers.widgets.depth import usual_init

ROOT = Path(__file__).resolve().parents[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_the_notebooks_exercise_cells_call_the_checks_with_a_placeholder():
    import nbformat

    path = ROOT / "notebooks" / "04_vanishing_gradients.ipynb"
    code = "\n".join(c.source for c in nbformat.read(path, 4).cells if c.cell_type == "code")
    for name, check in (
        ("relu_gradient", "check_relu_gradient"),
        ("smallest_gradient", "check_smallest_visible_gradient"),
        ("predicted_ratio", "check_predicted_ratio"),
    ):
        assert f"{name} = ...  # YOUR ANSWER" in code and f"{check}({name})" in code


# --- the chain-rule calculator -------------------------------------------------


def test_calculator_shows_the_notes_example_and_flags_the_float32_loss():
    calc = ChainRuleCalculator()
    assert bytes(calc.image.value).startswith(PNG_SIGNATURE)
    text = calc.readout.value
    assert "0.2 × 0.1 × 0.05 = <b>0.0010000000000000002</b>" in text
    assert "float64: 2.5 − 1.000e-03 = <b>2.499</b>" in text
    assert "float32: <b>2.499</b>" in text
    assert "float32 registers this step" in text and "⚠" not in text
    before = bytes(calc.image.value)
    calc.controls["n_factors"].value = 10  # seven more factors of 0.1: 1e-10, the notes' case
    assert calc.image.value != before
    text = calc.readout.value
    assert "<b>1.0000000000000006e-10</b>" in text
    assert "<b>2.4999999999</b>" in text
    assert "float32: <b>2.5</b>" in text
    assert "float32 loses this update" in text and "1.192e-07" in text
    assert "even float64" not in text
    # only the factors in use are shown
    shown = [k for k in range(1, 13) if calc.controls[f"factor_{k}"].layout.display != "none"]
    assert shown == list(range(1, 11))


def test_calculator_controls_change_the_update():
    calc = ChainRuleCalculator(n_factors=10)
    assert "loses this update" in calc.readout.value
    calc.controls["eta"].value = 10.0  # 10 x 1e-10 = 1e-9: still lost at w = 2.5
    assert "loses this update" in calc.readout.value
    calc.controls["w_old"].value = 0.0  # float32 numbers are dense near 0
    assert "float32 registers this step" in calc.readout.value
    calc.controls["w_old"].value = 2.5
    calc.controls["factor_1"].value = 0.0
    assert "exactly 0" in calc.readout.value
    calc.controls["factor_1"].value = 2.0
    calc.controls["n_factors"].value = 3
    assert "2 × 0.1 × 0.05 = <b>0.010000000000000002</b>" in calc.readout.value
    calc.controls["n_factors"].value = 12
    for k in range(1, 13):
        calc.controls[f"factor_{k}"].value = 0.01
    assert "even float64 loses it" in calc.readout.value
    assert calc.error.value == ""


def test_calculator_ignores_the_browsers_float_noise():
    calc = ChainRuleCalculator()
    calc.controls["factor_3"].value = 0.049999999999999996  # 0.05 after steps in the browser
    calc.controls["w_old"].value = 2.5000000000000004
    assert "0.2 × 0.1 × 0.05 = <b>0.0010000000000000002</b>" in calc.readout.value
    assert "<b>2.499</b>" in calc.readout.value


def test_calculator_refuses_bad_arguments():
    with pytest.raises(ValueError, match="n_factors"):
        ChainRuleCalculator(n_factors=13)
    with pytest.raises(ValueError, match="1 to 12 factors"):
        ChainRuleCalculator(factors=[])
    with pytest.raises(ValueError, match="eta"):
        ChainRuleCalculator(eta=0)


# --- the depth x activation explorer --------------------------------------------


def test_explorer_offers_every_registered_activation_and_the_inits():
    explorer = DepthExplorer()
    assert list(explorer.controls["activation"].options) == list(ACTIVATIONS)
    assert [value for _, value in explorer.controls["init"].options] == [
        "usual",
        "standard",
        "xavier",
        "he",
    ]
    assert explorer.controls["depth"].max >= 50


def _ratio(explorer):
    """First-to-last ratio of the one profile shown, from the widget's own data."""
    (profile,) = explorer.current_profiles()
    return profile.backprop_norm[0] / profile.backprop_norm[-1]


def test_explorer_shows_sigmoid_and_tanh_vanish_and_relu_not():
    explorer = DepthExplorer(activation="sigmoid", depth=10)
    assert (
        "<b>sigmoid</b>, 10 hidden layers, standard init (usual for it)" in explorer.readout.value
    )
    assert "0.25<sup>9</sup> = 3.81e-06" in explorer.readout.value
    explorer.controls["depth"].value = 50
    ratios = {}
    for name in ("tanh", "relu", "sigmoid"):
        before = bytes(explorer.image.value)
        explorer.controls["activation"].value = name
        assert explorer.image.value != before
        text = explorer.readout.value
        assert f"<b>{name}</b>, 50 hidden layers" in text
        ratios[name] = _ratio(explorer)
        assert f"first/last = {ratios[name]:.3g}" in text
        assert ("best case" in text) == (name == "sigmoid")
        assert f"{usual_init(name)} init (usual for it)" in text
    assert ratios["sigmoid"] < 1e-30
    assert ratios["tanh"] < 1e-8
    assert 0.05 < ratios["relu"] < 20


def test_explorer_weight_scale_explodes_and_init_matters():
    explorer = DepthExplorer(activation="relu", depth=30)
    explorer.controls["weight_scale"].value = 4.0
    assert _ratio(explorer) > 1e10
    assert "weights × 4.00" in explorer.readout.value
    explorer.controls["weight_scale"].value = 1.0
    assert explorer.weights_note.get_text() == "initial weights: the usual init (relu: he)"
    explorer.controls["init"].value = "standard"  # ReLU without He's scale vanishes too
    assert _ratio(explorer) < 1e-8
    assert "standard init," in explorer.readout.value
    assert explorer.weights_note.get_text() == "initial weights: standard init for every activation"


def test_explorer_figure_follows_the_init_even_when_it_is_the_usual_one():
    explorer = DepthExplorer(activation="sigmoid")  # usual for sigmoid = standard
    before = bytes(explorer.image.value)
    explorer.controls["init"].value = "standard"
    assert explorer.image.value != before  # the note above the axes says which
    explorer.controls["init"].value = "usual"
    assert bytes(explorer.image.value) == before


def test_explorer_readout_matches_gradient_profile():
    explorer = DepthExplorer(activation="tanh", depth=7, init="xavier")
    profile = gradient_profile(7, "tanh", width=32, init="xavier", n_samples=32, seed=0)
    every = ", ".join(f"{v:.3g}" for v in profile.backprop_norm)
    assert every in explorer.readout.value


def test_explorer_side_by_side_for_notebook_05():
    explorer = DepthExplorer(activations=("sigmoid", "tanh", "relu"), init="he", depth=20)
    assert "activation" not in explorer.controls
    assert [p.activation for p in explorer.current_profiles()] == ["sigmoid", "tanh", "relu"]
    assert all(p.init == "he" for p in explorer.current_profiles())
    text = explorer.readout.value
    assert text.count("20 hidden layers") == 3 and "(usual for it)" not in text
    before = bytes(explorer.image.value)
    explorer.controls["depth"].value = 40
    assert explorer.image.value != before and text.count("<b>") == 3


def test_explorer_shows_the_same_picture_for_the_same_state():
    explorer = DepthExplorer(activation="tanh", depth=12)
    first = bytes(explorer.image.value)
    explorer.controls["activation"].value = "sigmoid"
    explorer.controls["depth"].value = 45
    explorer.controls["activation"].value = "tanh"
    explorer.controls["depth"].value = 12
    assert bytes(explorer.image.value) == first


def test_explorer_refuses_bad_arguments():
    with pytest.raises(ValueError, match="unknown activation"):
        DepthExplorer(activation="softsign")
    with pytest.raises(ValueError, match="unknown init"):
        DepthExplorer(init="lecun")
    with pytest.raises(ValueError, match="depth"):
        DepthExplorer(depth=0)
    with pytest.raises(ValueError, match="empty"):
        DepthExplorer(activations=())


def test_usual_init():
    assert usual_init("sigmoid") == usual_init("tanh") == "standard"
    assert usual_init("relu") == "he"


def test_widget_figures_are_not_registered_with_pyplot():
    open_before = plt.get_fignums()
    ChainRuleCalculator()
    DepthExplorer()
    assert plt.get_fignums() == open_before


# --- plotting ---------------------------------------------------------------------


def test_decade_limits():
    assert decade_limits([0.3, 1e-43]) == (1e-50, 1e5)  # 5 % of the span as headroom
    assert decade_limits([0.3, 1e-43], block=10) == (1e-50, 1e10)
    assert decade_limits([0.0, np.nan]) == (1e-5, 1e5)
    low, high = decade_limits([1.0])
    assert low < 1.0 < high


def test_static_plots_return_their_artists():
    fig, ax = plt.subplots()
    depths = np.arange(1, 11)
    drawn = plot_chain_products(
        depths, {"0.25": 0.25 ** (depths + 1)}, ax=ax, thresholds={"t": 1e-7}
    )
    assert set(drawn) == {"curves", "thresholds"} and ax.get_yscale() == "log"
    profiles = [gradient_profile(5, name, n_samples=8) for name in ("sigmoid", "relu")]
    fig2, ax2 = plt.subplots()
    artists = plot_gradient_profiles(profiles, ax=ax2)
    assert len(artists["curves"]) == 2 and len(artists["curves"][0].get_xdata()) == 5
    plt.close(fig)
    plt.close(fig2)
