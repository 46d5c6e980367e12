"""Checks for notebook 06, the deep-network lab."""

import math

import numpy as np

from helpers.activations import get_activation
from helpers.checks.common import Wrong, as_array, as_number, exercise, expect_close, name_slip

__all__ = ["check_backprop_through_layer", "check_predicted_rms"]


def _by_finite_differences(grad_a, a_below, W, f, h=1e-6):
    """dL/da_below for L = Σ grad_a · f(a_below @ W), by central differences: no formula."""
    out = np.empty_like(a_below)
    for i in np.ndindex(a_below.shape):
        step = np.zeros_like(a_below)
        step[i] = h
        out[i] = np.sum(grad_a * (f((a_below + step) @ W) - f((a_below - step) @ W))) / (2 * h)
    return out


@exercise("Exercise 1 (back-propagate through one layer)")
def check_backprop_through_layer(backprop_through_layer):
    """Exercise 1: ``backprop_through_layer(grad_a, z, W, activation)``: dL/da one layer down."""
    rng = np.random.default_rng(6)
    for activation, below, above in (("sigmoid", 5, 4), ("tanh", 6, 3), ("relu", 3, 7)):
        act = get_activation(activation)
        a_below, W, grad_a = (rng.normal(size=s) for s in ((5, below), (below, above), (5, above)))
        z = a_below @ W
        want = _by_finite_differences(grad_a, a_below, W, act.f)
        try:
            got = backprop_through_layer(grad_a.copy(), z.copy(), W.copy(), activation)
        except ValueError as error:
            raise Wrong(
                f"For {activation} NumPy could not multiply your arrays ({error}). Check the "
                f"shapes: grad_a is {grad_a.shape} (samples x units above) and W is "
                f"{W.shape} (units below x units above), so the product needs W.T."
            ) from None
        got = as_array(got, "Your result")
        if got.shape == grad_a.shape != want.shape:
            raise Wrong(
                f"For {activation} your result has shape {got.shape}, the shape of the layer "
                f"above; the layer below has {below} units. Multiply by W.T (W maps the "
                "layer below to the layer above)."
            )
        name_slip(got, [
            (grad_a @ W.T, f"For {activation} you multiplied by W.T but left out f'(z): the "
             "gradient passes back through the activation first, so multiply grad_a by "
             "f'(z) element by element."),
            ((grad_a * act.df(act.f(z))) @ W.T, f"For {activation} you used f'(a) instead "
             "of f'(z): the derivative is taken at the weighted sum z."),
        ], want, rtol=1e-5, atol=1e-7)  # fmt: skip
        expect_close("dL/da below", got, want, where=activation, rtol=1e-5, atol=1e-7)
    return "This line is the whole backward pass: helpers.mlp repeats it layer by layer."


_HALVING = (
    "one halving too many: layer 1's z comes straight from the inputs, which no ReLU has "
    "halved, so layer 30 has passed 29 halvings, not 30"
)
_RMS_SLIPS = [
    (lambda v, layer: np.sqrt(v * (v / 2) ** layer), _HALVING),
    (lambda v, layer: np.sqrt((v / 2) ** layer), _HALVING),
    (lambda v, layer: v * (v / 2) ** (layer - 1), "the variance of z; the RMS is its square root"),
    (lambda v, layer: np.sqrt(v**layer), "what you get without ReLU: each ReLU layer keeps only "
     "half of the mean square"),
    (lambda v, layer: np.sqrt(0.5 ** (layer - 1)), "right for v = 1 only: the weights' variance "
     "v multiplies in at every layer"),
]  # fmt: skip


@exercise("Exercise 2 (predict the signal after 30 layers)")
def check_predicted_rms(predicted_rms):
    """Exercise 2: RMS of z in hidden layer ``layer`` of a ReLU net, weights of variance v/n."""
    cases = [(v, layer) for v in (1.0, 2.0, 0.5, 3.0) for layer in (1, 2, 5, 30)]
    got = [as_number(predicted_rms(v, n), f"predicted_rms({v:g}, {n})") for v, n in cases]
    # The halving argument: variance v at layer 1, times v / 2 at every layer above.
    want = [math.sqrt(v * (v / 2) ** (layer - 1)) for v, layer in cases]
    slips = [([f(v, n) for v, n in cases], f"Your formula gives {why}.") for f, why in _RMS_SLIPS]
    name_slip(got, slips, want, rtol=1e-9, atol=0)
    for (v, layer), value, right in zip(cases, got, want, strict=True):
        if not math.isclose(value, right, rel_tol=1e-9):
            hint = " Layer 1: a weighted sum of n inputs (mean square 1) has variance v."
            raise Wrong(
                f"predicted_rms({v:g}, {layer}) = {value:.6g}, expected {right:.6g}."
                + (hint if layer == 1 else "")
            )
    return (
        f"Xavier (v = 1) leaves 2^-14.5 = {2**-14.5:.1e} at layer 30; v = 2, He "
        f"initialisation, keeps sqrt 2 = {math.sqrt(2):.2f} at every layer."
    )
