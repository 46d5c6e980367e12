"""The in-class Question widget: right and wrong answers get their explanation."""

import pytest

from helpers.widgets import Question

OPTIONS = {
    "slope": "Yes: the chain rule multiplies slopes.",
    "output": "No: outputs are not factors.",
}


def test_right_and_wrong_answers_explain_themselves():
    question = Question("Which factor?", OPTIONS, answer="slope")
    assert question.check() is None
    assert "Pick an option" in question.feedback.value
    question.choice.value = "output"
    assert question.check() is False
    assert "Not quite" in question.feedback.value and "not factors" in question.feedback.value
    question.choice.value = "slope"
    assert question.check() is True
    assert "Right" in question.feedback.value and "multiplies slopes" in question.feedback.value


def test_reveal_shows_every_option_with_its_reason():
    question = Question("Which factor?", OPTIONS, answer="slope")
    question.reveal()
    for option, why in OPTIONS.items():
        assert option in question.feedback.value and why.split(":")[0] in question.feedback.value
    assert question.feedback.value.count("✔") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", OPTIONS, "slope"), "prompt"),
        (("Q?", {"only": "one"}, "only"), "at least two"),
        (("Q?", OPTIONS, "missing"), "not one of the options"),
    ],
)
def test_bad_questions_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        Question(*args)
