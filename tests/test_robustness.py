"""Issue 16's smaller silent cases: each bad call gets a clear answer, never a silent one.

Each test names the call that was observed to misbehave (a bare OverflowError,
a dropped mask, a silent clamp, a misleading message) and checks what it does
now.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from helpers import activations, chain, datasets, randomness
from helpers.checks.common import Wrong, check_exercise, expect_close
from helpers.randomness import as_rng

# --- datasets: non-finite arguments --------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_two_spirals_refuses_non_finite_turns(bad):
    with pytest.raises(ValueError, match="turns must be a finite number"):
        datasets.two_spirals(20, turns=bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_circles_refuses_non_finite_factor(bad):
    with pytest.raises(ValueError, match="factor"):
        datasets.circles(20, factor=bad)


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_every_dataset_refuses_non_finite_noise(name, bad):
    with pytest.raises(ValueError, match="noise must be a finite number"):
        datasets.make_dataset(name, 20, noise=bad)


def test_turns_must_be_a_number():
    with pytest.raises(TypeError, match="turns must be a real number"):
        datasets.two_spirals(20, turns="1.5")


# --- chain: overflow ---------------------------------------------------------------


def test_forward_with_a_huge_target_gives_inf_loss_not_overflow_error():
    weights, x, _ = chain.example_network()
    result = chain.forward(weights, x, 1e308)
    assert result.loss == math.inf  # (o31 - 1e308)**2 / 2 is beyond float64
    assert chain.forward(weights, x, -1e308).loss == math.inf
    grads, _ = chain.backward(weights, x, 1e308)  # the gradient itself is finite
    assert all(math.isfinite(g) for g in grads.values())


def test_finite_difference_of_an_infinite_loss_is_a_clear_error():
    weights, x, _ = chain.example_network()
    with pytest.raises(ValueError, match="too large for float64"):
        chain.finite_difference(weights, x, 1e308)


def test_random_weights_negative_seed_is_named():
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        chain.random_weights(rng=-1)
    assert chain.random_weights(rng=None) == chain.random_weights(rng=0)


# --- activations: inputs NumPy reads oddly ------------------------------------------


def test_huge_integer_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="integer too large for float64") as info:
        activations.sigmoid(10**400)
    assert "dtype object" not in str(info.value)
    with pytest.raises(ValueError, match="too large for float64"):
        activations.relu([1, 10**400])


def test_big_integer_that_fits_float64_is_computed():
    # 10**20 is beyond int64 (NumPy makes an object array) but a fine float64.
    assert activations.relu(10**20) == 1e20
    assert activations.sigmoid([-(10**30), 10**30]).tolist() == [0.0, 1.0]


@pytest.mark.parametrize("name", sorted(activations.ACTIVATIONS))
def test_masked_array_is_refused_not_silently_unmasked(name):
    z = np.ma.masked_array([1.0, 1000.0, -2.0], mask=[False, True, False])
    act = activations.get_activation(name)
    for function in (act.f, act.df):
        with pytest.raises(TypeError, match=r"masked array.*filled\(np.nan\)"):
            function(z)
    # The advice works: masked entries become NaN and stay NaN.
    out = act.f(z.filled(np.nan))
    assert np.isnan(out[1]) and np.isfinite(out[[0, 2]]).all()


# --- randomness ----------------------------------------------------------------------


def test_negative_seed_gets_a_clear_message():
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        as_rng(-1)
    with pytest.raises(ValueError, match="got -5"):
        datasets.two_spirals(20, rng=-5)
    with pytest.raises(TypeError, match="seed must be an integer"):
        randomness.check_seed(1.5)
    assert randomness.check_seed(np.int64(3)) == 3


def test_as_rng_none_is_seed_zero_as_documented():
    assert as_rng(None).random() == np.random.default_rng(0).random()
    assert as_rng(None).random() == as_rng(None).random()


# --- widgets: no silent clamp, no 81 s build -----------------------------------------


@pytest.mark.parametrize("z", [100, -6.5, math.nan, math.inf])
def test_activation_explorer_refuses_z_outside_the_slider(z):
    from helpers.widgets import ActivationExplorer

    with pytest.raises(ValueError, match="z must be a number from -6 to 6"):
        ActivationExplorer(z=z)


def test_activation_explorer_keeps_z_inside_the_range():
    from helpers.widgets import ActivationExplorer

    assert ActivationExplorer(z=-6).value("z") == -6
    assert ActivationExplorer(z=np.float64(2.5)).value("z") == 2.5


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"width": 2048}, "width must be an integer from 1 to 64"),
        ({"n_samples": 10**6}, "n_samples must be an integer from 1 to 256"),
        ({"max_depth": 1000}, "max_depth must be at most 100"),
        ({"seed": -1}, "seed must be an integer >= 0"),
    ],
)
def test_depth_explorer_refuses_sizes_that_would_take_minutes(kwargs, message):
    from helpers.widgets import DepthExplorer

    start = time.perf_counter()
    with pytest.raises(ValueError, match=message):
        DepthExplorer(**kwargs)
    assert time.perf_counter() - start < 1.0  # refused before computing anything


# --- exercise checks: an answer that returns None -------------------------------------


def test_answer_returning_none_is_told_so(capsys):
    with pytest.raises(Wrong, match=r"returned None \(a missing `return`\?\)"):
        expect_close("z", None, 1.5, where="x = [1, 2]")

    def test():
        expect_close("z", None, 1.5)

    assert not check_exercise("Exercise 1", test)
    out = capsys.readouterr().out
    assert "returned None" in out and "NaN" not in out


def test_crash_on_none_gets_the_hint(capsys):
    def answer(z):
        z * 2  # no return

    def test():
        return answer(1.0) + 1

    assert not check_exercise("Exercise 2", test)
    out = capsys.readouterr().out
    assert "TypeError" in out and "returned None (a missing `return`?)" in out
