"""Checks for notebook 06, the deep-network lab."""

from __future__ import annotations

import numpy as np

from helpers.activations import get_activation
from helpers.checks.common import Wrong, check_exercise, expect_close
from helpers.mlp import backward, forward, init_params

__all__ = ["check_backprop_through_layer", "check_he_init"]


def _array(got, what: str) -> np.ndarray:
    try:
        return np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"{what} should be an array of numbers, got {type(got).__name__}.") from None


def check_backprop_through_layer(backprop_through_layer) -> bool:
    """Exercise 1: ``backprop_through_layer(grad_a, z, W, activation)``: dL/da one layer down."""

    def test():
        rng = np.random.default_rng(6)
        for activation, sizes in (
            ("sigmoid", [3, 5, 4, 1]),
            ("tanh", [2, 6, 3, 1]),
            ("relu", [4, 3, 7, 1]),
        ):
            params = init_params(sizes, "xavier", rng)
            params = [(W, rng.normal(0, 0.3, size=b.shape)) for W, b in params]
            X = rng.normal(size=(5, sizes[0]))
            y = rng.integers(0, 2, size=5)
            cache = forward(params, X, activation)
            _, _, da = backward(params, cache, y, activation)
            # The top hidden layer (2) gets da[1]; the layer below it gets da[0].
            W, z = params[1][0], cache.zs[1]
            try:
                answer = backprop_through_layer(da[1].copy(), z.copy(), W.copy(), activation)
            except ValueError as error:
                if "mismatch" not in str(error) and "shape" not in str(error):
                    raise
                raise Wrong(
                    f"For {activation} NumPy could not multiply your arrays ({error}). Check the "
                    f"shapes: grad_a is {da[1].shape} (samples x units above) and W is "
                    f"{W.shape} (units below x units above), so the product needs W.T."
                ) from None
            got = _array(answer, "Your result")
            act = get_activation(activation)
            if got.shape != da[0].shape:
                if got.shape == da[1].shape:
                    raise Wrong(
                        f"For {activation} your result has shape {got.shape}, the shape of the "
                        f"layer above; the layer below has {da[0].shape[1]} units. Multiply by "
                        "W.T (W maps the layer below to the layer above)."
                    )
                raise Wrong(
                    f"For {activation} your result has shape {got.shape}, expected "
                    f"{da[0].shape} (samples x units of the layer below)."
                )
            if np.allclose(got, da[1] @ W.T):
                raise Wrong(
                    f"For {activation} you multiplied by W.T but left out f'(z): the gradient "
                    "passes back through the activation first, so multiply grad_a by f'(z) "
                    "element by element."
                )
            at_a = (da[1] * act.df(act.f(z))) @ W.T
            if not np.allclose(at_a, da[0]) and np.allclose(got, at_a):
                raise Wrong(
                    f"For {activation} you used f'(a) instead of f'(z): the derivative is taken "
                    "at the weighted sum z."
                )
            expect_close("dL/da of the layer below", got, da[0], where=activation)
        return "This line is the whole backward pass: helpers.mlp repeats it layer by layer."

    return check_exercise("Exercise 1 (back-propagate through one layer)", test)


def check_he_init(he_init) -> bool:
    """Exercise 2: ``he_init(n_in, n_out, rng)`` -> W of shape (n_in, n_out), variance 2 / n_in."""

    def test():
        W = _array(he_init(400, 300, np.random.default_rng(0)), "W")
        if W.shape != (400, 300):
            raise Wrong(f"W has shape {W.shape}; expected (n_in, n_out) = (400, 300).")
        if not np.all(np.isfinite(W)):
            raise Wrong("W contains NaN or infinite values.")
        if abs(W.mean()) > 0.01:
            raise Wrong(f"The weights' mean is {W.mean():.3f}; it should be about 0.")
        variance = W.var()
        guesses = {
            1 / 400: "1 / n_in (LeCun's scaling): He et al. double it to make up for ReLU "
            "zeroing half the signal",
            2 / 700: "2 / (n_in + n_out), Xavier's: He's variance ignores n_out",
            1 / 300: "1 / n_out",
            2 / 300: "2 / n_out: He's forward rule divides by n_in, the number of inputs",
            np.sqrt(2 / 400): "sqrt(2 / n_in): that is the standard deviation; the variance is "
            "its square (did you pass the variance as numpy's scale?)",
        }
        if abs(variance - 2 / 400) > 0.05 * 2 / 400:
            for value, sentence in guesses.items():
                if abs(variance - value) < 0.05 * value:
                    raise Wrong(f"The variance of W is {variance:.5f}, which is {sentence}.")
            raise Wrong(f"The variance of W is {variance:.5f}; He init needs 2 / n_in = 0.005.")
        W2 = _array(he_init(400, 300, np.random.default_rng(0)), "W")
        if not np.array_equal(W, W2):
            raise Wrong("Two calls with the same seed gave different weights: draw them from rng.")
        return f"Variance {variance:.5f}, close to 2 / n_in = 0.005."

    return check_exercise("Exercise 2 (He initialisation)", test)
