"""The decks' cut (tools/slides.py): lecture path only, notes, budget, a picture per slide.

These check the cut on a notebook written here, so they hold whatever the
lesson notebooks contain; tests/browser/test_slide_fit.py checks the built
decks of the lesson notebooks in a real browser.
"""

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from slides import (  # noqa: E402
    LICENCE,
    QUESTION_BUDGET,
    WORD_BUDGET,
    assign_slides,
    build_slides,
    deck_notebook,
    is_question,
    lecture_headings,
    parse_question,
    prose_words,
    slide_types,
    within_budget,
)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAV = "< [Previous](01_a.ipynb) | [Index](00_start_here.ipynb) | [Next](03_c.ipynb) >"
LONG = " ".join(f"word{n}." if n % 10 == 9 else f"word{n}" for n in range(100))  # 100 words


def markdown(text, notes=None):
    cell = nbformat.v4.new_markdown_cell(text)
    if notes is not None:
        cell.metadata["speaker_notes"] = notes
    return cell


def code(text, output=None, picture=False, tags=()):
    cell = nbformat.v4.new_code_cell(text)
    if output is not None:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    if picture:
        cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"})]
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def scratch_notebook():
    return nbformat.v4.new_notebook(
        cells=[
            markdown(f"{NAV}\n\n# A lesson\n\nOne line of introduction."),  # 0
            markdown("## Setup\n\nSETUP-TEXT"),  # 1
            code("# Setup\nfrom helpers.widgets import Question", output="SETUP-OUTPUT"),  # 2
            markdown("## 1. A section (10 min)\n\nShort prose.", notes="SAY-THIS-ALOUD"),  # 3
            code("# no output: left out\nx = 1"),  # 4
            code("# prints a number\nprint(x)", output="PRINTED-1"),  # 5
            code("# draws\nplot()", picture=True),  # 6
            markdown("*Figure:* CAPTION-TEXT"),  # 7
            markdown("After the figure. " + LONG),  # 8
            markdown("### A deep dive (optional)\n\nOPTIONAL-TEXT"),  # 9
            code("# optional\nprint(2)", output="OPTIONAL-OUTPUT"),  # 10
            markdown("#### Still optional\n\nOPTIONAL-TOO"),  # 11
            markdown("### Back on the path (5 min)\n\nPATH-AGAIN", notes="SUB-NOTES"),  # 12
            code("# the point of the slide\nshown = 3", tags=["slide-code"]),  # 13
            code(
                "# NBVAL_IGNORE_OUTPUT\n# Ask the room\n"
                'Question("Which?", {"a": "wrong: A-WHY", "b": "right: B-WHY"}, answer="b")'
            ),  # 14
            code(
                "# Exercise 1\ndef f():\n    # YOUR CODE HERE\n    raise NotImplementedError",
                output="EXERCISE-OUTPUT",
            ),  # 15
            markdown(
                f"## Summary (5 min)\n\n- a point\n\n## Further reading\n\n- FURTHER-TEXT\n\n"
                f"{NAV}\n\n{LICENCE}"
            ),  # 16
        ]
    )


def deck_text(deck, kinds=None):
    return "\n".join(
        cell.source if cell.cell_type == "markdown" else str(cell.get("outputs"))
        for cell in deck.cells
        if kinds is None or cell.metadata["slideshow"]["slide_type"] in kinds
    )


def test_deck_has_the_lecture_path_only():
    deck = deck_notebook(scratch_notebook())
    text = deck_text(deck)
    for gone in (
        "SETUP-TEXT",
        "SETUP-OUTPUT",
        "OPTIONAL-TEXT",
        "OPTIONAL-OUTPUT",
        "OPTIONAL-TOO",
        "FURTHER-TEXT",
        "EXERCISE-OUTPUT",
        "Previous",
        LICENCE,
    ):
        assert gone not in text, gone
    for kept in ("PRINTED-1", "PATH-AGAIN", "a point", "One line"):
        assert kept in text, kept
    assert [h.name for h in lecture_headings(scratch_notebook())] == [
        "A lesson", "A section", "Back on the path", "Summary",
    ]  # fmt: skip


def test_speaker_notes_and_times_go_to_the_speaker_view_only():
    deck = deck_notebook(scratch_notebook())
    notes = deck_text(deck, {"notes"})
    shown = deck_text(deck, {"slide", "subslide", "-", "fragment"})
    for text in ("SAY-THIS-ALOUD", "SUB-NOTES", "*10 min*", "CAPTION-TEXT", "B-WHY", "A-WHY"):
        assert text in notes and text not in shown, text
    assert "## 1. A section\n" in shown + "\n" and "(10 min)" not in shown


def test_code_inputs_hidden_except_slide_code():
    deck = deck_notebook(scratch_notebook())
    codes = [c for c in deck.cells if c.cell_type == "code"]
    hidden = {
        c.source.splitlines()[0]: c.metadata.get("transient", {}).get("remove_source")
        for c in codes
    }
    assert hidden == {"# prints a number": True, "# draws": True, "# the point of the slide": None}


def test_figure_and_question_get_slides_of_their_own():
    slides = build_slides(scratch_notebook())
    kinds = [(s.kind, [c.source.splitlines()[0][:20] for c in s.cells]) for s in slides]
    figure = next(s for s in slides if any(c.source == "# draws\nplot()" for c in s.cells))
    assert figure.kind == "subslide" and len(figure.cells) == 1, kinds
    question = next(s for s in slides if any("**Question.**" in c.source for c in s.cells))
    assert question.kind == "subslide", kinds
    assert [c.metadata["slideshow"]["slide_type"] for c in question.cells] == ["-", "fragment"]
    assert "A. a" in question.cells[0].source and "B. b" in question.cells[0].source
    assert question.cells[1].source.startswith("**Answer: B.**")


def test_prose_over_budget_moves_to_the_notes():
    slides = build_slides(scratch_notebook())
    after = next(s for s in slides if any("After the figure" in c.source for c in s.cells))
    shown = " ".join(c.source for c in after.cells)
    assert prose_words(shown) <= WORD_BUDGET
    assert "word99." in " ".join(after.notes) and "word99." not in shown
    assert "word0 " in shown  # the slide shows the start, in order


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Two words.", 2),
        ("Inline $a + b = c$ maths is one.", 5),
        ("Display\n\n$$\na = b + c\n$$\n\ncounts none.", 3),
        ("A [link text](http://x.org) and `code()`.", 5),
        ("- item one\n- item two", 4),
    ],
)
def test_prose_words(text, words):
    assert prose_words(text) == words


def test_within_budget_keeps_blocks_whole_and_in_order():
    text = "First para of three words.\n\n" + LONG
    shown, moved, used = within_budget(text, 0)
    assert shown == "First para of three words." and moved == LONG and used == 5
    shown, moved, used = within_budget(LONG, 0)  # a first paragraph too long: cut at sentences
    assert prose_words(shown) == 60 and shown.endswith("word59.") and moved.startswith("word60")


def test_parse_question():
    assert parse_question('Question("P?", {"x": "why x", "y": "why y"}, answer="y")') == (
        "P?", {"x": "why x", "y": "why y"}, "y",
    )  # fmt: skip
    assert parse_question("Question(prompt, options, answer=a)") is None


def test_slide_types_of_the_notebook_follow_the_deck():
    notebook = scratch_notebook()
    types = slide_types(notebook)
    assert types[0] == "slide"
    assert types[1] == types[2] == types[4] == types[9] == types[10] == types[15] == "skip"
    assert types[6] == "subslide" and types[7] == "notes"
    assert assign_slides(notebook) == len(notebook.cells)
    assert assign_slides(notebook) == 0  # idempotent


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_lesson_slide_within_budget(path):
    """The cut keeps every slide of every lesson within the budget (the browser test measures)."""
    for number, slide in enumerate(build_slides(nbformat.read(path, as_version=4)), 1):
        shown = "\n\n".join(
            "\n".join(line for line in c.source.splitlines() if not line.startswith("#"))
            for c in slide.cells
            if c.cell_type == "markdown"
            and c.metadata["slideshow"]["slide_type"] != "fragment"
            and not c.source.startswith("**Question.**")
        )
        assert prose_words(shown) <= WORD_BUDGET, f"{path.name}, slide {number}: {shown[:200]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_question_reads_as_a_poll(path):
    """A question's arguments are literal (the deck shows it as a poll) and within budget."""
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if not is_question(cell):
            continue
        parsed = parse_question(cell.source)
        assert parsed is not None, f"{path.name}, cell {index + 1}: Question( arguments not literal"
        prompt, options, _ = parsed
        words = prose_words(prompt + "\n\n" + "\n\n".join(options))
        assert words <= QUESTION_BUDGET, (
            f"{path.name}, cell {index + 1}: a question of {words} words on a slide "
            f"(budget {QUESTION_BUDGET}): {prompt[:80]!r}"
        )


def test_picture_with_printed_text_is_split():
    cell = code("# prints and draws\nprint(1); plot()", output="PRINTED")
    cell.outputs.append(nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"}))
    notebook = nbformat.v4.new_notebook(cells=[markdown("## A (1 min)\n\nText."), cell])
    slides = build_slides(notebook)
    assert [
        [o.output_type for c in s.cells if c.cell_type == "code" for o in c.outputs] for s in slides
    ] == [["stream"], ["display_data"]]
