"""Training speed of helpers.mlp against the matrix-product floor, in the same process.

The workload (issue 6): a 10-hidden-layer, 64-unit network on 1,000 points
(two spirals), 300 full-batch gradient-descent steps with every per-layer
statistic recorded. Each step needs, per layer, the forward product ``a @ W``,
the weight gradient ``a.T @ delta`` and (above the first layer) the
back-propagated ``delta @ W.T``: 32 matrix products. The *floor* is the time
of exactly those products alone (same shapes, same dtype, preallocated
outputs, no activation, no statistics), measured in this process in turn
with the cases (floor, case, case, floor, ...), so a busy machine slows both
alike: compare the ratios.
Target (issue 13): every case at most 1.3 x the floor, in float32 and float64.

Best of five runs per case, with whatever BLAS threading NumPy picks (set
OPENBLAS_NUM_THREADS=1 to compare). PyTorch's time for the same loop is
printed when PyTorch happens to be installed (it is not a dependency).

    python3 run.py bench benchmarks/train_speed.py
"""

from __future__ import annotations

import os
import time

import numpy as np

from helpers.datasets import two_spirals
from helpers.mlp import fit, layer_sizes_for

DEPTH, WIDTH, N_SAMPLES, STEPS, REPEATS = 10, 64, 1000, 300, 5
CASES = (("sigmoid", "xavier"), ("relu", "he"))


def best_of(function) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def floor_steps(dtype: str):
    """A function running 300 steps of the products alone, shaped as the training loop's."""
    rng = np.random.default_rng(0)
    sizes = layer_sizes_for(2, DEPTH, WIDTH)
    W = [
        rng.standard_normal((a, b)).astype(dtype)
        for a, b in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    WT = [np.ascontiguousarray(w.T) for w in W]
    a = [rng.standard_normal((N_SAMPLES, n)).astype(dtype) for n in sizes[:-1]]
    out = [np.empty((N_SAMPLES, n), dtype) for n in sizes[1:]]
    delta = [rng.standard_normal((N_SAMPLES, n)).astype(dtype) for n in sizes[1:]]
    dW = [np.empty_like(w) for w in W]
    g = [np.empty((N_SAMPLES, n), dtype) for n in sizes[:-1]]

    def steps():
        for _ in range(STEPS):
            for layer in range(len(W)):
                np.matmul(a[layer], W[layer], out=out[layer])
            for layer in range(len(W) - 1, -1, -1):
                np.matmul(a[layer].T, delta[layer], out=dW[layer])
                if layer:
                    np.matmul(delta[layer], WT[layer], out=g[layer])

    return steps


def floor_time(dtype: str) -> float:
    return best_of(floor_steps(dtype))


def fit_steps(X, y, activation: str, init: str, dtype: str):
    return lambda: fit(
        X,
        y,
        depth=DEPTH,
        width=WIDTH,
        activation=activation,
        init=init,
        steps=STEPS,
        eta=0.1,
        seed=0,
        dtype=dtype,
    )


def fit_time(X, y, activation: str, init: str, dtype: str) -> float:
    return best_of(fit_steps(X, y, activation, init, dtype))


def interleaved(functions: dict) -> dict:
    """Best of REPEATS for each function, the runs taken in turn (floor, case, case, ...).

    On a shared machine the load drifts; taking turns exposes every case and its
    floor to the same drift, so their ratio holds better than separate bests do.
    """
    times = {name: [] for name in functions}
    for _ in range(REPEATS):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}


def torch_time(X, y, activation: str, dtype: str) -> float | None:
    """The same loop in PyTorch (autograd, plain SGD, same statistics skipped), if installed."""
    try:
        import torch
    except ImportError:
        return None
    torch_dtype = getattr(torch, dtype)
    Xt = torch.tensor(X, dtype=torch_dtype)
    yt = torch.tensor(y, dtype=torch_dtype)
    sizes = layer_sizes_for(2, DEPTH, WIDTH)
    layers = [
        torch.nn.Linear(a, b).to(torch_dtype) for a, b in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    f = torch.sigmoid if activation == "sigmoid" else torch.relu
    parameters = [p for layer in layers for p in layer.parameters()]
    optimiser = torch.optim.SGD(parameters, lr=0.1)

    def steps():
        for _ in range(STEPS):
            a = Xt
            for layer in layers[:-1]:
                a = f(layer(a))
            logits = layers[-1](a)[:, 0]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, yt)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()

    return best_of(steps)


def main() -> None:
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{DEPTH} hidden layers x {WIDTH} units, {N_SAMPLES} points, {STEPS} full-batch steps, "
        f"statistics recorded; best of {REPEATS}; OPENBLAS_NUM_THREADS={threads}; "
        f"load average {load:.1f} on {os.cpu_count()} cores"
    )
    X, y = two_spirals(N_SAMPLES, 0.1, 0)
    worst = 0.0
    for dtype in ("float64", "float32"):
        functions = {"floor": floor_steps(dtype)}
        for activation, init in CASES:
            functions[activation] = fit_steps(X, y, activation, init, dtype)
        best = interleaved(functions)
        floor = best["floor"]
        print(f"  matrix products alone, {dtype}: {floor:.2f} s  (the floor)")
        for activation, _init in CASES:
            seconds = best[activation]
            ratio = seconds / floor
            worst = max(worst, ratio)
            line = (
                f"  {activation:8s} {dtype}: {seconds:.2f} s  ({seconds / STEPS * 1e3:.1f} ms/step)"
                f"  = {ratio:.2f} x the floor"
            )
            torch_seconds = torch_time(X, y, activation, dtype)
            if torch_seconds is not None:
                line += f";  PyTorch {torch_seconds:.2f} s ({torch_seconds / floor:.2f} x)"
            print(line, flush=True)
    print(f"worst ratio to the floor: {worst:.2f} (target <= 1.3)")


if __name__ == "__main__":
    main()
