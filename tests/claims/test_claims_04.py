"""Claims made in the prose of notebook 04 (vanishing gradients), recomputed.

Each test names the section whose text it checks, recomputes the number (from the
helpers or independently, with NumPy and the standard library) and asserts that the
notebook states it at its stated precision: changing either side alone fails.
"""

import math
import re
from pathlib import Path

import numpy as np
import pytest

from helpers.chain import backward, example_network, two_path_gradient
from helpers.definitions import SATURATION_FRACTION, VANISHING_RATIO, gradient_regime
from helpers.mlp import gradient_profile

from .conftest import code_of, speaker_notes_of

NB = "04_vanishing_gradients"
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _dsigmoid(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


def _ratio(depth, activation, init, scale=1.0, seed=0):
    """First/last gradient of the notebook's (and the depth explorer's) 32-unit network."""
    profile = gradient_profile(
        depth, activation, init=init, weight_scale=scale, n_samples=32, seed=seed
    )
    return profile.backprop_norm[0] / profile.backprop_norm[-1]


def _g3(value) -> str:
    """A number as the notebook writes it in LaTeX: 3 significant digits, minus as -."""
    return f"{value:.3g}"


# --- title and plan ----------------------------------------------------------------------


def test_title_depth_and_lecture_time(markdown_of, states):
    """Title cell: 'a real network of up to 50 layers'; 'one 50-minute lecture' adds up."""
    from helpers.widgets import DepthExplorer

    text = markdown_of(NB)
    assert DepthExplorer().controls["depth"].max == 50
    assert states(text, "a real network of up to 50 layers")
    minutes = [int(m) for m in re.findall(r"^## .*\((\d+) min\)$", text, flags=re.M)]
    assert 45 <= sum(minutes) <= 50 and states(text, "one 50-minute lecture")


# --- 1. The network in the notes -----------------------------------------------------------


def test_section_1_caption_states_the_weights_and_inputs(markdown_of, states):
    text = markdown_of(NB, section="1. The network in the notes")
    weights, x, _ = example_network()
    for name, value in weights.items():
        tex = name.replace("11", "_{11}").replace("21", "_{21}").replace("12", "_{12}")
        assert states(text, f"${tex} = {value:g}$"), name
    assert states(text, f"$x_1 = {x[0]:g}$") and states(text, f"$x_2 = {x[1]:g}$")
    assert "w = {" + ", ".join(f'"{k}": {v}' for k, v in weights.items()) + "}" in code_of(NB)


# --- 2. The chain rule ---------------------------------------------------------------------


def test_section_2_figure_caption_states_every_factor(markdown_of, states):
    text = markdown_of(NB, section="2. The chain rule")
    weights, x, y = example_network()
    g = two_path_gradient(weights, x, y, "sigmoid")
    for path in g.paths:
        for factor in path.factors:
            times = f"({factor.times:g})" if factor.times < 0 else f"{factor.times:g}"
            assert states(text, f"{_g3(factor.df)} \\times {times} = {_g3(factor.value)}") or (
                factor.times_name == "x1" and states(text, f"= {_g3(factor.value)}")
            ), factor
        assert states(text, f"product ${_g3(path.product)}$")
    assert states(text, f"\\partial L/\\partial o_{{31}} = {_g3(g.dL_do31)}$")
    # "Every slope f'(z) here is below 0.25"; "0.525, with w'''21 = 3"; one factor negative
    slopes = [f.df for path in g.paths for f in path.factors]
    assert max(slopes) < 0.25 and states(text, "Every slope $f'(z)$ here is below 0.25")
    assert states(text, f"(${_g3(g.paths[1].factors[0].value)}$, with $w'''_{{21}} = 3$)")
    assert sum(f.value < 0 for path in g.paths for f in path.factors) == 1


def test_section_2_finite_difference_agrees_to_about_eight_digits(markdown_of, states):
    text = markdown_of(NB, section="2. The chain rule")
    weights, x, y = example_network()
    exact = backward(weights, x, y, "sigmoid")[0]["w'11"]

    def loss(w11):
        w = dict(weights, **{"w'11": w11})
        o11 = _sigmoid(w["w'11"] * x[0] + w["w'21"] * x[1])
        o21, o22 = _sigmoid(w["w''11"] * o11), _sigmoid(w["w''12"] * o11)
        return (_sigmoid(w["w'''11"] * o21 + w["w'''21"] * o22) - y) ** 2 / 2

    h = 1e-6
    numeric = (loss(2.5 + h) - loss(2.5 - h)) / (2 * h)
    digits = -math.log10(abs(numeric - exact) / abs(exact))
    assert 7.5 < digits < 9.5 and states(text, "agree to about eight digits")


def test_section_2_question_numbers(states):
    """The first Question's prompt quotes the two paths' products."""
    weights, x, y = example_network()
    g = two_path_gradient(weights, x, y, "sigmoid")
    code = code_of(NB)
    p1, p2 = g.paths[0].product, g.paths[1].product
    assert states(code, f"Path 1's product is +{p1:.3g}, path 2's is −{-p2:.3g}.")


# --- 3. The worked example -----------------------------------------------------------------


def test_section_3_product_prints_with_a_rounding_tail(markdown_of, states):
    text = markdown_of(NB, section="3. The worked example")
    product = 0.2 * 0.1 * 0.05
    assert repr(product) == "0.0010000000000000002"
    assert states(text, f"Python prints `{product!r}`")
    assert 2.5 - 1 * 0.001 == 2.499 and states(text, "2.5 - 1 \\times 0.001 = 2.499")
    relative = abs(product - 0.001) / 0.001
    assert round(relative * 1e16) == 2 and states(text, "about 2 parts in $10^{16}$")


# --- 4. More layers, more factors ----------------------------------------------------------


def test_section_4_counting_and_best_case(markdown_of, states):
    from helpers.chain import example_network, two_path_gradient

    text = markdown_of(NB, section="4. More layers, more factors")
    path = two_path_gradient(*example_network()).paths[0]
    assert len(path.factors) == 3  # a path through the network's 2 hidden layers
    assert repr(0.1**11) == "1.0000000000000006e-11" and states(text, "`1.0000000000000006e-11`")
    assert f"{0.25**11:.1e}" == "2.4e-07"
    assert states(text, "$0.25^{11} \\approx 2.4 \\cdot 10^{-7}$")
    # sigmoid's slope peaks at 0.25, so |sigma'(z) w| < 1 whenever |w| < 4
    z = np.linspace(-20, 20, 400001)
    peak = _dsigmoid(z).max()  # the test's own sigmoid, not helpers'
    assert abs(peak - 0.25) < 1e-12 and round(1 / peak) == 4
    assert states(text, "$|w| < 4$ (Hochreiter, 1991)")


def test_section_4_float_thresholds_in_the_caption(markdown_of, states):
    text = markdown_of(NB, section="4. More layers, more factors")
    half32 = float(np.spacing(np.float32(2.5))) / 2
    half64 = float(np.spacing(2.5)) / 2
    assert f"{half32:.1e}" == "1.2e-07" and f"{half64:.1e}" == "2.2e-16"
    assert states(text, "below $1.2 \\cdot 10^{-7}$ a float32 update of $w = 2.5$ is lost")
    assert states(text, "below $2.2 \\cdot 10^{-16}$ a float64 one")
    w = np.float32(2.5)
    assert w - np.float32(half32 * 0.9) == w and w - np.float32(half32 * 1.1) != w


def test_section_4_definition_box_uses_the_course_thresholds(markdown_of, states):
    text = markdown_of(NB, section="4. More layers, more factors")
    assert "> **Definition: the vanishing-gradient problem.**" in text  # a box
    assert VANISHING_RATIO == 0.1
    assert states(
        text, "the first\n> hidden layer gets less than $1/10$ of the last hidden layer's"
    )
    assert states(text, "**exploding** when more than $10$ times it")
    assert gradient_regime(0.099) == "vanishing" and gradient_regime(10.1) == "exploding"
    # The box is where the notebook first names the problem.
    full = markdown_of(NB)
    assert full.index("vanishing-gradient problem") == full.index(
        "**Definition: the vanishing-gradient problem.**"
    ) + len("**Definition: the ")


# --- 5. An update too small to see (optional) ----------------------------------------------


def test_section_5_float32_facts(markdown_of, states):
    text = markdown_of(NB, section="5. An update too small to see")
    f32, f64 = np.finfo(np.float32), np.finfo(np.float64)
    assert round((f32.nmant + 1) * math.log10(2)) == 7
    assert round((f64.nmant + 1) * math.log10(2)) == 16
    assert states(text, "keeps about 7 significant digits instead of 16")
    assert f"{float(np.spacing(np.float32(2.5))):.1e}" == "2.4e-07"
    assert states(text, "consecutive float32 numbers are $2.4 \\cdot 10^{-7}$ apart")
    assert 2.5 - 1e-10 == 2.4999999999 and states(text, "$2.5 - 10^{-10} = 2.4999999999$")
    assert states(text, "a float32 update is lost below about $1.2 \\cdot 10^{-7}$")


# --- 6. A real deep network ----------------------------------------------------------------


def test_section_6_predict_then_run(markdown_of, states):
    text = markdown_of(NB, section="6. A real deep network")
    profile = gradient_profile(10, "sigmoid", init="standard", n_samples=32)
    assert f"{profile.backprop_norm[-1]:.1f}" == "0.3"
    assert states(text, "has size about $0.3$")
    ratio = profile.backprop_norm[0] / profile.backprop_norm[-1]
    assert ratio < 0.25**9 / 100 and states(text, "Far below even $0.25$ per step")
    # 32 hidden units, 32 random inputs; standard init uniform on ±1/sqrt(32)
    assert profile.width == 32 and profile.n_samples == 32
    assert states(text, "`depth` hidden layers of 32 units,\nruns 32 random inputs forward")
    assert states(text, "uniform on\n$\\pm 1/\\sqrt{32}$")


def test_section_6_weight_sizes(markdown_of, states):
    text = markdown_of(NB, section="6. A real deep network")
    n = 32
    var_standard = (1 / math.sqrt(n)) ** 2 / 3  # uniform on ±1/sqrt(n)
    assert math.isclose(math.sqrt(n * var_standard), math.sqrt(1 / 3))
    assert f"{math.sqrt(1 / 3):.2f}" == "0.58" and f"{math.sqrt(2):.2f}" == "1.41"
    assert states(text, "= \\sqrt{1/3} \\approx 0.58$; He's gives $\\sqrt{2} \\approx 1.41$")


def test_section_6_figure_caption_and_summary_decades(markdown_of, states):
    caption = markdown_of(NB, section="6. A real deep network")
    summary = markdown_of(NB, section="Summary")
    sigmoid = _ratio(30, "sigmoid", "standard")
    tanh = _ratio(30, "tanh", "standard")
    relu = _ratio(30, "relu", "he")
    assert round(-math.log10(sigmoid)) == 25 and round(-math.log10(tanh)) == 7
    assert 0.5 < relu < 2
    assert states(caption, "Sigmoid (circles) falls about 25 orders of magnitude, tanh (squares)")
    assert states(caption, "about 7, ReLU with He initialisation (triangles) stays level")
    relu_layers = gradient_profile(30, "relu", init="he", n_samples=32).backprop_norm
    assert f"{relu_layers.min():.1f}" == "0.4" and f"{relu_layers.max():.1f}" == "0.9"
    assert states(caption, "between 0.4 and 0.9 at every layer")
    assert "dashed\nline falls by" not in caption  # the figure has no reference line
    assert states(
        summary, "about $10^{-25}$ of the last layer's with sigmoid and $10^{-7}$ with tanh"
    )
    assert states(summary, "keeps it within a factor of 2")


def test_section_6_demo_try_list(markdown_of, states):
    text = markdown_of(NB, section="Interactive demo: depth × activation")
    sigmoid50, tanh50 = _ratio(50, "sigmoid", "standard"), _ratio(50, "tanh", "standard")
    assert f"{sigmoid50 ** (1 / 49):.2f}" == "0.14" and round(math.log10(sigmoid50)) == -42
    assert states(text, "falls by about 0.14 per layer, to about\n  $10^{-42}$")
    assert f"{tanh50 ** (1 / 49):.2f}" == "0.56" and round(math.log10(tanh50)) == -12
    assert states(text, "about 0.56 per layer, still about $10^{-12}$")
    relu50 = _ratio(50, "relu", "he")
    assert 1 / 5 < relu50 < 5 and states(text, "(within a factor of 5 at depth 50)")
    # weight scale 4 "at depth 20 or more": tanh and relu explode, sigmoid vanishes
    assert states(text, "**weight scale** 4 with tanh or relu, at depth 20 or more")
    for depth in (20, 30, 50):
        assert gradient_regime(_ratio(depth, "tanh", "standard", 4.0)) == "exploding"
        assert gradient_regime(_ratio(depth, "relu", "he", 4.0)) == "exploding"
        assert gradient_regime(_ratio(depth, "sigmoid", "standard", 4.0)) == "vanishing"
    assert states(text, "Sigmoid at scale 4 still vanishes")
    assert gradient_regime(_ratio(30, "sigmoid", "he", 8.0)) == "level"
    assert states(text, "with *init* *he* and scale 8 its\n  gradient is level at depth 30")
    assert gradient_regime(_ratio(20, "relu", "standard")) == "vanishing"


def test_section_6_think_relu_standard_init(markdown_of, states):
    text = markdown_of(NB, section="Think!")
    per_layer = _ratio(30, "relu", "standard") ** (1 / 29)
    assert round(per_layer, 1) == 0.4 and states(text, "by about 0.4\nper layer")
    assert f"{math.sqrt(1 / 3) * math.sqrt(1 / 2):.2f}" == "0.41"
    assert states(text, "$\\sqrt{1/3} \\times \\sqrt{1/2} \\approx 0.41$")


# --- 6, optional: sigmoid and the weight scale (mean-field view) ----------------------------


@pytest.fixture(scope="module")
def wide_sigmoid():
    """Factor per layer, RMS of z and saturated share of a wide sigmoid network, by Monte Carlo.

    Independent of the notebook's grid average: 200,000 normal samples, z's mean square
    iterated to its fixed point q = sigma_w^2 E[sigma(z)^2].
    """
    u = np.random.default_rng(0).standard_normal(200_000)
    z_saturated = math.log((1 + math.sqrt(1 - SATURATION_FRACTION)) / (1 - math.sqrt(0.9)))

    def at(sigma_w):
        q = 1.0
        for _ in range(60):  # converges well within 60 steps for sigma_w <= 15
            q = sigma_w**2 * np.mean(_sigmoid(math.sqrt(q) * u) ** 2)
        z = math.sqrt(q) * u
        factor = sigma_w * math.sqrt(np.mean(_dsigmoid(z) ** 2))
        return (
            factor,
            math.sqrt(q),
            float(np.mean(np.abs(z) > z_saturated)),
            float(np.mean(_sigmoid(z))),
        )

    return at, z_saturated


def test_optional_weight_scale_factor_and_critical_scale(markdown_of, states, wide_sigmoid):
    text = markdown_of(NB, section="Sigmoid and the weight scale")
    at, z_saturated = wide_sigmoid
    # The notebook counts saturated units by the course's definition, |z| > 3.64 for sigmoid.
    assert f"{z_saturated:.2f}" == "3.64" and 'saturated_from_output("sigmoid", a)' in code_of(NB)
    factor, *_ = at(math.sqrt(1 / 3))
    assert f"{factor:.3f}" == "0.141"
    assert states(text, "At the standard initialisation the factor is $0.141$, the $0.14$")
    measured = _ratio(30, "sigmoid", "standard") ** (1 / 29)
    assert f"{measured:.2f}" == "0.14"
    # the critical scale: bisect factor(sigma_w) = 1
    low, high = 5.0, 15.0
    for _ in range(12):
        middle = (low + high) / 2
        low, high = (middle, high) if at(middle)[0] < 1 else (low, middle)
    assert round(low) == 10 and states(text, "reaches 1 near $\\sigma_w \\approx 10$")
    assert round(low / math.sqrt(1 / 3)) == 18 and round(low / math.sqrt(2)) == 7
    assert states(text, "about 18 times the standard initialisation's")
    assert states(text, "7 times He's $\\sqrt 2$")
    assert f"{8 * math.sqrt(2):.1f}" == "11.3" and states(text, "($\\sigma_w = 11.3$)")


def test_optional_weight_scale_saturation_and_mean(markdown_of, states, wide_sigmoid):
    text = markdown_of(NB, section="Sigmoid and the weight scale")
    at, _ = wide_sigmoid
    factor, rms, saturated, mean = at(10.0)
    assert abs(rms - 6.65) < 0.02 and abs(100 * saturated - 58) < 1  # 58.5 % exactly
    assert states(text, "at $\\sigma_w = 10$ the\nRMS of $z$ is 6.65 and about 58 % of the units")
    assert abs(mean - 0.5) < 1e-3 and states(text, "the outputs average $0.5$, not 0")
    assert gradient_regime(_ratio(30, "sigmoid", "standard", 30.0)) == "exploding"
    assert states(text, "And standard initialisation × 30 explodes")


def test_no_claim_that_no_weight_scale_helps_sigmoid(markdown_of):
    """Issue 11: the old Think! said no weight scale keeps the gradient alive."""
    text = markdown_of(NB)
    assert "in practice it stays below 1" not in text
    assert "which no\nweight scale achieves" not in text and "no weight scale achieves" not in text


# --- added in the second read (review04) ---------------------------------------------------


def test_section_2_question_the_paths_pull_against_each_other(states):
    """Question 1's 'only the larger path' option: the sum is smaller in size than path 2."""
    weights, x, y = example_network()
    g = two_path_gradient(weights, x, y, "sigmoid")
    p1, p2 = g.paths[0].product, g.paths[1].product
    total = p1 + p2
    assert abs(p1) < abs(total) < abs(p2)  # not "smaller than either"
    assert f"{total:.2g}" == "-0.0092"
    assert states(code_of(NB), "so the sum, −0.0092, is smaller in size than path 2 alone.")


def test_section_2_test_chain_checks_hundreds_of_networks(markdown_of, states):
    """'tests/test_chain.py checks the same two-path formula ... on hundreds of random networks'."""
    from helpers.activations import ACTIVATIONS

    source = (Path(__file__).resolve().parents[1] / "test_chain.py").read_text()
    block = source[source.index("def test_two_path_formula_equals_backprop") - 200 :]
    examples = int(re.search(r"max_examples=(\d+)", block).group(1))
    assert "two_path_gradient(" in block and len(ACTIVATIONS) * examples >= 200
    assert states(markdown_of(NB, section="2. The chain rule"), "on\nhundreds of random networks")


def test_section_3_one_rounding_step(markdown_of, states):
    text = markdown_of(NB, section="3. The worked example")
    product = 0.2 * 0.1 * 0.05
    assert product == np.nextafter(0.001, 1.0)  # exactly one float64 step above 0.001
    assert states(text, "off from $0.001$ by one rounding step")
    assert states(text, "$\\partial L/\\partial w'_{11} = 0.001$")


def test_section_4_counting_rule_and_geometric_mean(markdown_of, states):
    text = markdown_of(NB, section="4. More layers, more factors")
    assert states(text, "Our network has\n2 hidden layers")
    assert states(text, "3 factors per path; 10 hidden layers make 11\nfactors")
    assert math.isclose((0.2 * 0.1 * 0.05) ** (1 / 3), 0.1)
    assert states(text, "(their geometric mean is $0.1$)")


def test_section_5_calculator_try_list(markdown_of, states):
    """The calculator's 'Things to try': 10 factors give 1e-10; at eta = 10 float32 sees 0 only."""
    from helpers.chain import EXAMPLE_FACTORS, update_is_lost
    from helpers.widgets import ChainRuleCalculator

    text = markdown_of(NB, section="5. An update too small to see")
    calculator = ChainRuleCalculator()
    calculator.controls["n_factors"].value = 10
    gradient = math.prod(calculator.factors())
    assert math.isclose(gradient, 1e-10, rel_tol=1e-9) and tuple(calculator.factors()[:3]) == (
        EXAMPLE_FACTORS
    )
    assert states(text, "*factors* = 10: the product is $10^{-10}$")
    assert update_is_lost(2.5, 1.0, gradient, "float32")
    step = calculator.controls["w_old"].step
    assert math.isclose(step, 0.1)
    assert update_is_lost(step, 10.0, gradient, "float32")  # the nearest slider value to 0
    assert not update_is_lost(0.0, 10.0, gradient, "float32")
    assert states(text, "at this size it sees the update only at 0 itself")


def test_speaker_notes_depth_questions():
    """The lecturer's numbers: the predict-then-run reveal and the depth-40 question."""
    notes = speaker_notes_of(NB)
    ten = gradient_profile(10, "sigmoid", init="standard", n_samples=32).backprop_norm
    assert f"{ten[0]:.0e}" == "5e-09" and f"{ten[0] / ten[-1]:.1e}" == "1.6e-08"
    assert "Reveal: about 5e-9, first/last 1.6e-8, more than two decades below 0.25^9" in notes
    assert 100 < 0.25**9 / (ten[0] / ten[-1]) < 1000
    forty = _ratio(40, "sigmoid", "standard")
    assert f"{forty:.1e}" == "1.4e-34" and f"{0.14**39:.0e}" == "5e-34"
    assert "(0.14^39 ≈ 5e-34; the demo shows 1.4e-34)" in notes


def test_think_sigmoid_level_only_when_half_or_more_saturated(markdown_of, states, wide_sigmoid):
    """Think!: 'Sigmoid reaches a level gradient only at a weight scale where half or more of its
    units are saturated' (depth 30, as in the demo's try-list)."""
    text = markdown_of(NB, section="Think!")
    assert states(text, "only at a weight scale where half or more of its units are saturated")
    at, _ = wide_sigmoid
    # wide network: the smallest sigma_w whose factor^29 reaches 1/10 (level at depth 30)
    low, high = 5.0, 15.0
    for _ in range(14):
        middle = (low + high) / 2
        low, high = (middle, high) if at(middle)[0] ** 29 < VANISHING_RATIO else (low, middle)
    assert at(high)[2] >= 0.5
    # the demo's 32-unit network: every level setting of the weight-scale slider has sigma_w >= high
    sigma_w = {"standard": math.sqrt(1 / 3), "he": math.sqrt(2)}
    for init in sigma_w:
        for k in range(-8, 13):
            scale = 2 ** (k / 4)
            if gradient_regime(_ratio(30, "sigmoid", init, scale)) == "level":
                assert sigma_w[init] * scale >= high, (init, scale)
