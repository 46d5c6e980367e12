"""The shared verdicts every exercise check prints."""

import numpy as np

from helpers.checks.common import Wrong, check_exercise, expect_close


def run(capsys, test):
    result = check_exercise("Exercise 1", test)
    return result, capsys.readouterr().out


def test_untouched_exercise_says_not_attempted(capsys):
    def test():
        raise NotImplementedError

    ok, out = run(capsys, test)
    assert not ok and "Not attempted yet" in out


def test_wrong_answer_gets_the_sentence(capsys):
    def test():
        expect_close("σ'(0)", 0.5, 0.25, where="z = 0")

    ok, out = run(capsys, test)
    assert not ok and "σ'(0) at z = 0 is 0.5, expected 0.25." in out


def test_crash_is_a_sentence_not_a_traceback(capsys):
    def test():
        return 1 / 0

    ok, out = run(capsys, test)
    assert not ok and "ZeroDivisionError" in out and "Traceback" not in out


def test_right_answer(capsys):
    ok, out = run(capsys, lambda: expect_close("x", [1.0, 2.0], np.array([1.0, 2.0])))
    assert ok and "correct!" in out


def test_expect_close_names_shape_and_nan():
    for got, message in (([1.0], "shape"), (np.nan, "NaN"), ("a", "number")):
        try:
            expect_close("f(z)", got, 1.0)
        except Wrong as wrong:
            assert message in str(wrong)
        else:
            raise AssertionError("expected Wrong")
