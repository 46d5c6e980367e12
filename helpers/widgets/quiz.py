"""In-class questions: multiple choice with a Check button and feedback (ipywidgets).

A :class:`Question` works two ways: **alone**, a student picks an option and presses
*Check*, and the feedback says whether it is right and, for a wrong option, why it is
wrong; **as a poll**, the lecturer asks the room first, then presses *Reveal all*: every
option is shown with its explanation, the right one marked. In a notebook::

    Question(
        "Which factor makes a deep sigmoid network's gradient vanish?",
        {
            "σ(z) close to 0": "No: σ(z) is the output; the chain rule multiplies slopes.",
            "σ'(z) ≤ 0.25": "Yes: every layer multiplies in a slope of at most 0.25.",
        },
        answer="σ'(z) ≤ 0.25",
    )
"""

from __future__ import annotations

import html

import ipywidgets as widgets

_RIGHT = "#009E73"  # Okabe-Ito bluish green
_WRONG = "#D55E00"  # Okabe-Ito vermillion


class Question(widgets.VBox):
    """A multiple-choice question: ``prompt`` (plain text; ``$...$`` maths is shown as
    typed), ``options`` (option -> one sentence saying why it is right or wrong) and
    the right ``answer``, one of the options."""

    def __init__(self, prompt: str, options: dict[str, str], answer: str):
        if not isinstance(prompt, str) or not prompt.strip():
            raise ValueError("prompt must be a non-empty string")
        if not isinstance(options, dict) or len(options) < 2:
            raise ValueError("options must be a dict of at least two options and explanations")
        if answer not in options:
            raise ValueError(f"answer {answer!r} is not one of the options {list(options)}")
        self.prompt, self.options, self.answer = prompt, dict(options), answer
        self.choice = widgets.RadioButtons(
            options=list(self.options), value=None, layout=widgets.Layout(width="auto")
        )
        self.check_button = widgets.Button(description="Check", button_style="primary")
        self.reveal_button = widgets.Button(description="Reveal all")
        self.feedback = widgets.HTML()
        self.check_button.on_click(lambda _: self.check())
        self.reveal_button.on_click(lambda _: self.reveal())
        title = widgets.HTML(f"<b>Question.</b> {html.escape(prompt)}")
        buttons = widgets.HBox([self.check_button, self.reveal_button])
        super().__init__([title, self.choice, buttons, self.feedback])
        self.choice.add_class("lesson-choice")
        self.feedback.add_class("lesson-feedback")
        self.add_class("lesson-question")

    def check(self) -> bool | None:
        """Judge the selected option and show why; None when nothing is selected."""
        picked = self.choice.value
        if picked is None:
            self.feedback.value = "<span role='status'>Pick an option first.</span>"
            return None
        right = picked == self.answer
        colour, verdict = (_RIGHT, "Right.") if right else (_WRONG, "Not quite.")
        self.feedback.value = (
            f"<div role='status' style='border-left:4px solid {colour};padding-left:6px'>"
            f"<b>{verdict}</b> {html.escape(self.options[picked])}</div>"
        )
        return right

    def reveal(self) -> None:
        """Show every option with its explanation, the right one marked (poll mode)."""
        rows = []
        for option, why in self.options.items():
            mark, colour = ("✔ right", _RIGHT) if option == self.answer else ("✘ wrong", _WRONG)
            rows.append(
                f"<li><b style='color:{colour}'>{mark}</b>: {html.escape(option)}: "
                f"{html.escape(why)}</li>"
            )
        self.feedback.value = f"<ul role='status'>{''.join(rows)}</ul>"
