"""The shared shape of every exercise check, and the comparisons several checks make."""

import functools
from collections.abc import Callable

import numpy as np

NOT_ATTEMPTED = (
    "Not attempted yet: replace `raise NotImplementedError` with your code, "
    "then run the cell again."
)
NOT_TYPED = "Not attempted yet: replace `...` with your number, then run the cell again."
RETURNED_NONE = "Your function returned None (a missing `return`?)."


class Wrong(Exception):
    """Raised inside a check's test function with the sentence to show the reader."""


def check_exercise(title: str, test: Callable[[], str | None]) -> bool:
    """Run ``test`` and print one verdict for the exercise ``title``; True when correct.

    ``test`` raises :class:`Wrong` with a helpful sentence, or returns one to add to
    "correct!". NotImplementedError means untouched; any other error becomes a sentence,
    never a traceback, so Run All always completes.
    """
    try:
        extra = test()
    except NotImplementedError:
        verdict = NOT_ATTEMPTED
    except Wrong as wrong:
        verdict = f"not yet. {wrong}"
    except Exception as error:  # the reader's code crashed: say how, briefly
        hint = f" {RETURNED_NONE}" if "NoneType" in str(error) else ""
        verdict = (
            f"not yet. Your code raised {type(error).__name__}: {error}.{hint} "
            "Read the message, fix the code and run the cell again."
        )
    else:
        verdict = "correct!" + (f" {extra}" if extra else "")
    print(f"{title}: {verdict}")
    return verdict.startswith("correct!")


def exercise(title: str, *, typed: bool = False):
    """Make ``test(answer)`` the check a notebook calls, with :func:`check_exercise`'s verdict.

    A ``typed`` answer is a number typed into the notebook: ``...`` (its placeholder) is
    untouched, anything else must be one finite number.
    """

    def decorate(test):
        @functools.wraps(test)
        def check(answer, **options) -> None:
            def run():
                got = as_number(answer, "Your answer", finite=True) if typed else answer
                return test(got, **options)

            if typed and answer is Ellipsis:
                print(f"{title}: {NOT_TYPED}")
            else:
                check_exercise(title, run)

        return check

    return decorate


def as_array(got, what: str) -> np.ndarray:
    """``got`` as a float array, or Wrong naming what came back instead."""
    if got is None:  # np.asarray(None, dtype=float) is NaN: "is NaN" would mislead
        raise Wrong(f"{what}: {RETURNED_NONE}")
    if isinstance(got, (str, bytes)):
        raise Wrong(f"{what} should be a number or an array of numbers, not the text {got!r}.")
    try:
        return np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"{what} should be a number or an array of numbers, got {got!r}.") from None


def as_number(got, what: str, *, finite: bool = False) -> float:
    """``got`` as one float (not a bool, not an array), or Wrong saying what it is."""
    if isinstance(got, bool):
        raise Wrong(f"{what} should be a number, not {got}.")
    value = as_array(got, what)
    if value.shape != ():
        raise Wrong(f"{what} should be one number, got an array of shape {value.shape}.")
    if finite and not np.isfinite(value):
        raise Wrong(f"{what} should be a finite number, got {float(value)}.")
    return float(value)


def name_slip(got, slips, want=None, *, rtol=1e-6, atol=1e-9) -> None:
    """Raise Wrong with the sentence of the first (value, sentence) slip ``got`` matches.

    A slip that happens to give the right answer ``want`` is skipped.
    """
    for slip, sentence in slips:
        same = np.shape(slip) == np.shape(got) and np.allclose(got, slip, rtol=rtol, atol=atol)
        if same and (want is None or not np.allclose(slip, want, rtol=rtol, atol=atol)):
            raise Wrong(sentence)


def expect_close(
    name, got, expected, *, where="", z=None, why=None, rtol=1e-6, atol=1e-9, fmt=".6g"
):
    """Raise Wrong with a sentence if ``got`` differs from ``expected`` (shape, NaN, value).

    With the inputs ``z``, the mismatch named is the one nearest z = 0 (a reader can check
    it by hand), and ``why(z, got, want)`` there may add a sentence.
    """
    at = f" at {where}" if where else ""
    got, expected = as_array(got, f"{name}{at}"), np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        raise Wrong(f"{name}{at} has shape {got.shape}, expected {expected.shape}.")
    nan = np.isnan(got) & ~np.isnan(expected)
    if np.any(nan):
        raise Wrong(f"{name}{at} is NaN where it should be a number (at {int(nan.sum())} points).")
    bad = np.flatnonzero(~np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True))
    if bad.size:
        i = bad[np.argmin(np.abs(np.ravel(z)[bad]))] if z is not None else bad[0]
        mine, right = got.ravel()[i], expected.ravel()[i]
        start = f"At z = {np.ravel(z)[i]:g} {name}" if z is not None else f"{name}{at}"
        raise Wrong(
            f"{start} is {mine:{fmt}}, expected {right:{fmt}}"
            + (f" ({bad.size} of {got.size} points are off)" if got.size > 1 else "")
            + "."
            + (why(np.ravel(z)[i], mine, right) if why else "")
        )


def slope(f, z, step: float = 1e-5):
    """The slope of ``f`` at ``z`` by central differences: a reference independent of any f'."""
    return (f(z + step) - f(z - step)) / (2 * step)


def slope_test(answer, f, symbol, z, slips, hint, success) -> str:
    """Test ``answer(a)`` = f'(z), written with a = f(z), against ``slope(f, z)``, not a formula.

    ``slips(a)`` lists typical wrong formulas with their sentences.
    """
    a, want = f(z), slope(f, z)
    got = as_array(answer(a.copy()), f"Your {symbol}'")
    name_slip(got, slips(a), want)

    def why(at, mine, right):
        return (
            f" There a = {f(at):.4g}, and {right:.6g} is the slope of {symbol} measured by "
            f"finite differences. {hint}"
        )

    expect_close(f"your {symbol}'(z)", got, want, z=z, why=why)
    return f"Your {symbol}' matches the slope measured by finite differences. {success}"
