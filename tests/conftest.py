"""Fixtures shared by every test: the exercise solutions, the moons data set, the CI rule.

pytest loads this file before any test module; test modules ask for these by
fixture name (``solution``, ``moons``, ``skip_or_fail``) rather than importing
them, because ``tests/browser/conftest.py`` is also a module called ``conftest``.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"


def in_ci() -> bool:
    """True when the environment variable CI is set (GitHub, GitLab and most CI set CI=true)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(message: str) -> None:
    """Skip on a student's machine; fail in CI, where every part of the suite must run.

    Use it wherever a test cannot run because something is missing (a program, a
    browser, a cache): a skipped test in CI would pass silently what was never tested.
    """
    if in_ci():
        pytest.fail(f"{message} (CI is set: in CI this part must run, not be skipped)", False)
    pytest.skip(message)


@functools.cache
def load_solution(number: str) -> ModuleType:
    """``solutions/NN_*.py`` for notebook ``number`` ("01" ... "07"), loaded once."""
    (path,) = SOLUTIONS.glob(f"{number}_*.py")
    spec = importlib.util.spec_from_file_location(f"solution_{number}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(name="skip_or_fail", scope="session")
def skip_or_fail_fixture():
    """The function :func:`skip_or_fail` (skip locally, fail when CI is set)."""
    return skip_or_fail


@pytest.fixture(name="solution", scope="session")
def solution_fixture():
    """The function :func:`load_solution`: ``solution("05").path_gradient``."""
    return load_solution


@pytest.fixture(scope="session")
def moons():
    """The two-moons set notebook 06 trains on: 256 points, noise 0.1, seed 0."""
    from helpers.datasets import two_moons

    return two_moons(256, noise=0.1, rng=0)
