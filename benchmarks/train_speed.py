"""Training speed of helpers.mlp: the issue's interactive budget.

A 10-hidden-layer, 64-unit network on 1,000 points (two spirals), 300
full-batch gradient-descent steps with every per-layer statistic recorded
(target: at most 1 s). Best of three runs per case, in this process, with
whatever BLAS threading NumPy picks (set OPENBLAS_NUM_THREADS to compare).

    python3 run.py bench benchmarks/train_speed.py
"""

from __future__ import annotations

import os
import time

from helpers.datasets import two_spirals
from helpers.mlp import fit

DEPTH, WIDTH, N_SAMPLES, STEPS, REPEATS = 10, 64, 1000, 300, 3


def best_time(**settings) -> float:
    X, y = two_spirals(N_SAMPLES, 0.1, 0)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fit(X, y, depth=DEPTH, width=WIDTH, steps=STEPS, eta=0.1, seed=0, **settings)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(
        f"{DEPTH} hidden layers x {WIDTH} units, {N_SAMPLES} points, {STEPS} full-batch steps, "
        f"statistics recorded; best of {REPEATS}; OPENBLAS_NUM_THREADS={threads}"
    )
    for dtype in ("float64", "float32"):
        for activation, init in (("sigmoid", "xavier"), ("relu", "he")):
            seconds = best_time(activation=activation, init=init, dtype=dtype)
            print(
                f"  {activation:8s} {dtype}: {seconds:.2f} s  ({seconds / STEPS * 1e3:.1f} ms/step)"
            )


if __name__ == "__main__":
    main()
