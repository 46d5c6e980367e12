"""The shared shape of every exercise check, and the comparisons several checks make."""

from __future__ import annotations

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


def check_number(title: str, answer, test: Callable[[float], str | None]) -> None:
    """The verdict on a number typed into the notebook; ``...`` (its placeholder) is untouched."""
    if answer is Ellipsis:
        print(f"{title}: {NOT_TYPED}")
        return
    check_exercise(title, lambda: test(as_number(answer, "Your answer", finite=True)))


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


def expect_close(name: str, got, expected, *, where: str = "", rtol=1e-6, atol=1e-9) -> None:
    """Raise Wrong with a sentence if ``got`` differs from ``expected`` (shape, NaN, value)."""
    at = f" at {where}" if where else ""
    got, expected = as_array(got, f"{name}{at}"), np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        raise Wrong(f"{name}{at} has shape {got.shape}, expected {expected.shape}.")
    nan = np.isnan(got) & ~np.isnan(expected)
    if np.any(nan):
        raise Wrong(f"{name}{at} is NaN where it should be a number (at {int(nan.sum())} points).")
    bad = ~np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if np.any(bad):
        i = np.flatnonzero(bad.ravel())[0]
        raise Wrong(
            f"{name}{at} is {got.ravel()[i]:.6g}, expected {expected.ravel()[i]:.6g}"
            + (f" (first mismatch of {int(bad.sum())})" if bad.size > 1 else "")
            + "."
        )


def first_mismatch(z, got, want, *, rtol, atol):
    """The mismatch nearest z = 0 (a reader can check it by hand) as (z, got, want, count).

    None when all agree, or for other shapes or NaN (expect_close reports those).
    """
    z, got, want = (np.asarray(v, dtype=float).ravel() for v in (z, got, want))
    if got.shape != want.shape or np.any(np.isnan(got)):
        return None
    bad = ~np.isclose(got, want, rtol=rtol, atol=atol)
    if not np.any(bad):
        return None
    i = np.flatnonzero(bad)[np.argmin(np.abs(z[bad]))]
    return z[i], got[i], want[i], int(bad.sum())


def slope(f, z, step: float = 1e-5):
    """The slope of ``f`` at ``z`` by central differences: a reference independent of any f'."""
    return (f(z + step) - f(z - step)) / (2 * step)


def check_derivative_from_output(title, answer, f, symbol, z, slips, hint, success) -> None:
    """``answer(a)`` = f'(z) written with a = f(z), against ``slope(f, z)``, not a formula.

    ``slips(a)`` lists typical wrong formulas with their sentences.
    """

    def test():
        a, want = f(z), slope(f, z)
        got = as_array(answer(a.copy()), f"Your {symbol}'")
        name_slip(got, slips(a), want)
        off = first_mismatch(z, got, want, rtol=1e-6, atol=1e-9)
        if off is not None:
            at, mine, right, count = off
            raise Wrong(
                f"At z = {at:g} (a = {f(at):.4g}) yours gives {mine:.6g}, expected {right:.6g}, "
                f"the slope of {symbol} there measured by finite differences ({count} of the "
                f"{z.size} points are off). {hint}"
            )
        where = f"{z.size} points of z in [{z[0]:g}, {z[-1]:g}] (compared with finite differences)"
        expect_close(f"Your {symbol}'(z)", got, want, where=where)
        return f"Your {symbol}' matches the slope measured by finite differences. {success}"

    check_exercise(title, test)
