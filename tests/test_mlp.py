"""Tests for helpers.mlp: the hand-written backward pass against finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.activations import ACTIVATIONS
from helpers.definitions import dead_units, saturated_from_output
from helpers.mlp import (
    INITS,
    MOMENTUM,
    NORMS,
    Trainer,
    _backward,
    _forward,
    backward,
    fit,
    forward,
    gradient_profile,
    init_params,
    layer_sizes_for,
    loss,
    loss_and_gradients,
    predict_proba,
    saturation_rule,
    signal_profile,
    train,
    trainer_for,
)


def _problem(depth, n_outputs, activation, init, seed=0, width=4, n_samples=6):
    rng = np.random.default_rng(seed)
    sizes = layer_sizes_for(3, depth, width, n_outputs)
    params = init_params(sizes, init, rng)
    # Non-zero biases keep ReLU's z away from its kink at exactly 0, where
    # a finite difference would straddle two slopes.
    params = [(W, rng.normal(0, 0.5, size=b.shape)) for W, b in params]
    X = rng.normal(size=(n_samples, 3))
    n_classes = 2 if n_outputs == 1 else n_outputs
    y = rng.integers(0, n_classes, size=n_samples)
    return params, X, y


def _numerical_gradients(params, X, y, activation, eps=1e-6):
    grads = []
    for W, b in params:
        pair = []
        for array in (W, b):
            numeric = np.zeros_like(array)
            for position in np.ndindex(array.shape):
                original = array[position]
                array[position] = original + eps
                up = loss(params, X, y, activation)
                array[position] = original - eps
                down = loss(params, X, y, activation)
                array[position] = original
                numeric[position] = (up - down) / (2 * eps)
            pair.append(numeric)
        grads.append(tuple(pair))
    return grads


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("init", INITS)
@pytest.mark.parametrize("depth", [1, 2, 5])
@pytest.mark.parametrize("n_outputs", [1, 3])
def test_backward_matches_finite_differences(activation, init, depth, n_outputs):
    params, X, y = _problem(depth, n_outputs, activation, init, seed=depth * 7 + n_outputs)
    _, analytic = loss_and_gradients(params, X, y, activation)
    numeric = _numerical_gradients(params, X, y, activation)
    for layer, ((dW, db), (nW, nb)) in enumerate(zip(analytic, numeric, strict=True)):
        np.testing.assert_allclose(dW, nW, rtol=1e-5, atol=1e-8, err_msg=f"dW, layer {layer}")
        np.testing.assert_allclose(db, nb, rtol=1e-5, atol=1e-8, err_msg=f"db, layer {layer}")


def test_backward_da_is_the_gradient_with_respect_to_hidden_activations():
    params, X, y = _problem(3, 1, "tanh", "xavier", seed=3)
    cache = forward(params, X, "tanh")
    _, _, da = backward(params, cache, y, "tanh")
    # Perturb one hidden activation by hand: run the layers above it.
    act = ACTIVATIONS["tanh"]
    eps = 1e-6

    def loss_from_layer(a, layer):
        for index in range(layer + 1, len(params)):
            W, b = params[index]
            z = a @ W + b
            a = act.f(z) if index < len(params) - 1 else z
        z = a[:, 0]
        return float(np.mean(np.logaddexp(0, z) - y * z))

    for layer in range(3):
        a = cache.activations[layer + 1].copy()
        a[2, 1] += eps
        up = loss_from_layer(a, layer)
        a[2, 1] -= 2 * eps
        down = loss_from_layer(a, layer)
        assert da[layer][2, 1] == pytest.approx((up - down) / (2 * eps), rel=1e-5, abs=1e-10)


def test_losses_are_stable_for_huge_logits():
    # One hidden unit feeding the output with an enormous weight: logits near +-1e4.
    params = [(np.array([[1.0]]), np.zeros(1)), (np.array([[1e4]]), np.zeros(1))]
    X = np.array([[5.0], [-5.0]])
    value = loss(params, X, np.array([0, 1]), "tanh")
    assert math.isfinite(value) and value == pytest.approx(1e4 * np.tanh(5.0), rel=1e-12)
    params3 = [(np.array([[1.0]]), np.zeros(1)), (np.array([[1e4, 0.0, -1e4]]), np.zeros(3))]
    # Both samples get the class with the lowest logit: each loses 2e4 * tanh(5).
    value3 = loss(params3, X, np.array([2, 0]), "tanh")
    assert value3 == pytest.approx(2e4 * np.tanh(5.0), rel=1e-12)


def test_sigmoid_and_softmax_outputs_agree_for_two_classes():
    # A softmax over logits (0, z) is a sigmoid of z.
    params, X, y = _problem(2, 1, "sigmoid", "standard")
    W, b = params[-1]
    params2 = params[:-1] + [(np.hstack([np.zeros_like(W), W]), np.array([0.0, b[0]]))]
    assert loss(params, X, y, "sigmoid") == pytest.approx(loss(params2, X, y, "sigmoid"))
    p1 = forward(params, X, "sigmoid").probabilities
    p2 = forward(params2, X, "sigmoid").probabilities
    np.testing.assert_allclose(p1, p2[:, 1])


# --- initialisation ------------------------------------------------------------


@pytest.mark.parametrize(
    ("init", "variance"),
    [
        ("standard", lambda n_in, n_out: 1 / (3 * n_in)),
        ("xavier", lambda n_in, n_out: 2 / (n_in + n_out)),
        ("he", lambda n_in, n_out: 2 / n_in),
    ],
)
def test_init_variances(init, variance):
    ((W, b),) = init_params([200, 300], init, np.random.default_rng(1))
    assert W.shape == (200, 300) and b.shape == (300,) and not b.any()
    assert W.var() == pytest.approx(variance(200, 300), rel=0.03)
    assert abs(W.mean()) < 0.01


def test_init_bounds_and_scale():
    ((W, _),) = init_params([16, 9], "standard", 0)
    assert np.abs(W).max() <= 1 / 4
    ((Wx, _),) = init_params([16, 9], "xavier", 0)
    assert np.abs(Wx).max() <= math.sqrt(6 / 25)
    ((W3, _),) = init_params([16, 9], "standard", 0, weight_scale=3.0)
    np.testing.assert_array_equal(W3, 3 * W)


def test_init_is_reproducible_and_seeded():
    a = init_params([3, 5, 1], "he", 42)
    b = init_params([3, 5, 1], "he", np.random.default_rng(42))
    c = init_params([3, 5, 1], "he", 43)
    for (Wa, _), (Wb, _) in zip(a, b, strict=True):
        np.testing.assert_array_equal(Wa, Wb)
    assert not np.array_equal(a[0][0], c[0][0])


# --- gradient_profile -------------------------------------------------------------


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_gradient_profile_shapes(activation):
    profile = gradient_profile(7, activation, width=8, n_samples=16)
    for name in ("backprop_norm", "weight_grad_norm", "forward_std"):
        values = getattr(profile, name)
        assert values.shape == (7,), name
        assert np.all(np.isfinite(values)) and np.all(values >= 0), name
    assert profile.depth == 7 and profile.activation == activation


def test_gradient_profile_matches_its_definition():
    depth, width, n = 3, 5, 10
    profile = gradient_profile(depth, "tanh", width=width, n_samples=n, seed=4, init="he")
    rng = np.random.default_rng(4)
    X = rng.standard_normal((n, width))
    y = rng.integers(0, 2, size=n)
    params = init_params(layer_sizes_for(width, depth, width), "he", rng)
    cache = forward(params, X, "tanh")
    _, grads, da = backward(params, cache, y, "tanh")
    # Sample 0's own loss gradient, computed with a batch of one sample:
    one = backward(params, forward(params, X[:1], "tanh"), y[:1], "tanh")[2]
    np.testing.assert_allclose(one[0][0], n * da[0][0])
    expected = [np.sqrt(np.mean(np.sum((n * g) ** 2, axis=1))) for g in da]
    np.testing.assert_allclose(profile.backprop_norm, expected)
    np.testing.assert_allclose(
        profile.weight_grad_norm, [np.linalg.norm(g[0]) for g in grads[:depth]]
    )
    np.testing.assert_allclose(profile.forward_std, [a.std() for a in cache.activations[1:]])


def test_sigmoid_gradients_vanish_toward_the_input_with_standard_init():
    profile = gradient_profile(20, "sigmoid")
    assert profile.backprop_norm[0] < 1e-6 * profile.backprop_norm[-1]


def test_gradient_profile_weight_scale_explodes_tanh():
    small = gradient_profile(30, "tanh", init="xavier")
    big = gradient_profile(30, "tanh", init="xavier", weight_scale=4.0)
    assert (
        big.backprop_norm[0] / big.backprop_norm[-1]
        > small.backprop_norm[0] / small.backprop_norm[-1]
    )


@settings(max_examples=25, deadline=None)
@given(
    depth=st.integers(1, 12),
    activation=st.sampled_from(sorted(ACTIVATIONS)),
    init=st.sampled_from(INITS),
    seed=st.integers(0, 2**31),
)
def test_gradient_profile_is_deterministic_and_finite(depth, activation, init, seed):
    a = gradient_profile(depth, activation, init=init, seed=seed, width=6, n_samples=8)
    b = gradient_profile(depth, activation, init=init, seed=seed, width=6, n_samples=8)
    np.testing.assert_array_equal(a.backprop_norm, b.backprop_norm)
    assert np.all(np.isfinite(a.backprop_norm)) and np.all(np.isfinite(a.forward_std))


# --- bad arguments ---------------------------------------------------------------


def test_bad_depth_and_sizes():
    with pytest.raises(ValueError, match="depth must be at least 1"):
        gradient_profile(0, "relu")
    with pytest.raises(TypeError, match="depth must be an integer"):
        gradient_profile(2.5, "relu")
    with pytest.raises(ValueError, match="depth must be at least 1"):
        layer_sizes_for(2, 0, 8)
    with pytest.raises(ValueError, match="at least an input and an output"):
        init_params([3])
    with pytest.raises(ValueError, match="at least 1"):
        init_params([3, 0, 1])


def test_unknown_activation_and_init():
    with pytest.raises(ValueError, match="unknown activation 'swishy'"):
        gradient_profile(3, "swishy")
    params, X, y = _problem(1, 1, "relu", "he")
    with pytest.raises(ValueError, match="unknown activation"):
        loss(params, X, y, "Sigmoid")
    with pytest.raises(ValueError, match="unknown init 'glorot'"):
        init_params([2, 3, 1], "glorot")
    with pytest.raises(ValueError, match="weight_scale"):
        init_params([2, 3, 1], "he", 0, weight_scale=-1.0)
    with pytest.raises(TypeError, match="rng"):
        init_params([2, 3, 1], "he", "seed")


def test_bad_data():
    params, X, y = _problem(2, 1, "relu", "he")
    X_nan = X.copy()
    X_nan[1, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        loss_and_gradients(params, X_nan, y, "relu")
    with pytest.raises(ValueError, match="first layer expects 3"):
        loss(params, X[:, :2], y, "relu")
    with pytest.raises(ValueError, match="labels but X has"):
        loss(params, X, y[:-1], "relu")
    with pytest.raises(ValueError, match="labels 0..1"):
        loss(params, X, y + 2, "relu")
    with pytest.raises(ValueError, match="2-D"):
        loss(params, X[0], y, "relu")
    with pytest.raises(ValueError, match="NaN"):
        loss(params, X, np.where(y == 0, np.nan, 1.0), "relu")
    W, b = params[1]
    with pytest.raises(ValueError, match="previous layer"):
        loss([params[0], (W[:-1], b), params[2]], X, y, "relu")


# --- training -------------------------------------------------------------------


def _moons(n=200, seed=0):
    from helpers.datasets import two_moons

    return two_moons(n, 0.1, seed)


def test_training_lowers_the_loss_on_an_easy_dataset():
    X, y = _moons()
    run = fit(X, y, depth=2, width=16, activation="relu", init="he", eta=0.5, steps=200)
    assert run.diverged_at is None
    assert run.history.loss[-1] < 0.5 * run.history.loss[0]
    accuracy = np.mean((predict_proba(run.params, X, "relu") > 0.5) == y)
    assert accuracy > 0.9


def test_minibatch_training_is_seeded_and_lowers_the_loss():
    X, y = _moons()
    a = fit(X, y, depth=2, width=16, activation="tanh", eta=0.2, steps=300, batch_size=20, seed=3)
    b = fit(X, y, depth=2, width=16, activation="tanh", eta=0.2, steps=300, batch_size=20, seed=3)
    np.testing.assert_array_equal(a.history.loss, b.history.loss)
    assert np.mean(a.history.loss[-30:]) < 0.7 * np.mean(a.history.loss[:30])


def test_softmax_training_on_three_spirals():
    from helpers.datasets import two_spirals

    X, y = two_spirals(150, 0.05, 0, n_classes=3)
    run = fit(X, y, depth=2, width=24, activation="relu", init="he", eta=0.5, steps=150)
    assert run.layer_sizes == [2, 24, 24, 3]
    assert run.history.loss[-1] < 0.8 * run.history.loss[0]


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_history_shapes_and_ranges(activation):
    X, y = _moons(60)
    run = fit(X, y, depth=3, width=5, activation=activation, eta=0.1, steps=7)
    h = run.history
    assert h.loss.shape == (7,)
    assert h.weight_grad_norm.shape == (7, 4)
    fractions = ("saturated_fraction", "dead_fraction", "zero_fraction")
    for name in ("backprop_norm", "mean_activation", *fractions):
        assert getattr(h, name).shape == (7, 3), name
    for name in fractions:
        values = getattr(h, name)
        assert np.all((values >= 0) & (values <= 1)), name
    assert np.all(h.weight_grad_norm > 0) and np.all(np.isfinite(h.backprop_norm))
    assert run.depth == 3 and run.steps == 7 and run.final_loss == h.loss[-1]


def test_recorded_statistics_match_their_definitions():
    X, y = _moons(50)
    params = init_params(layer_sizes_for(2, 3, 6), "xavier", 5)
    params = [(W * 4, b) for W, b in params]  # large weights: saturated units
    for activation in ("sigmoid", "tanh", "relu"):
        run = train(params, X, y, activation, eta=0.1, steps=2)
        cache = forward(params, X, activation)
        _, grads, da = backward(params, cache, y, activation)
        h = run.history
        hidden = cache.activations[1:]
        # The course's definitions (helpers.definitions), written out independently:
        # saturated = f'(z) below 10 % of the peak slope.
        if activation == "sigmoid":
            expected = [np.mean(a * (1 - a) < 0.1 * 0.25) for a in hidden]
        elif activation == "tanh":
            expected = [np.mean(1 - a**2 < 0.1) for a in hidden]
        else:
            expected = [0.0] * 3
        np.testing.assert_allclose(h.saturated_fraction[0], expected)
        if activation != "relu":
            assert 0 < h.saturated_fraction[0].max() < 1  # the definition is exercised
        # dead = a unit whose output is 0 for every sample; zero = one output exactly 0.
        dead = [np.mean(np.all(a == 0, axis=0)) for a in hidden]
        np.testing.assert_allclose(h.dead_fraction[0], dead)
        np.testing.assert_allclose(h.zero_fraction[0], [np.mean(a == 0) for a in hidden])
        np.testing.assert_allclose(h.mean_activation[0], [a.mean() for a in hidden])
        np.testing.assert_allclose(h.weight_grad_norm[0], [np.linalg.norm(g[0]) for g in grads])
        n = X.shape[0]
        np.testing.assert_allclose(
            h.backprop_norm[0], [np.sqrt(np.mean(np.sum((n * g) ** 2, axis=1))) for g in da]
        )
    assert "0.949" in saturation_rule("tanh") and "10 %" in saturation_rule("tanh")
    assert "0.026" in saturation_rule("sigmoid") and "0.974" in saturation_rule("sigmoid")
    assert run.history.saturated_fraction.max() == 0  # relu
    assert run.history.zero_fraction.max() > 0.2
    assert np.all(run.history.dead_fraction <= run.history.zero_fraction)


def test_dead_fraction_counts_units_dead_on_the_whole_batch():
    """A unit with output 0 for some samples only is not dead; one with 0 for all is."""
    X, y = _moons(40)
    params = init_params([2, 4, 1], "he", 0)
    W, b = params[0]
    W = W.copy()
    W[:, 0] = 0.0  # unit 1: z = b = -1 for every sample, so output 0 everywhere: dead
    b = np.array([-1.0, 0.0, 0.0, 0.0])
    W[:, 1] = [1.0, 0.0]  # unit 2: z = x_1, zero for about half the samples: alive
    run = train([(W, b), params[1]], X, y, "relu", eta=1e-9, steps=1)
    hidden = forward([(W, b), params[1]], X, "relu").activations[1]
    assert run.history.dead_fraction[0, 0] == 0.25  # one unit of four
    assert run.history.zero_fraction[0, 0] == np.mean(hidden == 0) > 0.25


def test_training_does_not_modify_the_starting_weights():
    X, y = _moons(40)
    params = init_params([2, 4, 1], "he", 0)
    before = [W.copy() for W, _ in params]
    train(params, X, y, "relu", eta=0.5, steps=3)
    for W_before, (W, _) in zip(before, params, strict=True):
        np.testing.assert_array_equal(W_before, W)


def test_one_step_is_gradient_descent():
    X, y = _moons(40)
    params = init_params([2, 4, 1], "he", 0)
    _, grads = loss_and_gradients(params, X, y, "tanh")
    run = train(params, X, y, "tanh", eta=0.3, steps=1)
    for (W, b), (dW, db), (W1, b1) in zip(params, grads, run.params, strict=True):
        np.testing.assert_allclose(W1, W - 0.3 * dW)
        np.testing.assert_allclose(b1, b - 0.3 * db)


def test_too_large_eta_stops_cleanly():
    X, y = _moons(100)
    run = fit(
        X, y, depth=6, width=16, activation="relu", init="he", eta=1e6, steps=50, weight_scale=3.0
    )
    assert run.diverged_at is not None and run.diverged_at < 50
    assert len(run.history.loss) == run.diverged_at
    assert all(np.isfinite(W).all() for W, _ in run.params)


def test_float32_training():
    X, y = _moons(80)
    run = fit(
        X, y, depth=2, width=8, activation="relu", init="he", eta=0.5, steps=50, dtype="float32"
    )
    assert run.params[0][0].dtype == np.float32
    assert run.history.loss[-1] < run.history.loss[0]


def test_bad_training_arguments():
    X, y = _moons(30)
    params = init_params([2, 4, 1], "he", 0)
    with pytest.raises(ValueError, match="eta"):
        train(params, X, y, "relu", eta=-0.1, steps=5)
    with pytest.raises(ValueError, match="eta"):
        train(params, X, y, "relu", eta=0.0, steps=5)
    with pytest.raises(ValueError, match="eta"):
        train(params, X, y, "relu", eta=float("nan"), steps=5)
    with pytest.raises(TypeError, match="eta"):
        train(params, X, y, "relu", eta="fast", steps=5)
    with pytest.raises(ValueError, match="steps must be at least 1"):
        train(params, X, y, "relu", eta=0.1, steps=0)
    with pytest.raises(ValueError, match="batch_size"):
        train(params, X, y, "relu", eta=0.1, steps=5, batch_size=31)
    with pytest.raises(ValueError, match="unknown activation"):
        train(params, X, y, "softsign", eta=0.1, steps=5)
    with pytest.raises(ValueError, match="dtype"):
        train(params, X, y, "relu", eta=0.1, steps=5, dtype="float16")
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fit(X_nan, y, depth=2, width=4, eta=0.1, steps=5)
    with pytest.raises(ValueError, match="NaN"):
        fit(X, np.where(y == 1, np.nan, 0.0), depth=2, width=4, eta=0.1, steps=5)
    with pytest.raises(ValueError, match="depth must be at least 1"):
        fit(X, y, depth=0, width=4, eta=0.1, steps=5)


# --- signal_profile ----------------------------------------------------------------


def test_signal_profile_he_keeps_relu_signal_xavier_halves_its_variance():
    xavier = signal_profile(30, "relu", init="xavier")
    he = signal_profile(30, "relu", init="he")
    assert xavier.shape == (31,)
    assert 2.0**-16 < xavier[29] < 2.0**-13  # He et al.: variance halves per layer
    assert 0.5 < he[29] / he[0] < 2.5


# --- the fast training loop against a plain one ---------------------------------------


def _history(*columns):
    """The reference loops' records, named as TrainingHistory names them."""
    names = ("loss", "weight_grad_norm", "backprop_norm", "saturated_fraction")
    names += ("dead_fraction", "zero_fraction", "mean_activation")
    return {name: np.array(column) for name, column in zip(names, columns, strict=True)}


def _reference_train(params, X, y, activation, *, eta, steps, batch_size=None, rng=None):
    """Gradient descent written plainly on forward()/backward(): what train() must match."""
    from helpers.randomness import as_rng

    generator = as_rng(rng)
    n = X.shape[0]
    order, cursor = None, n
    losses, backprop, saturated, dead, zero, mean_a, weight_grad = ([] for _ in range(7))
    for _ in range(steps):
        if batch_size is None:
            X_batch, y_batch = X, y
        else:
            if cursor + batch_size > n:
                order, cursor = generator.permutation(n), 0
            chosen = order[cursor : cursor + batch_size]
            cursor += batch_size
            X_batch, y_batch = X[chosen], y[chosen]
        cache = forward(params, X_batch, activation)
        loss_value, grads, da = backward(params, cache, y_batch, activation)
        m = X_batch.shape[0]
        hidden = cache.activations[1:]
        losses.append(loss_value)
        weight_grad.append([np.linalg.norm(dW) for dW, _ in grads])
        backprop.append([m * np.sqrt(np.mean(np.sum(g * g, axis=1))) for g in da])
        saturated.append([np.mean(saturated_from_output(activation, a)) for a in hidden])
        dead.append([np.mean(dead_units(a)) for a in hidden])
        zero.append([np.mean(a == 0) for a in hidden])
        mean_a.append([a.mean() for a in hidden])
        params = [
            (W - eta * dW, b - eta * db) for (W, b), (dW, db) in zip(params, grads, strict=True)
        ]
    return params, _history(losses, weight_grad, backprop, saturated, dead, zero, mean_a)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("batch_size", [None, 16])
def test_fast_training_loop_matches_the_plain_one(activation, batch_size):
    X, y = _moons(48)
    params = init_params(layer_sizes_for(2, 3, 7), "xavier", 1)
    params = [(W * 3, b + 0.1) for W, b in params]  # some saturated units, some zero outputs
    run = train(params, X, y, activation, eta=0.3, steps=6, batch_size=batch_size, rng=2)
    expected_params, expected = _reference_train(
        params, X, y, activation, eta=0.3, steps=6, batch_size=batch_size, rng=2
    )
    for name, values in expected.items():
        np.testing.assert_allclose(getattr(run.history, name), values, rtol=1e-9, atol=1e-12)
    for (W, b), (W_ref, b_ref) in zip(run.params, expected_params, strict=True):
        np.testing.assert_allclose(W, W_ref, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(b, b_ref, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "gelu"])
def test_fast_training_loop_in_float32_and_softmax(activation):
    from helpers.datasets import two_spirals

    X, y = two_spirals(60, 0.05, 0, n_classes=3)
    params = init_params(layer_sizes_for(2, 2, 6, 3), "he", 4)
    run = train(params, X, y, activation, eta=0.2, steps=4, dtype="float32")
    expected_params, expected = _reference_train(params, X, y, activation, eta=0.2, steps=4)
    assert run.params[0][0].dtype == np.float32
    np.testing.assert_allclose(run.history.loss, expected["loss"], rtol=1e-5)
    np.testing.assert_allclose(run.history.backprop_norm, expected["backprop_norm"], rtol=1e-4)
    np.testing.assert_allclose(run.params[-1][0], expected_params[-1][0], rtol=1e-4, atol=1e-6)


def test_trainer_in_chunks_equals_one_run():
    X, y = _moons(50)
    params = init_params(layer_sizes_for(2, 3, 8), "he", 0)
    whole = train(params, X, y, "relu", eta=0.4, steps=20, batch_size=10, rng=5)
    trainer = Trainer(params, X, y, "relu", eta=0.4, steps=20, batch_size=10, rng=5)
    ran = [trainer.advance(6) for _ in range(5)]
    assert ran == [6, 6, 6, 2, 0] and trainer.finished
    chunked = trainer.result()
    np.testing.assert_array_equal(chunked.history.loss, whole.history.loss)
    np.testing.assert_array_equal(chunked.history.dead_fraction, whole.history.dead_fraction)
    np.testing.assert_array_equal(chunked.params[0][0], whole.params[0][0])


def test_divergence_keeps_the_last_finite_weights():
    X, y = _moons(60)
    params = init_params(layer_sizes_for(2, 6, 16), "he", 0, weight_scale=3.0)
    run = train(params, X, y, "relu", eta=1e6, steps=40)
    assert run.diverged_at is not None
    with np.errstate(over="ignore", invalid="ignore"):
        _, expected = _reference_train(params, X, y, "relu", eta=1e6, steps=run.diverged_at)
    np.testing.assert_allclose(run.history.loss, expected["loss"], rtol=1e-9)
    assert all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in run.params)


# --- labels and seeds (issue 16) ------------------------------------------------------


@pytest.mark.parametrize(
    ("make_labels", "shown"),
    [
        (lambda y: y + 1, "1, 2"),
        (lambda y: 5 * y, "0, 5"),
        (lambda y: y * 10**7, "0, 1e+07"),
        (lambda y: np.zeros_like(y), "1 distinct label(s): 0"),
        (lambda y: y - 1, "-1, 0"),
    ],
)
def test_fit_refuses_labels_that_are_not_0_to_k_minus_1(make_labels, shown):
    import time

    X, y = _moons(40)
    start = time.perf_counter()
    with pytest.raises(ValueError, match="0..k-1 with every class present") as caught:
        fit(X, make_labels(y), depth=2, width=4, eta=0.1, steps=5)
    assert shown in str(caught.value)
    assert time.perf_counter() - start < 0.5  # refused at once, nothing allocated


def test_fit_takes_the_number_of_classes_explicitly():
    X, y = _moons(40)
    run = fit(X, 2 * y, depth=1, width=4, eta=0.1, steps=3, n_classes=3)  # class 1 absent
    assert run.layer_sizes == [2, 4, 3]
    with pytest.raises(ValueError, match="with n_classes=3 y must hold labels 0..2"):
        fit(X, 3 * y, depth=1, width=4, eta=0.1, steps=3, n_classes=3)
    with pytest.raises(ValueError, match="n_classes must be at least 2"):
        fit(X, y, depth=1, width=4, eta=0.1, steps=3, n_classes=1)


def test_fit_seed_none_means_seed_0():
    X, y = _moons(40)
    a = fit(X, y, depth=2, width=4, eta=0.1, steps=3, seed=None)
    b = fit(X, y, depth=2, width=4, eta=0.1, steps=3, seed=None)
    c = fit(X, y, depth=2, width=4, eta=0.1, steps=3, seed=0)
    np.testing.assert_array_equal(a.params[0][0], b.params[0][0])
    np.testing.assert_array_equal(a.params[0][0], c.params[0][0])
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        fit(X, y, depth=2, width=4, eta=0.1, steps=3, seed=-1)


# --- skip connections and normalisation (issue 14) -------------------------------------

OPTIONS = [(skip, norm) for skip in (False, True) for norm in NORMS]


def _reference_loss(params, X, y, activation, skip, norm, training=True, nudge=None):
    """The network of the module docstring written out plainly (not helpers.mlp's code).

    ``nudge = (layer, index, eps)`` adds ``eps`` to ``a[index]`` of that hidden layer.
    """
    f = ACTIVATIONS[activation].f
    a = X
    for layer, arrays in enumerate(params[:-1]):
        W, b = arrays[:2]
        z = a @ W + b
        if norm != "none":
            if norm == "layer":
                mean, var = z.mean(axis=1)[:, None], z.var(axis=1)[:, None]
            elif training:
                mean, var = z.mean(axis=0), z.var(axis=0)
            else:
                mean, var = arrays[4], arrays[5]
            z = arrays[2] * (z - mean) / np.sqrt(var + 1e-5) + arrays[3]
        a = a + f(z) if skip and layer > 0 else f(z)
        if nudge is not None and nudge[0] == layer:
            a = a.copy()
            a[nudge[1]] += nudge[2]
    logits = a @ params[-1][0] + params[-1][1]
    if logits.shape[1] == 1:
        return float(np.mean(np.logaddexp(0, logits[:, 0]) - y * logits[:, 0]))
    top = logits.max(axis=1)
    lse = top + np.log(np.exp(logits - top[:, None]).sum(axis=1))
    return float(np.mean(lse - logits[np.arange(len(y)), y]))


def _option_problem(depth, activation, skip, norm, seed=0, n_outputs=1, width=4, n=6):
    rng = np.random.default_rng(seed)
    sizes = layer_sizes_for(3, depth, width, n_outputs)
    params = init_params(sizes, "xavier", rng, skip=skip, norm=norm)
    # Every parameter away from its initial value (biases away from ReLU's kink,
    # gamma away from 1, running statistics away from 0 and 1).
    moved = []
    for layer in params:
        W, b, *rest = layer
        rest = [v + rng.uniform(0.3, 0.8, v.shape) * rng.choice([-1, 1], v.shape) for v in rest]
        if len(rest) == 4:
            rest[3] = rng.uniform(0.5, 2.0, rest[3].shape)  # a running variance is > 0
        moved.append((W, rng.normal(0, 0.5, size=b.shape), *rest))
    X = rng.normal(size=(n, 3))
    y = rng.integers(0, 2 if n_outputs == 1 else n_outputs, size=n)
    return moved, X, y


def _numerical(function, arrays, eps=1e-6):
    """Central differences of ``function()`` with respect to every entry of ``arrays``."""
    result = []
    for array in arrays:
        numeric = np.zeros_like(array)
        for position in np.ndindex(array.shape):
            original = array[position]
            array[position] = original + eps
            up = function()
            array[position] = original - eps
            down = function()
            array[position] = original
            numeric[position] = (up - down) / (2 * eps)
        result.append(numeric)
    return result


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize(("skip", "norm"), OPTIONS)
@pytest.mark.parametrize("depth", [1, 2, 4])
def test_backward_with_options_matches_finite_differences(activation, skip, norm, depth):
    params, X, y = _option_problem(depth, activation, skip, norm, seed=depth)
    options = dict(skip=skip, norm=norm)
    value, grads = loss_and_gradients(params, X, y, activation, **options)
    assert value == pytest.approx(_reference_loss(params, X, y, activation, skip, norm), rel=1e-12)
    cache = _forward(params, X, ACTIVATIONS[activation], skip, norm)
    _, _, da, dX = _backward(params, cache, y, ACTIVATIONS[activation])

    def reference():
        return _reference_loss(params, X, y, activation, skip, norm)

    for index, (layer, grad) in enumerate(zip(params, grads, strict=True)):
        assert len(grad) == (2 if norm == "none" or index == depth else 4)
        numeric = _numerical(reference, list(layer[: len(grad)]))
        for name, analytic, expected in zip(
            ("W", "b", "gamma", "beta")[: len(grad)], grad, numeric, strict=True
        ):
            np.testing.assert_allclose(
                analytic, expected, rtol=1e-5, atol=1e-8, err_msg=f"d{name}, layer {index}"
            )
    (numeric_X,) = _numerical(reference, [X])
    np.testing.assert_allclose(dX, numeric_X, rtol=1e-5, atol=1e-8, err_msg="dX")
    # dL/da of each hidden layer, skip path included: nudge a_l, run the layers above.
    a = cache.activations
    for layer in range(depth):
        for position in [(0, 0), (X.shape[0] - 1, a[layer + 1].shape[1] - 1)]:
            up, down = (
                _reference_loss(params, X, y, activation, skip, norm, nudge=(layer, position, e))
                for e in (1e-6, -1e-6)
            )
            assert da[layer][position] == pytest.approx((up - down) / 2e-6, rel=1e-5, abs=1e-9)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "gelu"])
@pytest.mark.parametrize("skip", [False, True])
def test_batch_norm_at_evaluation_differentiates_through_the_running_statistics(activation, skip):
    params, X, y = _option_problem(3, activation, skip, "batch", seed=11, n_outputs=3)
    cache = forward(params, X, activation, skip=skip, norm="batch", training=False)
    value, grads, _ = backward(params, cache, y, activation, skip=skip, norm="batch")
    assert value == loss(params, X, y, activation, skip=skip, norm="batch")  # evaluation default

    def reference():
        return _reference_loss(params, X, y, activation, skip, "batch", training=False)

    assert value == pytest.approx(reference(), rel=1e-12)
    for index, (layer, grad) in enumerate(zip(params, grads, strict=True)):
        numeric = _numerical(reference, list(layer[: len(grad)]))
        for analytic, expected in zip(grad, numeric, strict=True):
            np.testing.assert_allclose(analytic, expected, rtol=1e-5, atol=1e-8, err_msg=index)


@settings(max_examples=40, deadline=None)
@given(
    depth=st.integers(1, 5),
    width=st.integers(1, 5),
    n=st.integers(1, 7),
    activation=st.sampled_from(["sigmoid", "tanh", "elu", "gelu", "silu"]),
    options=st.sampled_from(OPTIONS),
    n_outputs=st.sampled_from([1, 3]),
    seed=st.integers(0, 2**31),
)
def test_directional_derivative_matches_for_any_network(
    depth, width, n, activation, options, n_outputs, seed
):
    """dL along a random direction of every parameter and input, against (L(+) - L(-)) / 2 eps."""
    skip, norm = options
    params, X, y = _option_problem(depth, activation, skip, norm, seed, n_outputs, width, n)
    act = ACTIVATIONS[activation]
    _, grads, _, dX = _backward(params, _forward(params, X, act, skip, norm), y, act)
    rng = np.random.default_rng(seed + 1)
    learned = [
        array for layer, grad in zip(params, grads, strict=True) for array in layer[: len(grad)]
    ]
    flat_grads = [g for grad in grads for g in grad]
    directions = [rng.normal(size=array.shape) for array in [*learned, X]]
    analytic = sum(float(np.sum(g * d)) for g, d in zip([*flat_grads, dX], directions, strict=True))

    def moved(eps):
        for array, direction in zip([*learned, X], directions, strict=True):
            array += eps * direction
        value = _reference_loss(params, X, y, activation, skip, norm)
        for array, direction in zip([*learned, X], directions, strict=True):
            array -= eps * direction
        return value

    numeric = (moved(1e-5) - moved(-1e-5)) / 2e-5
    assert analytic == pytest.approx(numeric, rel=1e-5, abs=1e-8)


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(2, 9),
    width=st.integers(2, 6),
    norm=st.sampled_from(["batch", "layer"]),
    seed=st.integers(0, 2**31),
)
def test_normalised_z_has_the_learned_mean_and_scale(n, width, norm, seed):
    params, X, _ = _option_problem(2, "tanh", False, norm, seed, width=width, n=n)
    X = X * 10 + 3  # whatever the input's scale and offset
    cache = forward(params, X, "tanh", norm=norm)
    for layer, (fed, zhat) in enumerate(
        zip(cache.f_inputs, [stats[0] for stats in cache.norm_stats], strict=True)
    ):
        axis = 0 if norm == "batch" else 1
        np.testing.assert_allclose(zhat.mean(axis=axis), 0, atol=1e-9)
        variance = zhat.var(axis=axis)
        assert np.all(variance <= 1 + 1e-9)  # var / (var + eps)
        gamma, beta = params[layer][2], params[layer][3]
        np.testing.assert_allclose(fed, gamma * zhat + beta)
        if norm == "batch":
            np.testing.assert_allclose(fed.mean(axis=0), beta, atol=1e-9)


def test_forward_keeps_what_f_was_fed_and_the_skip_sum():
    params, X, y = _option_problem(3, "relu", True, "none", seed=2)
    cache = forward(params, X, "relu", skip=True)
    for layer in range(3):
        np.testing.assert_array_equal(cache.f_inputs[layer], cache.zs[layer])
        np.testing.assert_array_equal(cache.f_outputs[layer], np.maximum(cache.zs[layer], 0))
    np.testing.assert_array_equal(cache.activations[1], cache.f_outputs[0])  # layer 1 projects
    for layer in (1, 2):
        np.testing.assert_array_equal(
            cache.activations[layer + 1], cache.activations[layer] + cache.f_outputs[layer]
        )


def test_batch_norm_running_statistics_follow_the_update_rule():
    X, y = _moons(40)
    params = init_params(layer_sizes_for(2, 2, 5), "xavier", 3, norm="batch")
    cache = forward(params, X, "tanh", norm="batch")
    # eta tiny: the weights, so the batch statistics, stay as they are for 5 steps.
    run = train(params, X, y, "tanh", eta=1e-12, steps=5, norm="batch")
    kept = 0.9**5  # (1 - MOMENTUM) ** steps
    for layer in range(2):
        z = cache.zs[layer]
        *_, running_mean, running_var = run.params[layer]
        expected_var = kept * 1 + (1 - kept) * z.var(axis=0) * 40 / 39  # unbiased
        np.testing.assert_allclose(running_mean, (1 - kept) * z.mean(axis=0), rtol=1e-9)
        np.testing.assert_allclose(running_var, expected_var, rtol=1e-9)
    assert MOMENTUM == 0.1


def test_evaluation_uses_the_running_statistics_training_the_batch_statistics():
    X, y = _moons(80)
    run = fit(X, y, depth=3, width=8, activation="tanh", eta=0.5, steps=60, norm="batch")
    assert run.norm == "batch" and run.skip is False and len(run.params[0]) == 6
    p_eval = predict_proba(run.params, X, "tanh", norm="batch")
    p_batch = predict_proba(run.params, X, "tanh", norm="batch", training=True)
    assert not np.allclose(p_eval, p_batch)  # the two statistics differ
    # Evaluation on one sample is that sample's row of the evaluation on all:
    one = predict_proba(run.params, X[5:6], "tanh", norm="batch")
    assert one[0] == pytest.approx(p_eval[5], rel=1e-12)
    expected = _reference_loss(run.params, X, y, "tanh", False, "batch", training=False)
    assert loss(run.params, X, y, "tanh", norm="batch") == pytest.approx(expected, rel=1e-12)


def _reference_train_with_options(params, X, y, activation, *, eta, steps, skip, norm):
    """Full-batch gradient descent on forward()/backward() with the options."""
    losses, backprop, saturated, dead, zero, mean_a, weight_grad = ([] for _ in range(7))
    options = dict(skip=skip, norm=norm)
    n = X.shape[0]
    for _ in range(steps):
        cache = forward(params, X, activation, **options)
        loss_value, grads, da = backward(params, cache, y, activation, **options)
        hidden = cache.f_outputs
        losses.append(loss_value)
        weight_grad.append([np.linalg.norm(grad[0]) for grad in grads])
        backprop.append([n * np.sqrt(np.mean(np.sum(g * g, axis=1))) for g in da])
        saturated.append([np.mean(saturated_from_output(activation, a)) for a in hidden])
        dead.append([np.mean(dead_units(a)) for a in hidden])
        zero.append([np.mean(a == 0) for a in hidden])
        mean_a.append([a.mean() for a in hidden])
        new = []
        for index, (layer, grad) in enumerate(zip(params, grads, strict=True)):
            learned = [p - eta * g for p, g in zip(layer, grad, strict=False)]
            if len(layer) == 6:
                z = cache.zs[index]
                learned += [
                    0.9 * layer[4] + 0.1 * z.mean(0),
                    0.9 * layer[5] + 0.1 * z.var(0, ddof=1),
                ]
            new.append(tuple(learned))
        params = new
    return params, _history(losses, weight_grad, backprop, saturated, dead, zero, mean_a)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize(("skip", "norm"), OPTIONS[1:])
def test_training_with_options_matches_the_plain_loop(activation, skip, norm):
    X, y = _moons(48)
    params = init_params(layer_sizes_for(2, 3, 7), "xavier", 1, skip=skip, norm=norm)
    params = [(W * 3, b + 0.1, *rest) for W, b, *rest in params]
    run = train(params, X, y, activation, eta=0.3, steps=6, skip=skip, norm=norm)
    expected_params, expected = _reference_train_with_options(
        params, X, y, activation, eta=0.3, steps=6, skip=skip, norm=norm
    )
    for name, values in expected.items():
        np.testing.assert_allclose(getattr(run.history, name), values, rtol=1e-9, atol=1e-12)
    for layer, expected_layer in zip(run.params, expected_params, strict=True):
        for array, expected_array in zip(layer, expected_layer, strict=True):
            np.testing.assert_allclose(array, expected_array, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(("skip", "norm"), OPTIONS[1:])
def test_options_train_in_chunks_minibatches_and_float32(skip, norm):
    X, y = _moons(60)
    settings = dict(depth=4, width=8, activation="relu", init="he", eta=0.2, steps=40, seed=1)
    whole = fit(X, y, batch_size=20, skip=skip, norm=norm, **settings)
    trainer = trainer_for(X, y, batch_size=20, skip=skip, norm=norm, **settings)
    while trainer.advance(7):
        pass
    chunked = trainer.result()
    np.testing.assert_array_equal(chunked.history.loss, whole.history.loss)
    np.testing.assert_array_equal(chunked.params[1][0], whole.params[1][0])
    assert whole.history.loss[-10:].mean() < whole.history.loss[:10].mean()
    single = fit(X, y, dtype="float32", skip=skip, norm=norm, **settings)
    assert all(array.dtype == np.float32 for layer in single.params for array in layer)
    assert single.history.loss[-1] < single.history.loss[0]


def test_options_off_are_the_plain_network():
    X, y = _moons(50)
    settings = dict(depth=3, width=6, activation="sigmoid", eta=0.5, steps=20)
    plain = fit(X, y, **settings)
    explicit = fit(X, y, skip=False, norm="none", **settings)
    np.testing.assert_array_equal(plain.history.loss, explicit.history.loss)
    np.testing.assert_array_equal(plain.params[0][0], explicit.params[0][0])
    assert all(len(layer) == 2 for layer in explicit.params)
    a = gradient_profile(6, "tanh", width=8)
    b = gradient_profile(6, "tanh", width=8, skip=False, norm="none")
    np.testing.assert_array_equal(a.backprop_norm, b.backprop_norm)


def test_skip_and_norm_keep_sigmoid_gradients_alive():
    plain = gradient_profile(20, "sigmoid")
    for options in (dict(skip=True), dict(norm="batch"), dict(norm="layer")):
        profile = gradient_profile(20, "sigmoid", **options)
        assert profile.norm == options.get("norm", "none")
        ratio = profile.backprop_norm[0] / profile.backprop_norm[-1]
        assert ratio > 1e3 * plain.backprop_norm[0] / plain.backprop_norm[-1], options


def test_bad_options_are_refused_naming_what_is_allowed():
    X, y = _moons(30)
    params = init_params([2, 4, 4, 1], "he", 0)
    calls = {
        "fit": lambda **o: fit(X, y, depth=2, width=4, steps=2, **o),
        "trainer_for": lambda **o: trainer_for(X, y, depth=2, width=4, steps=2, **o),
        "train": lambda **o: train(params, X, y, eta=0.1, steps=2, **o),
        "Trainer": lambda **o: Trainer(params, X, y, eta=0.1, steps=2, **o),
        "init_params": lambda **o: init_params([2, 4, 4, 1], **o),
        "forward": lambda **o: forward(params, X, **o),
        "backward": lambda **o: backward(params, forward(params, X), y, **o),
        "loss_and_gradients": lambda **o: loss_and_gradients(params, X, y, **o),
        "loss": lambda **o: loss(params, X, y, **o),
        "predict_proba": lambda **o: predict_proba(params, X, **o),
        "gradient_profile": lambda **o: gradient_profile(3, "relu", **o),
    }
    for name, call in calls.items():
        with pytest.raises(
            ValueError, match="unknown norm 'batchnorm'; known: 'none', 'batch', 'layer'"
        ):
            call(norm="batchnorm")
        with pytest.raises(TypeError, match="skip must be True or False"):
            call(skip="yes")
        assert name  # every entry point refuses both
    with pytest.raises(TypeError, match=r"params\[0\] must be \(W, b, gamma, beta\)"):
        loss(params, X, y, norm="layer")
    with pytest.raises(ValueError, match="skip=True needs hidden layers of equal width"):
        init_params([2, 4, 5, 1], skip=True)
    with pytest.raises(ValueError, match="equal widths"):
        loss(init_params([2, 4, 5, 1]), X, y, skip=True)
    with pytest.raises(ValueError, match="cache was computed with skip=False"):
        backward(params, forward(params, X), y, skip=True)
