"""The shared shape of every exercise check."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

NOT_ATTEMPTED = (
    "Not attempted yet: replace `raise NotImplementedError` with your code, "
    "then run the cell again."
)

RETURNED_NONE = "Your function returned None (a missing `return`?)."


class Wrong(Exception):
    """Raised inside a check's test function with the sentence to show the reader."""


def check_exercise(title: str, test: Callable[[], str | None]) -> bool:
    """Run ``test`` and print one verdict for the exercise called ``title``.

    ``test`` calls the reader's code and raises :class:`Wrong` with a helpful
    sentence when something is off; it may return a sentence to add to the
    success message. NotImplementedError from the reader's code means the
    exercise is untouched; any other exception is reported as a sentence, never
    as a traceback, so Run All always completes.

    Returns True when the answer is correct.
    """
    try:
        extra = test()
    except NotImplementedError:
        print(f"{title}: {NOT_ATTEMPTED}")
        return False
    except Wrong as wrong:
        print(f"{title}: not yet. {wrong}")
        return False
    except Exception as error:  # the reader's code crashed: say how, briefly
        hint = f" {RETURNED_NONE}" if "NoneType" in str(error) else ""
        print(
            f"{title}: not yet. Your code raised {type(error).__name__}: {error}.{hint} "
            "Read the message, fix the code and run the cell again."
        )
        return False
    print(f"{title}: correct!" + (f" {extra}" if extra else ""))
    return True


def expect_close(name: str, got, expected, *, where: str = "", rtol=1e-6, atol=1e-9) -> None:
    """Raise Wrong with a sentence if ``got`` differs from ``expected`` (shape, NaN, value)."""
    at = f" at {where}" if where else ""
    if got is None:  # np.asarray(None, dtype=float) is NaN: "is NaN" would mislead
        raise Wrong(f"{name}{at}: {RETURNED_NONE}")
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"{name}{at} should be a number or an array of numbers, got {got!r}.") from None
    expected = np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        raise Wrong(f"{name}{at} has shape {got.shape}, expected {expected.shape}.")
    nan = np.isnan(got) & ~np.isnan(expected)
    if np.any(nan):
        raise Wrong(f"{name}{at} is NaN where it should be a number (at {int(nan.sum())} points).")
    bad = ~np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if np.any(bad):
        index = np.flatnonzero(bad.ravel())[0]
        raise Wrong(
            f"{name}{at} is {got.ravel()[index]:.6g}, expected {expected.ravel()[index]:.6g}"
            + (f" (first mismatch of {int(bad.sum())})" if bad.size > 1 else "")
            + "."
        )
