"""The lecture plan and the notebook markup (issue 12) hold in notebooks 01-07.

Lecture 1 (50 min) = 01 + 02 + 03, Lecture 2 (50 min) = 04, Lecture 3
(50 min) = 05, the lab (90 min) = 06. Each notebook marks its sections with
their time in the lecture, ``(N min)``, or ``(optional)``; the minutes of its
lecture path must add up to at most its slot. The markup is what
tools/slides.py reads to cut the decks, so it is checked here once:

* every ``##`` heading ends with ``(N min)`` or ``(optional)``, except
  ``## Setup`` and ``## Further reading``;
* the lecture-path minutes fit the slot;
* every lecture-path ``##``/``###`` heading cell has non-empty ``speaker_notes``;
* at least two in-class ``Question(`` cells and one ``**Predict, then run.**`` cell;
* every code cell starts with a ``#`` comment line;
* the footer (last cell) ends with the licence line;
* nothing refers to ``lecture-notes.md``, ``ERRATA.md`` or ``STYLE.md`` as a
  file (they are not in the repository): notebooks, README, docs, tools.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from slides import LICENCE, LecturePath, headings, source_of  # noqa: E402

# LECTURE_PLAN_NOTEBOOKS=folder checks a copy (used to try the test on converted notebooks).
NOTEBOOKS = Path(os.environ.get("LECTURE_PLAN_NOTEBOOKS", ROOT / "notebooks"))
# Slot in minutes -> the notebooks taught in it.
LECTURES = {
    "Lecture 1": (50, ["01", "02", "03"]),
    "Lecture 2": (50, ["04"]),
    "Lecture 3": (50, ["05"]),
    "Lab session": (90, ["06"]),
}
# Optional notebooks: the same markup, their minutes a lab's, in no lecture slot.
OPTIONAL_NOTEBOOKS = ["07"]
LESSONS = sorted(n for _, numbers in LECTURES.values() for n in numbers) + OPTIONAL_NOTEBOOKS
OUTSIDE_FILES = ("lecture-notes.md", "ERRATA.md", "STYLE.md")


def notebook_path(number: str) -> Path:
    (path,) = NOTEBOOKS.glob(f"{number}_*.ipynb")
    return path


def read(number: str):
    return nbformat.read(notebook_path(number), as_version=4)


def lecture_sections(notebook):
    """(heading, on the lecture path) for every heading of ``notebook``."""
    path = LecturePath()
    return [(h, path.enter(h)) for h in headings(notebook)]


def lecture_minutes(notebook) -> int:
    return sum(h.minutes or 0 for h, on in lecture_sections(notebook) if on and h.level == 2)


@pytest.mark.parametrize("number", LESSONS)
def test_every_section_has_its_time_or_is_optional(number):
    bad = [
        h.title
        for h in headings(read(number))
        if h.level == 2 and not h.excluded and h.minutes is None and not h.optional
    ]
    assert not bad, (
        f"{notebook_path(number).name}: `##` headings without `(N min)` or `(optional)`: {bad}"
    )


@pytest.mark.parametrize("lecture", LECTURES)
def test_lecture_path_fits_its_slot(lecture):
    slot, numbers = LECTURES[lecture]
    minutes = {number: lecture_minutes(read(number)) for number in numbers}
    assert all(minutes.values()), f"{lecture}: a notebook without timed sections: {minutes}"
    assert sum(minutes.values()) <= slot, (
        f"{lecture} ({' + '.join(numbers)}): lecture paths take {minutes} = "
        f"{sum(minutes.values())} min, more than the {slot}-minute slot"
    )


@pytest.mark.parametrize("number", LESSONS)
def test_every_lecture_section_has_speaker_notes(number):
    notebook = read(number)
    missing = [
        h.title
        for h, on in lecture_sections(notebook)
        if on
        and h.level in (2, 3)
        and not str(notebook.cells[h.cell].metadata.get("speaker_notes", "")).strip()
    ]
    assert not missing, (
        f"{notebook_path(number).name}: lecture-path sections without `speaker_notes` "
        f"metadata on their heading cell: {missing}"
    )


@pytest.mark.parametrize("number", LESSONS)
def test_questions_and_predict_then_run(number):
    notebook = read(number)
    questions = [
        c for c in notebook.cells
        if c.cell_type == "code" and re.search(r"\bQuestion\(", source_of(c))
    ]  # fmt: skip
    predictions = [
        c for c in notebook.cells
        if c.cell_type == "markdown" and source_of(c).lstrip().startswith("**Predict, then run.**")
    ]  # fmt: skip
    name = notebook_path(number).name
    assert len(questions) >= 2, f"{name}: {len(questions)} in-class Question cells, at least 2"
    assert predictions, f"{name}: no markdown cell starting with **Predict, then run.**"


@pytest.mark.parametrize("number", LESSONS)
def test_every_code_cell_starts_with_a_comment(number):
    bad = []
    for index, cell in enumerate(read(number).cells):
        if cell.cell_type != "code":
            continue
        lines = [line for line in source_of(cell).splitlines() if line.strip()]
        if lines and lines[0].strip() == "# NBVAL_IGNORE_OUTPUT":
            lines = lines[1:]
        if not lines or not re.match(r"#\s*\S", lines[0]):
            bad.append(f"cell {index + 1}: {(lines or [''])[0][:60]!r}")
    assert not bad, (
        f"{notebook_path(number).name}: code cells without a first `# comment` line:\n"
        + "\n".join(bad)
    )


@pytest.mark.parametrize("number", LESSONS)
def test_footer_has_the_licence_line(number):
    last = source_of(read(number).cells[-1]).strip()
    assert last.endswith(LICENCE), (
        f"{notebook_path(number).name}: the last cell must end with the licence line:\n{LICENCE}"
    )


def referring_files():
    yield from sorted(NOTEBOOKS.glob("*.ipynb"))
    yield from sorted((ROOT / "notebooks").glob("*.ipynb"))
    yield ROOT / "README.md"
    yield from sorted((ROOT / "docs").glob("*.md"))
    yield from sorted((ROOT / "tools").glob("*.py"))
    yield ROOT / "run.py"


def test_no_reference_to_files_outside_the_repository():
    found = []
    for path in referring_files():
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":  # prose and code, not outputs or metadata
            text = "\n".join(source_of(c) for c in nbformat.reads(text, as_version=4).cells)
        for name in OUTSIDE_FILES:
            if name in text:
                found.append(f"{path.relative_to(ROOT)}: {name}")
    assert not found, (
        "references to files a person who clones the repository does not have "
        "(quote the sentence instead):\n" + "\n".join(found)
    )
