"""Shared helpers for the claims tests (issue 11): what a notebook's prose says.

Each ``tests/claims/test_claims_NN.py`` recomputes a number from the helpers and
asserts that the notebook's markdown states it, so changing either side alone
fails. The readers below (cells_of, code_of, questions_of, speaker_notes_of) are
plain functions; markdown_of and states are fixtures of the same name too::

    def test_sigmoid_peak(markdown_of, states):
        text = markdown_of("02_sigmoid", section="2. The derivative")
        assert states(text, f"at most {get_activation('sigmoid').df(0.0):.2f}")
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def markdown_of(notebook_name: str, section: str | None = None) -> str:
    """The markdown a student reads in ``notebooks/<notebook_name>`` (``.ipynb`` optional).

    With ``section``, only the cells from the first heading containing that text
    up to the next heading of the same or a higher level. Speaker notes (cell
    metadata) are not included: students never see them.
    """
    name = notebook_name if notebook_name.endswith(".ipynb") else notebook_name + ".ipynb"
    cells = nbformat.read(NOTEBOOKS / name, as_version=4).cells
    text = "\n\n".join(c.source for c in cells if c.cell_type == "markdown")
    if section is None:
        return text
    headings = list(re.finditer(r"^(#{1,6}) (.*)$", text, flags=re.M))
    for i, heading in enumerate(headings):
        if section in heading.group(2):
            level = len(heading.group(1))
            end = next(
                (h.start() for h in headings[i + 1 :] if len(h.group(1)) <= level), len(text)
            )
            return text[heading.start() : end]
    raise LookupError(f"{name} has no heading containing {section!r}")


def cells_of(notebook_name: str) -> list:
    """The cells of ``notebooks/<notebook_name>.ipynb``."""
    return nbformat.read(NOTEBOOKS / f"{notebook_name}.ipynb", as_version=4).cells


def code_of(notebook_name: str) -> str:
    """The source of every code cell, joined."""
    return "\n".join(c.source for c in cells_of(notebook_name) if c.cell_type == "code")


def questions_of(notebook_name: str) -> str:
    """The source of every in-class Question cell (what a student reads as the question)."""
    return "\n".join(c.source for c in cells_of(notebook_name) if "Question(" in c.source)


def speaker_notes_of(notebook_name: str) -> str:
    """Every heading cell's speaker notes (what only the lecturer sees), joined."""
    return "\n".join(c.metadata.get("speaker_notes", "") for c in cells_of(notebook_name))


def states(text: str, claim: str) -> bool:
    """True when ``text`` contains ``claim``, any run of whitespace matching any other.

    A quoted block's ``>`` line markers count as whitespace on both sides (a reader
    does not read them): check a box's presence with a plain ``in``.
    """

    def words(s: str) -> str:
        return " ".join(re.sub(r"^>[ ]?", " ", s, flags=re.M).split())

    return words(claim) in words(text)


@pytest.fixture(name="markdown_of")
def markdown_of_fixture():
    """The function :func:`markdown_of`."""
    return markdown_of


@pytest.fixture(name="states")
def states_fixture():
    """The function :func:`states`."""
    return states
