"""Notebooks 01-03: widgets, figures and the maths they rest on (checks: test_exercise_checks)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import ACTIVATIONS
from helpers.activations import get_activation, sigmoid
from helpers.calculus import significant_half_width
from helpers.definitions import SATURATION_FRACTION, saturated_from_output
from helpers.naive import float_outcomes, sigmoid_exp_ratio, sigmoid_reciprocal
from helpers.plotting.squashing import (
    plot_derivative_fraction,
    plot_sigmoid_forms,
    plot_significant_region,
    plot_tanh_identity,
)
from helpers.plotting.unit import plot_activation_outputs, plot_layer_stack, plot_weighted_sum
from helpers.widgets import ActivationUnitDemo, SigmoidTanhComparison

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- the small maths ------------------------------------------------------


def test_naive_forms_fail_in_opposite_directions_and_helpers_does_not():
    z = np.array([-1000.0, 0.0, 1000.0])
    assert list(float_outcomes(sigmoid_exp_ratio, z)) == ["number", "number", "nan"]
    assert list(float_outcomes(sigmoid_reciprocal, z)) == ["overflow", "number", "number"]
    assert list(float_outcomes(sigmoid, z)) == ["number"] * 3
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isnan(sigmoid_exp_ratio(1000.0))
        assert sigmoid_reciprocal(-1000.0) == 0.0
    with pytest.warns(RuntimeWarning, match="overflow"):
        sigmoid_reciprocal(-1000.0)


@given(st.floats(-700, 700))
def test_naive_forms_agree_with_the_stable_one_where_they_work(z):
    assert np.isclose(sigmoid_exp_ratio(z), sigmoid(z), rtol=1e-12, atol=1e-300)
    assert np.isclose(sigmoid_reciprocal(z), sigmoid(z), rtol=1e-12, atol=1e-300)


def test_significant_half_width_matches_closed_forms():
    for p in (0.01, 0.07, 0.25, 0.5):
        s = (1 + np.sqrt(1 - p)) / 2  # σ(1 - σ) = p/4
        assert significant_half_width("sigmoid", p) == pytest.approx(np.log(s / (1 - s)), abs=1e-9)
        assert significant_half_width("tanh", p) == pytest.approx(np.arccosh(1 / np.sqrt(p)))
    # The notes' "significant between -4 and 4" is 7 % of the peak; "-3 and 3" for tanh is 1 %.
    assert significant_half_width("sigmoid", 0.0707) == pytest.approx(4.0, abs=0.01)
    assert significant_half_width("tanh", 0.01) == pytest.approx(2.993, abs=1e-3)


def test_significant_half_width_defaults_to_the_course_saturation_threshold():
    """The default is helpers.definitions' 10 %: sigmoid |z| <= 3.64, tanh |z| <= 1.82."""
    assert SATURATION_FRACTION == 0.1
    h_sigmoid, h_tanh = significant_half_width("sigmoid"), significant_half_width("tanh")
    # Closed forms, independent of the bisection: σ(1 - σ) = 0.1 · 0.25 and 1 - tanh² = 0.1.
    s = (1 + np.sqrt(0.9)) / 2
    assert h_sigmoid == pytest.approx(np.log(s / (1 - s)), abs=1e-9)
    assert h_tanh == pytest.approx(np.arccosh(1 / np.sqrt(0.1)), abs=1e-9)
    assert round(h_sigmoid, 2) == 3.64 and round(h_tanh, 2) == 1.82
    # The same boundary as helpers.definitions' saturated_from_output, from either side.
    for name, h in (("sigmoid", h_sigmoid), ("tanh", h_tanh)):
        a = get_activation(name).f(np.array([h - 1e-6, h + 1e-6]))
        assert list(saturated_from_output(name, a)) == [False, True]


@pytest.mark.parametrize("bad", [0, 1, -0.5, 2, "1 %", None])
def test_significant_half_width_refuses_bad_fractions(bad):
    with pytest.raises(ValueError, match="fraction"):
        significant_half_width("sigmoid", bad)


def test_significant_half_width_refuses_relu():
    with pytest.raises(ValueError, match="peak"):
        significant_half_width("relu")


# --- figures ----------------------------------------------------------------


def test_figures_return_what_they_drew():
    fig, ax = plt.subplots()
    drawn = plot_weighted_sum([0.8, -0.4, 0.6, 0.5], [1.0, 0.5, 0.9, 0.6], ax=ax)
    assert drawn["z"].get_height() == pytest.approx(1.44)
    assert [bar.get_height() for bar in drawn["products"]] == pytest.approx([0.8, -0.2, 0.54, 0.3])
    out = plot_activation_outputs(1.44, list(ACTIVATIONS), ax=ax)
    assert out["bars"]["relu"].get_width() == pytest.approx(1.44)
    lines = plot_layer_stack(np.linspace(-1, 1, 5), {"a": np.zeros(5), "b": np.ones(5)}, ax=ax)
    assert set(lines) == {"a", "b"}
    runs = plot_sigmoid_forms({"ratio": sigmoid_exp_ratio, "stable": sigmoid}, ax=ax)
    assert runs["ratio"][-1][2] == "nan" and runs["stable"] == [(-1000.0, 1000.0, "number")]
    fractions = plot_derivative_fraction(ax=ax, fractions=(0.07, 0.01))
    assert set(fractions["curves"]) == {"sigmoid", "tanh"}
    identity = plot_tanh_identity(ax=ax)
    assert np.abs(identity["difference"].get_ydata()).max() <= 2
    region = plot_significant_region("tanh", 0.01, ax=ax)
    assert region["half_width"] == pytest.approx(2.993, abs=1e-3)
    plt.close(fig)


def test_weighted_sum_figure_refuses_mismatched_vectors():
    with pytest.raises(ValueError, match="same length"):
        plot_weighted_sum([1.0, 2.0], [1.0, 2.0, 3.0])


# --- widgets, driven as a notebook would ------------------------------------


def test_unit_demo_reads_out_z_and_every_activation():
    demo = ActivationUnitDemo()
    assert bytes(demo.image.value).startswith(PNG_SIGNATURE)
    assert "<b>1.4400</b>" in demo.readout.value  # 0.8 - 0.2 + 0.54 + 0.3
    for name in ACTIVATIONS:
        assert f"{name}(z) = " in demo.readout.value
    assert "sigmoid(z) = 0.8085" in demo.readout.value
    assert "relu(z) = 1.4400" in demo.readout.value


def test_unit_demo_every_slider_redraws_and_restores():
    demo = ActivationUnitDemo()
    first_image, first_readout = bytes(demo.image.value), demo.readout.value
    for name, control in demo.controls.items():
        old = control.value
        control.value = round(
            old + control.step if old + control.step <= control.max else old - control.step, 2
        )
        assert demo.readout.value != first_readout, name
        assert bytes(demo.image.value) != first_image, name
        control.value = old
        assert demo.readout.value == first_readout and bytes(demo.image.value) == first_image


def test_unit_demo_negative_z_and_refusals():
    demo = ActivationUnitDemo(w=(-1, -1, -1, -1), x=(1, 1, 1, 1))
    assert "<b>-4.0000</b>" in demo.readout.value and "relu(z) = 0.0000" in demo.readout.value
    with pytest.raises(ValueError, match="four"):
        ActivationUnitDemo(w=(1, 2))
    with pytest.raises(ValueError, match="from -1 to 1"):
        ActivationUnitDemo(x=(5, 0, 0, 0))


def test_comparison_reads_out_values_peaks_and_regions():
    demo = SigmoidTanhComparison(z=0.0)
    text = demo.readout.value
    assert "sigmoid'(z) = 0.2500 = 100.0 % of its peak 0.25" in text
    assert "tanh'(z) = 1.0000 = 100.0 % of its peak 1" in text
    # The default is the course's definition: significant = at least 10 % of the peak.
    assert demo.value("significant") == "10 % of its peak"
    assert "|z| ≤ 3.64" in text and "|z| ≤ 1.82" in text
    demo.controls["z"].value = 4.0
    assert "sigmoid'(z) = 0.0177 = 7.1 % of its peak" in demo.readout.value
    assert "outside its significant region |z| ≤ 3.64" in demo.readout.value
    demo.controls["z"].value = 3.0
    assert "tanh'(z) = 0.0099 = 1.0 % of its peak" in demo.readout.value
    assert "outside its significant region |z| ≤ 1.82" in demo.readout.value


def test_comparison_threshold_moves_the_regions_and_restores_the_picture():
    demo = SigmoidTanhComparison(z=1.0)
    first = bytes(demo.image.value)
    demo.controls["significant"].value = "7 % of its peak"
    assert "|z| ≤ 4.01" in demo.readout.value
    assert bytes(demo.image.value) != first
    demo.controls["significant"].value = "1 % of its peak"
    assert "|z| ≤ 5.99" in demo.readout.value and "|z| ≤ 2.99" in demo.readout.value
    demo.controls["z"].value = -2.0
    demo.controls["significant"].value = "10 % of its peak"
    demo.controls["z"].value = 1.0
    assert bytes(demo.image.value) == first


def test_comparison_refuses_an_unknown_threshold():
    with pytest.raises(ValueError, match="significant"):
        SigmoidTanhComparison(significant="2 %")


def test_new_demos_are_not_registered_with_pyplot():
    before = plt.get_fignums()
    ActivationUnitDemo()
    SigmoidTanhComparison()
    assert plt.get_fignums() == before
