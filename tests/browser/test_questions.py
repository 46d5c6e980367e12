"""The in-class Question widget in a real browser: JupyterLab and Voila (presenting).

A scratch notebook written by the test (so it does not depend on the lesson
notebooks) shows one ``Question``. In JupyterLab (the lab_server fixture, Run
All) and in Voila (served as ``python3 run.py present`` does, lecture mode on),
the test does what a student and a lecturer do:

1. picks a wrong option and presses *Check*: the feedback says "Not quite."
   and explains why that option is wrong (its own explanation, not another's);
2. picks the right option and presses *Check*: "Right." and why;
3. presses *Reveal all* (the poll: ask the room, then reveal): every option is
   listed with its explanation, the right one marked.

Options are picked with the mouse in JupyterLab and with the keyboard in
Voila (Tab to the group, arrow keys). No request leaves the machine in Voila.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import present, run_artifacts
from test_notebooks_in_browser import PAGE_SCRIPT, Report, open_and_run_all

NAME = "question_scratch.ipynb"
PROMPT = "Which factor makes a deep sigmoid network's gradient vanish?"
OPTIONS = {
    "σ(z) close to 0": "WRONG-WHY: σ(z) is the output; the chain rule multiplies slopes σ'(z).",
    "σ'(z) at most 0.25": "RIGHT-WHY: every layer multiplies in a slope of at most 0.25.",
    "the learning rate": "OTHER-WHY: η scales the update, not the gradient.",
}
ANSWER = "σ'(z) at most 0.25"
WRONG = "σ(z) close to 0"


def write_scratch(folder: Path) -> Path:
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# A question\n\nAsk the room first."),
            nbformat.v4.new_code_cell(
                "# Setup: the question widget, lecture sizes when LESSONS_LECTURE=1\n"
                "from helpers.plotting import use_style\n"
                "from helpers.widgets import Question\n\nuse_style()"
            ),
            nbformat.v4.new_code_cell(
                f"# NBVAL_IGNORE_OUTPUT\n# An in-class question\n"
                f"Question({PROMPT!r}, {OPTIONS!r}, answer={ANSWER!r})"
            ),
        ]
    )
    notebook.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python",
    }  # fmt: skip
    path = folder / NAME
    nbformat.write(notebook, path)
    return path


def answer_wrong_right_reveal(page, pick) -> None:
    """The three steps on the page's first question; ``pick(question, option)`` selects."""
    question = page.locator(".lesson-question").first
    question.wait_for(timeout=60_000)
    assert PROMPT in question.inner_text()
    feedback = question.locator(".lesson-feedback")
    check = question.get_by_role("button", name="Check")

    pick(question, WRONG)
    check.click()
    feedback.get_by_text("Not quite.").wait_for(timeout=15_000)
    text = feedback.inner_text()
    assert "WRONG-WHY" in text, f"a wrong answer must say why it is wrong: {text!r}"
    assert "RIGHT-WHY" not in text and "OTHER-WHY" not in text, text
    assert feedback.get_by_role("status").count() == 1  # read out by screen readers

    pick(question, ANSWER)
    check.click()
    feedback.get_by_text("Right.").wait_for(timeout=15_000)
    text = feedback.inner_text()
    assert "RIGHT-WHY" in text and "WRONG-WHY" not in text, text

    question.get_by_role("button", name="Reveal all").click()
    feedback.get_by_text("OTHER-WHY").wait_for(timeout=15_000)
    items = feedback.locator("li").all_inner_texts()
    assert len(items) == len(OPTIONS), items
    for item, (option, why) in zip(items, OPTIONS.items(), strict=True):
        mark = "✔ right" if option == ANSWER else "✘ wrong"
        assert item.startswith(mark) and option in item and why in item, item


def pick_by_mouse(question, option: str) -> None:
    radio = question.get_by_role("radio", name=option)
    radio.click()
    assert radio.is_checked()


def pick_by_keyboard(question, option: str) -> None:
    """Focus the radio group, then arrow keys until ``option`` is checked (as a keyboard user)."""
    radios = question.get_by_role("radio")
    names = [r.evaluate("e => e.parentElement.innerText.trim()") for r in radios.all()]
    target = names.index(option)
    checked = [i for i, r in enumerate(radios.all()) if r.is_checked()]
    if not checked:
        radios.nth(0).focus()
        radios.nth(0).press("Space")
        checked = [0]
    current = checked[0]
    while current != target:
        key = "ArrowDown" if target > current else "ArrowUp"
        radios.nth(current).press(key)
        current += 1 if key == "ArrowDown" else -1
    assert radios.nth(target).is_checked(), f"{option!r} not selected by the arrow keys"


def test_question_in_jupyterlab(lab_server, browser, artifacts):
    write_scratch(lab_server.root)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"uncaught JavaScript error: {error}"))
    page.add_init_script(PAGE_SCRIPT)
    try:
        open_and_run_all(page, lab_server, NAME, Report(NAME))
        answer_wrong_right_reveal(page, pick_by_mouse)
        page.locator(".lesson-question").first.screenshot(path=artifacts / "question_lab.png")
        assert not errors, errors
    finally:
        context.close()


@pytest.fixture(scope="module")
def voila_question(tmp_path_factory, chromium_path):
    """The scratch notebook presented as ``python3 run.py present`` does (lecture mode, token)."""
    base = tmp_path_factory.mktemp("voila-question")
    root = base / "notebooks"
    root.mkdir()
    write_scratch(root)
    log = run_artifacts() / "voila_question.log"
    with present(root, base=base, log=log, name="question-test") as server:
        yield server


def test_question_presented_in_voila(voila_question, browser, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    problems: list[str] = []
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(voila_question.url):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()  # a lecture hall without network (Voila's icon font is refused)

    page.route("**/*", route)
    page.on("pageerror", lambda error: problems.append(f"uncaught JavaScript error: {error}"))
    try:
        page.goto(voila_question.page(f"/voila/render/{NAME}"), timeout=120_000)
        page.locator(".lesson-question").first.wait_for(timeout=120_000)
        assert "from helpers.widgets import Question" not in page.locator("body").inner_text()
        answer_wrong_right_reveal(page, pick_by_keyboard)
        page.locator(".lesson-question").first.screenshot(path=artifacts / "question_voila.png")
        assert not problems, problems
    finally:
        context.close()
