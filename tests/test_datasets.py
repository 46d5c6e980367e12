"""Tests for helpers.datasets: shapes, balance, reproducibility, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.datasets import DATASETS, circles, make_dataset, two_moons, two_spirals


@pytest.mark.parametrize("name", sorted(DATASETS))
@pytest.mark.parametrize("n_samples", [2, 7, 300])
def test_shapes_labels_and_balance(name, n_samples):
    X, y = make_dataset(name, n_samples, noise=0.1, seed=1)
    assert X.shape == (n_samples, 2) and X.dtype == np.float64
    assert y.shape == (n_samples,) and y.dtype.kind == "i"
    assert set(np.unique(y)) <= {0, 1}
    assert abs(np.sum(y == 0) - np.sum(y == 1)) <= 1
    assert np.all(np.isfinite(X))
    assert np.abs(X).max() < 5  # unit scale, suitable for the networks' inputs


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_seeded(name):
    X1, y1 = make_dataset(name, 50, seed=3)
    X2, y2 = DATASETS[name](50, 0.1, np.random.default_rng(3))
    X3, _ = make_dataset(name, 50, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_noise_free_geometry():
    X, y = circles(200, noise=0.0, rng=0, factor=0.5)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.5)
    np.testing.assert_allclose(radius[y == 1], 0.75)
    X, y = two_moons(200, noise=0.0, rng=0)
    upper = X[y == 0] + [0.5, 0.25]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    X, y = two_spirals(300, noise=0.0, rng=0, n_classes=3)
    assert set(np.unique(y)) == {0, 1, 2}


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown dataset 'blobs'"):
        make_dataset("blobs")
    with pytest.raises(ValueError, match="n_samples must be at least 2"):
        two_moons(1)
    with pytest.raises(TypeError, match="n_samples must be an integer"):
        two_moons(10.5)
    with pytest.raises(ValueError, match="noise"):
        circles(10, noise=-0.1)
    with pytest.raises(ValueError, match="noise"):
        circles(10, noise=float("nan"))
    with pytest.raises(ValueError, match="factor"):
        circles(10, factor=1.5)
    with pytest.raises(TypeError, match="rng"):
        two_spirals(10, rng="seed")
    with pytest.raises(ValueError, match="n_classes"):
        two_spirals(10, n_classes=1)
