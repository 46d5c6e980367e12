"""Checks for notebook 06, the deep-network lab."""

from __future__ import annotations

import numpy as np

from helpers.activations import get_activation
from helpers.checks.common import Wrong, check_exercise, expect_close
from helpers.mlp import backward, forward, init_params

__all__ = ["check_backprop_through_layer", "check_predicted_rms"]


def _array(got, what: str) -> np.ndarray:
    try:
        return np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"{what} should be an array of numbers, got {type(got).__name__}.") from None


def check_backprop_through_layer(backprop_through_layer) -> None:
    """Exercise 1: ``backprop_through_layer(grad_a, z, W, activation)``: dL/da one layer down.

    Prints the verdict and returns None (so a notebook cell shows no stray value).
    """

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

    check_exercise("Exercise 1 (back-propagate through one layer)", test)


def _predicted_rms(v: float, layer: int) -> float:
    """The halving argument: variance v at layer 1, times v / 2 at every layer above."""
    return float(np.sqrt(v * (v / 2) ** (layer - 1)))


def check_predicted_rms(predicted_rms) -> None:
    """Exercise 2: ``predicted_rms(v, layer)``: RMS of z in hidden layer ``layer`` of a ReLU net.

    Weights of variance ``v / n_in``, inputs of mean square 1. Prints the verdict, returns None.
    """
    cases = [(v, layer) for v in (1.0, 2.0, 0.5, 3.0) for layer in (1, 2, 5, 30)]
    # Typical wrong answers, each as a formula and the sentence that explains it.
    slips = [
        (
            lambda v, layer: np.sqrt(v * (v / 2) ** layer),
            "one halving too many: layer 1's z comes straight from the inputs, which no ReLU "
            "has halved, so layer 30 has passed 29 halvings, not 30",
        ),
        (
            lambda v, layer: np.sqrt((v / 2) ** layer),
            "one halving too many: layer 1's z comes straight from the inputs, which no ReLU "
            "has halved, so layer 30 has passed 29 halvings, not 30",
        ),
        (
            lambda v, layer: v * (v / 2) ** (layer - 1),
            "the variance of z; the root mean square is its square root",
        ),
        (
            lambda v, layer: np.sqrt(v**layer),
            "what you get without ReLU: each layer's ReLU keeps only half of the mean square",
        ),
        (
            lambda v, layer: np.sqrt(0.5 ** (layer - 1)),
            "right for v = 1 only: the weights' variance v multiplies in at every layer",
        ),
    ]

    def test():
        got = []
        for v, layer in cases:
            try:
                value = float(predicted_rms(v, layer))
            except (TypeError, ValueError):
                raise Wrong(
                    f"predicted_rms({v}, {layer}) should return one number, "
                    f"got {predicted_rms(v, layer)!r}."
                ) from None
            got.append(value)
        got = np.array(got)
        want = np.array([_predicted_rms(v, layer) for v, layer in cases])
        if np.allclose(got, want, rtol=1e-9):
            return (
                f"Xavier (v = 1) leaves 2^-14.5 = {_predicted_rms(1, 30):.1e} at layer 30; "
                f"v = 2, He initialisation, keeps sqrt 2 = {_predicted_rms(2, 30):.2f} at every "
                "layer."
            )
        for slip, sentence in slips:
            if np.allclose(got, [slip(v, layer) for v, layer in cases], rtol=1e-9):
                raise Wrong(f"Your formula gives {sentence}.")
        for (v, layer), value, right in zip(cases, got, want, strict=True):
            if not np.isclose(value, right, rtol=1e-9):
                hint = (
                    " Layer 1: a weighted sum of inputs of mean square 1 with weights of "
                    "variance v / n has variance v."
                    if layer == 1
                    else ""
                )
                raise Wrong(
                    f"predicted_rms({v:g}, {layer}) = {value:.6g}, expected {right:.6g}.{hint}"
                )
        return None  # not reached: some case differs

    check_exercise("Exercise 2 (predict the signal after 30 layers)", test)
