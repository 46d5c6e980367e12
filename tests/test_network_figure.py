"""The notes' network drawn (helpers.plotting.network): it draws, labels every part, both paths."""

import math

import matplotlib.pyplot as plt
import pytest

from helpers.activations import get_activation
from helpers.chain import example_network, forward, two_path_gradient
from helpers.plotting import plot_network
from helpers.plotting.network import PATHS
from helpers.plotting.style import PALETTE


def _texts(drawn):
    return [label.get_text() for label in drawn["labels"]]


def _numbers():
    weights, x, y = example_network()
    result = forward(weights, x, y, "sigmoid")
    sigmoid = get_activation("sigmoid")
    slopes = {unit: float(sigmoid.df(result.z[unit])) for unit in ("o11", "o21", "o22", "o31")}
    return weights, x, slopes, result.o["o31"] - y


def test_plain_network_draws_every_node_edge_and_weight():
    weights, x, _ = example_network()
    fig, ax = plt.subplots()
    drawn = plot_network(weights, x=x, ax=ax)
    assert set(drawn["nodes"]) == {"x1", "x2", "o11", "o21", "o22", "o31", "L"}
    assert len(drawn["edges"]) == 7 and drawn["highlighted"] == []
    texts = _texts(drawn)
    for name in ("o_{11}", "o_{21}", "o_{22}", "o_{31}", "x_{1}", "x_{2}"):
        assert f"${name}$" in texts
    assert "L" in texts
    for weight, tex in (("w'11", "w'_{11}"), ("w''12", "w''_{12}"), ("w'''21", "w'''_{21}")):
        assert f"${tex}$ = {weights[weight]:.3g}".replace("-", "−") in texts
    assert not ax.axison
    plt.close(fig)


@pytest.mark.parametrize("path", [1, 2])
def test_each_path_is_highlighted_with_its_factors(path):
    weights, x, slopes, dL_do31 = _numbers()
    fig, ax = plt.subplots()
    drawn = plot_network(weights, x=x, slopes=slopes, dL_do31=dL_do31, highlight=path, ax=ax)
    assert drawn["highlighted"] == list(PATHS[path])
    middle = "o21" if path == 1 else "o22"
    assert (("o11", middle) in drawn["highlighted"]) and (middle, "o31") in drawn["highlighted"]
    # Colour is not the only cue: the path is thick and solid, the rest thin and dotted.
    for edge, line in drawn["edges"].items():
        if edge in PATHS[path]:
            assert line.get_linewidth() >= 4 and line.get_linestyle() == "-"
        else:
            assert line.get_linewidth() < 2 and line.get_linestyle() == ":"
            assert line.get_color() == PALETTE["grey"]
    # The factors f'(z)·w written on the path equal the notes' formula's local derivatives.
    notes = two_path_gradient(weights, x, 1.0, "sigmoid").paths[path - 1].factors
    assert drawn["factors"] == pytest.approx([f.value for f in reversed(notes)], rel=1e-12)
    product = two_path_gradient(weights, x, 1.0, "sigmoid").paths[path - 1].product
    assert math.isclose(math.prod(drawn["factors"]), product, rel_tol=1e-12)
    texts = "\n".join(_texts(drawn))
    w_in = "w''_{11}" if path == 1 else "w''_{12}"
    assert f"f'(z_{{{middle[1:]}}})\\,{w_in}" in texts
    assert "f'(z_{11})\\,x_{1}" in texts
    assert f"{notes[1].value:.3g}".replace("-", "−") in texts
    assert f"= {dL_do31:.3g}".replace("-", "−") in texts
    plt.close(fig)


def test_without_numbers_only_the_symbols_are_written():
    fig, ax = plt.subplots()
    drawn = plot_network(highlight=1, ax=ax)
    texts = "\n".join(_texts(drawn))
    assert "f'(z_{21})\\,w''_{11}" in texts and "×" not in texts
    assert drawn["factors"] == [None, None, None]
    plt.close(fig)


def test_refuses_a_third_path():
    with pytest.raises(ValueError, match="highlight"):
        plot_network(highlight=3)
    plt.close("all")
