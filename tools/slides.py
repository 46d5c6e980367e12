"""Lecture decks from the notebooks' markup: the lecture path only, slides that fit.

The notebooks are written once, for reading; the deck is cut from them by the
markup every notebook follows (BRIEF/issue 12):

* **Lecture path only.** Everything under a heading ending in ``(optional)``,
  down to the next heading of the same or a higher level, is left out of the
  deck, and so are ``## Setup`` and ``## Further reading``. The reading pages
  (the notebooks, ``python3 run.py build``'s ``NN_name.html``) keep everything.
* **One idea per slide.** ``#`` (the title) and ``##`` start a slide, ``###`` a
  sub-slide (down from its slide in reveal.js). A heading's ``(N min)`` is not
  shown on the slide; the speaker view starts with it.
* **Speaker notes.** The ``speaker_notes`` metadata string of a heading cell
  becomes the notes of that slide (a ``notes`` cell: reveal.js's speaker view,
  the *S* key); a reader of the notebook never sees it.
* **A text budget.** A slide shows at most ``WORD_BUDGET`` (60) words of prose,
  not counting its heading (inline maths counts as one word, display maths,
  code outputs and figures as none). Prose beyond the budget is not dropped:
  it moves, whole paragraphs or list items at a time (sentences when the
  slide's first paragraph alone is too long), into that slide's speaker notes,
  so the lecturer still has it in the speaker view and the student on the
  reading page.
* **Code that is not the point is left out.** Code inputs are hidden and their
  outputs kept (the numbers a demonstration prints); a code cell without
  output, and an exercise's code cell, is left out. A code cell tagged
  ``slide-code`` keeps its input.
* **A figure or a demo gets a slide of its own** (a sub-slide), its
  ``*Figure:*`` caption going into that slide's notes; prose after it starts a
  new sub-slide. A demo shows its controls and its figure; its text readout and
  caption (from the saved widget state) go into the notes, since a static deck
  cannot recompute them anyway (live demos: ``python3 run.py present``).
* **Questions as polls.** A ``Question(prompt, {option: why}, answer=...)``
  cell becomes a sub-slide with the prompt and the options lettered A, B, C
  (at most ``QUESTION_BUDGET``, 100, words: a question is read whole);
  the next key press reveals the answer (a reveal.js fragment), and the notes
  hold every option's explanation (the lecturer says why; the slide stays
  short). A static deck has no kernel to run the widget's Check button; live,
  in Voila, the widget itself works.
* Navigation lines and the licence line are left out of the deck (the index
  page carries the licence).

``deck_notebook(notebook)`` returns the deck as a new notebook (cells with
reveal.js slide types, ready for nbconvert's SlidesExporter);
``tools/build_site.py`` builds the decks from it. ``assign_slides(notebook)``
writes the same cut into the notebook's own ``metadata.slideshow.slide_type``
(cells left out: ``skip``; captions: ``notes``), so ``jupyter nbconvert --to
slides`` and RISE see the lecture path too; ``tools/execute_notebooks.py``
calls it on every execution. The build never relies on that metadata: it cuts
the deck from the markup every time.

Usage: python tools/slides.py [--check] notebooks/NN_name.ipynb ...
(``--check`` changes nothing and exits 1 if a notebook's slide types are not up to date.)
"""

from __future__ import annotations

import ast
import copy
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

WORD_BUDGET = 60  # words of prose on one slide; the rest goes into its speaker notes
# A question must be read whole to be answered: its prompt and options have their own budget.
QUESTION_BUDGET = 100  # words; a longer question fails tests/test_slides.py (shorten it)
POLL_TAG = "lesson-poll"  # deck cells of a question (a CSS class in the deck)
# The deck's page at lecture size (tools/build_site.py's DECK_CSS): 1280 x 720 px, prose at
# 30 px (about 75 characters a line), code output at 20 px (about 100 characters a line).
# Content estimated taller than SLIDE_HEIGHT starts a new sub-slide (the browser test measures).
SLIDE_HEIGHT = 500  # px of content a slide takes (720 minus margins, slide number, controls)
PROSE_LINE, PROSE_CHARS = 42, 65  # px per line of prose, characters per line
OUTPUT_LINE, OUTPUT_CHARS = 26, 100  # px per line of text output, characters per line
EXCLUDED_SECTIONS = ("setup", "further reading")  # `## Setup`, `## Further reading`
SLIDE_CODE_TAG = "slide-code"  # a code cell that is the point of its slide: input shown
LICENCE = "Code: MIT licence; prose and figures: CC BY 4.0 (see LICENSE and LICENSE-CONTENT)."

NAVIGATION = re.compile(r"^(< )?(\[[^\]]+\]\([^)]+\))( \| \[[^\]]+\]\([^)]+\))*( >)?$")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
MINUTES = re.compile(r"\s*\((\d+)\s*min\)\s*$")
OPTIONAL = re.compile(r"\s*\(optional\)\s*$", re.IGNORECASE)
PICTURES = ("image/png", "image/svg+xml", "image/jpeg", "application/vnd.jupyter.widget-view+json")
FENCE = re.compile(r"^\s*(```|~~~)")


# ---------------------------------------------------------------- the markup


def source_of(cell) -> str:
    source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
    return source


@dataclass
class Heading:
    level: int
    title: str  # as written, with its "(N min)" or "(optional)"
    cell: int  # index of the cell it is in

    @property
    def minutes(self) -> int | None:
        match = MINUTES.search(self.title)
        return int(match.group(1)) if match else None

    @property
    def optional(self) -> bool:
        return bool(OPTIONAL.search(self.title))

    @property
    def name(self) -> str:
        """The title without its time or optional mark and without a "3." number."""
        name = OPTIONAL.sub("", MINUTES.sub("", self.title))
        return re.sub(r"^\d+(\.\d+)*\.?\s+", "", name).strip()

    @property
    def excluded(self) -> bool:
        """``## Setup`` and ``## Further reading``: never in a deck, no time."""
        return self.name.lower() in EXCLUDED_SECTIONS

    @property
    def shown_title(self) -> str:
        """The title as the slide shows it (no time; the speaker view has it)."""
        return MINUTES.sub("", self.title).strip()


def split_markdown(text: str) -> list[tuple[Heading | None, str]]:
    """``text`` cut before each heading line (outside code fences).

    Returns (heading or None, the heading's line and the text up to the next
    heading) pairs; the first has no heading when the text does not start with one.
    """
    parts: list[tuple[Heading | None, list[str]]] = [(None, [])]
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            parts.append((Heading(len(match.group(1)), match.group(2), -1), [line]))
        else:
            parts[-1][1].append(line)
    return [(h, "\n".join(lines)) for h, lines in parts if h is not None or "".join(lines).strip()]


def headings(notebook) -> list[Heading]:
    """Every markdown heading of the notebook, in order."""
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            for heading, _ in split_markdown(source_of(cell)):
                if heading is not None:
                    heading.cell = index
                    found.append(heading)
    return found


class LecturePath:
    """Tracks, heading by heading, whether the text is on the lecture path."""

    def __init__(self):
        self.skip_level: int | None = None  # inside an optional/excluded part of this level

    def enter(self, heading: Heading) -> bool:
        """Move past ``heading``; True when what follows it is on the lecture path."""
        if self.skip_level is not None and heading.level <= self.skip_level:
            self.skip_level = None
        if self.skip_level is None and (heading.optional or heading.excluded):
            self.skip_level = heading.level
        return self.skip_level is None

    @property
    def on(self) -> bool:
        return self.skip_level is None


def lecture_headings(notebook) -> list[Heading]:
    """The headings on the lecture path (what the deck shows)."""
    path = LecturePath()
    return [h for h in headings(notebook) if path.enter(h)]


# ---------------------------------------------------------------- words


def prose_words(markdown: str) -> int:
    """Words of prose in ``markdown``, as the slide budget counts them.

    Display maths and code blocks count as nothing (they are the formulas and
    code of the slide, not prose), inline maths and inline code as one word
    each, a link as its text; markdown and HTML markup is not counted.
    """
    text = re.sub(r"\$\$.*?\$\$", " ", markdown, flags=re.S)
    text = re.sub(r"\\\[.*?\\\]", " ", text, flags=re.S)
    text = re.sub(r"^\s*(```|~~~).*?^\s*(```|~~~)", " ", text, flags=re.S | re.M)
    text = re.sub(r"(?<!\\)\$[^$]+\$", " M ", text)
    text = re.sub(r"`[^`]*`", " C ", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r" \1 ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return sum(1 for token in text.split() if re.search(r"\w", token))


def _blocks(markdown: str) -> list[str]:
    """Markdown cut into blocks: paragraphs, list items, quotes, tables, maths, code."""
    blocks: list[list[str]] = []
    current: list[str] = []
    fenced = maths = False

    def close():
        nonlocal current
        if any(line.strip() for line in current):
            blocks.append(current)
        current = []

    for line in markdown.splitlines():
        stripped = line.strip()
        if fenced or maths:
            current.append(line)
            if fenced and FENCE.match(line):
                fenced = False
                close()
            elif maths and stripped.endswith("$$"):
                maths = False
                close()
            continue
        if FENCE.match(line):
            close()
            current.append(line)
            fenced = True
        elif stripped.startswith("$$"):
            close()
            current.append(line)
            if not (len(stripped) > 2 and stripped.endswith("$$")):
                maths = True
            else:
                close()
        elif not stripped:
            close()
        elif re.match(r"^\s{0,3}([-*+]|\d+[.)])\s", line):
            close()  # each list item is a block of its own
            current.append(line)
        else:
            current.append(line)
    close()
    return ["\n".join(block) for block in blocks]


def _sentences(paragraph: str) -> list[str]:
    """A paragraph cut after each full stop, question or exclamation mark."""
    parts = re.split(r"(?<=[.!?])\s+", paragraph.strip())
    return [p for p in parts if p]


def within_budget(markdown: str, used: int, budget: int = WORD_BUDGET) -> tuple[str, str, int]:
    """Split ``markdown`` into what a slide with ``used`` words can still show and the rest.

    Returns (shown, moved to the notes, words used afterwards). Blocks are kept
    whole and in order; once one does not fit, it and everything after it move.
    Only when the slide has no prose yet is a too-long paragraph cut between
    sentences, so that a slide never shows its heading alone.
    """
    shown: list[str] = []
    moved: list[str] = []
    for block in _blocks(markdown):
        if moved:
            moved.append(block)
            continue
        words = prose_words(block)
        if used + words <= budget:
            shown.append(block)
            used += words
        elif used == 0 and not block.lstrip().startswith(("$$", "```", "~~~", "|")):
            keep, rest = [], []
            for sentence in _sentences(block):
                count = prose_words(sentence)
                if not rest and used + count <= budget:
                    keep.append(sentence)
                    used += count
                else:
                    rest.append(sentence)
            if keep:
                shown.append(" ".join(keep))
            if rest:
                moved.append(" ".join(rest))
        else:
            moved.append(block)
    return "\n\n".join(shown), "\n\n".join(moved), used


# ---------------------------------------------------------------- questions


def parse_question(source: str) -> tuple[str, dict[str, str], str] | None:
    """(prompt, {option: why}, answer) of a ``Question(...)`` call, if its arguments are literal."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Question"
        ):
            try:
                args = [ast.literal_eval(a) for a in node.args]
                kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
            except ValueError:
                return None
            names = ("prompt", "options", "answer")
            values = dict(zip(names, args, strict=False)) | kwargs
            if all(n in values for n in names) and isinstance(values["options"], dict):
                return values["prompt"], values["options"], values["answer"]
    return None


def is_question(cell) -> bool:
    return cell.cell_type == "code" and re.search(r"\bQuestion\(", source_of(cell)) is not None


# ---------------------------------------------------------------- the deck


@dataclass
class Slide:
    kind: str  # "slide" or "subslide"
    cells: list = field(default_factory=list)  # deck cells shown on it
    notes: list[str] = field(default_factory=list)  # markdown for the speaker view
    words: int = 0  # prose words shown
    height: int = 0  # estimated px of content
    closed: bool = False  # a figure/demo/question slide: later content needs a new sub-slide
    moved: bool = False  # prose went to the notes: later prose on this slide goes there too


def _text_height(text: str, line: int, chars: int) -> int:
    lines = sum(max(1, -(-len(row) // chars)) for row in text.splitlines())
    return 16 + line * lines


def estimated_height(cell) -> int:
    """Roughly how many px ``cell`` takes on a slide (prose, headings, maths, text output)."""
    if cell.cell_type == "markdown":
        total = 0
        for block in _blocks(source_of(cell)):
            if block.lstrip().startswith("#"):
                total += 80
            elif block.lstrip().startswith("$$"):
                lines = block.count("\\\\") + 1  # rows of an aligned block
                total += 30 + lines * (75 if "\\frac" in block else 48)
            else:
                plain = re.sub(r"\$[^$]*\$", "xxxx", block)
                total += _text_height(plain, PROSE_LINE, PROSE_CHARS)
        return total
    text = ""
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if output.get("output_type") == "stream":
            text += "".join(output.get("text", ""))
        elif "text/plain" in data and not any(mime in data for mime in PICTURES):
            text += "".join(data["text/plain"]) + "\n"
    height = _text_height(text.rstrip("\n"), OUTPUT_LINE, OUTPUT_CHARS) if text else 0
    if SLIDE_CODE_TAG in cell.metadata.get("tags", []):
        height += _text_height(source_of(cell), OUTPUT_LINE, OUTPUT_CHARS)
    return height


def _md(text: str, origin: int, slide_type: str = "-"):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["slideshow"] = {"slide_type": slide_type}
    cell.metadata["deck_origin"] = origin
    return cell


def _is_exercise(cell) -> bool:
    source = source_of(cell)
    first = source.lstrip().splitlines()[0] if source.strip() else ""
    return "YOUR CODE" in source or first.lower().startswith("# exercise")


def _is_picture(output) -> bool:
    return any(mime in output.get("data", {}) for mime in PICTURES)


def _shows_picture(cell) -> bool:
    return cell.cell_type == "code" and any(_is_picture(o) for o in cell.get("outputs", []))


def _demo_texts(notebook, cell) -> list[str]:
    """The readout and caption (HTML) of the demo ``cell`` displays, from the saved widget state."""
    state = (
        notebook.metadata.get("widgets", {})
        .get("application/vnd.jupyter.widget-state+json", {})
        .get("state", {})
    )
    texts = []
    for output in cell.get("outputs", []):
        view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
        model = state.get(view["model_id"], {}).get("state", {}) if view else {}
        if "lesson-demo" not in model.get("_dom_classes", []):
            continue
        for child in model.get("children", []):
            child_state = state.get(str(child).removeprefix("IPY_MODEL_"), {}).get("state", {})
            classes = child_state.get("_dom_classes", [])
            if ("lesson-readout" in classes or "lesson-caption" in classes) and child_state.get(
                "value"
            ):
                texts.append(child_state["value"])
    return texts


def _strip_boilerplate(text: str) -> str:
    """Markdown without navigation lines and the licence line."""
    lines = [
        line
        for line in text.splitlines()
        if not NAVIGATION.match(line.strip()) and line.strip() != LICENCE
    ]
    return "\n".join(lines).strip()


def build_slides(notebook) -> list[Slide]:
    """The notebook's lecture path as a list of slides."""
    slides: list[Slide] = []
    path = LecturePath()

    def current() -> Slide:
        if not slides:
            slides.append(Slide("slide"))
        return slides[-1]

    def open_for_content() -> Slide:
        """The slide new content goes on (a new sub-slide after a figure, demo or question)."""
        if not slides or slides[-1].closed:
            slides.append(Slide("subslide"))
        return slides[-1]

    def add(cell) -> None:
        """Put ``cell`` on the current slide, or on a new sub-slide if it would not fit."""
        slide = open_for_content()
        height = estimated_height(cell)
        if slide.cells and slide.height + height > SLIDE_HEIGHT:
            slide = Slide("subslide")
            slides.append(slide)
        slide.cells.append(cell)
        slide.height += height

    def add_prose(text: str, origin: int) -> None:
        """Prose block by block: within the word budget, and a new sub-slide when one is full."""
        slide = open_for_content()
        for block in _blocks(text.strip()):
            if slide.moved:  # the budget is spent: the rest of this slide's prose, in order
                slide.notes.append(block)
                continue
            if slide.cells and slide.height + estimated_height(_md(block, origin)) > SLIDE_HEIGHT:
                slide = Slide("subslide")  # no room left: the prose goes on on a new sub-slide
                slides.append(slide)
            shown, moved, slide.words = within_budget(block, slide.words)
            if shown:
                last = slide.cells[-1] if slide.cells else None
                if (
                    last is not None
                    and last.cell_type == "markdown"
                    and last.metadata["deck_origin"] == origin
                    and not last.source.startswith("#")
                ):
                    last.source += "\n\n" + shown  # one cell per source cell and slide
                else:
                    slide.cells.append(_md(shown, origin))
                slide.height += estimated_height(_md(shown, origin))
            if moved:
                slide.notes.append(moved)
                slide.moved = True

    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            text = _strip_boilerplate(source_of(cell))
            first_heading = True
            for heading, part in split_markdown(text):
                if heading is None:
                    if not path.on:
                        continue
                    if part.strip().startswith("*Figure:*") and slides and slides[-1].closed:
                        slides[-1].notes.append(part.strip())  # the caption of the figure
                    else:
                        add_prose(part, index)
                    continue
                on = path.enter(heading)
                notes = cell.metadata.get("speaker_notes", "") if first_heading else ""
                first_heading = False
                if not on:
                    continue
                if heading.level <= 2:
                    slides.append(Slide("slide"))
                elif heading.level == 3:
                    slides.append(Slide("subslide"))
                else:
                    open_for_content()
                slide = slides[-1]
                body = part.split("\n", 1)[1] if "\n" in part else ""
                shown_heading = "#" * heading.level + " " + heading.shown_title
                if heading.minutes is not None:
                    slide.notes.append(f"*{heading.minutes} min*")
                if notes and str(notes).strip():
                    slide.notes.append(str(notes).strip())
                slide.cells.append(_md(shown_heading, index))
                slide.height += estimated_height(slide.cells[-1])
                add_prose(body, index)
        elif cell.cell_type == "code":
            if not path.on or _is_exercise(cell):
                continue
            if is_question(cell):
                parsed = parse_question(source_of(cell))
                slide = Slide("subslide", closed=True)
                slides.append(slide)
                if parsed is None:  # not literal: show the widget itself
                    deck_cell = copy.deepcopy(cell)
                    deck_cell.metadata["transient"] = {"remove_source": True}
                    deck_cell.metadata["slideshow"] = {"slide_type": "-"}
                    deck_cell.metadata["deck_origin"] = index
                    slide.cells.append(deck_cell)
                    continue
                prompt, options, answer = parsed
                letters = "ABCDEFGHIJ"
                lines = [f"**Question.** {prompt}", ""]
                lines += [f"{letters[i]}. {option}" for i, option in enumerate(options)]
                right = letters[list(options).index(answer)]
                slide.cells.append(_md("\n".join(lines), index))
                slide.cells.append(_md(f"**Answer: {right}.**", index, "fragment"))
                for poll_cell in slide.cells:
                    poll_cell.metadata["tags"] = [POLL_TAG]
                slide.notes.append(
                    "Ask the room first (hands up for A, B, ...), then press → to reveal.\n\n"
                    + "\n".join(
                        f"- {letters[i]} ({'right' if option == answer else 'wrong'}): {why}"
                        for i, (option, why) in enumerate(options.items())
                    )
                )
                continue
            if not cell.get("outputs") and SLIDE_CODE_TAG not in cell.metadata.get("tags", []):
                continue  # nothing to show
            deck_cell = copy.deepcopy(cell)
            deck_cell.metadata["deck_origin"] = index
            deck_cell.metadata["slideshow"] = {"slide_type": "-"}
            if SLIDE_CODE_TAG not in cell.metadata.get("tags", []):
                deck_cell.metadata["transient"] = {"remove_source": True}
            if _shows_picture(cell):
                # Printed text first (on the slide before), the picture on a slide of its own.
                pictures = [o for o in deck_cell.outputs if _is_picture(o)]
                text = [o for o in deck_cell.outputs if not _is_picture(o)]
                if text and pictures:
                    printed = copy.deepcopy(deck_cell)
                    printed.outputs = text
                    add(printed)
                    deck_cell.outputs = pictures
                    deck_cell.metadata.pop("transient", None)
                    deck_cell.metadata["transient"] = {"remove_source": True}
                slides.append(
                    Slide("subslide", [deck_cell], notes=_demo_texts(notebook, cell), closed=True)
                )
            else:
                add(deck_cell)
    return [slide for slide in slides if slide.cells]


def deck_notebook(notebook):
    """A new notebook: the deck of ``notebook``'s lecture path, slide types set.

    Each cell's ``metadata.deck_origin`` is the index of the notebook cell it
    comes from; a notes cell (``slide_type: notes``) ends each slide that has notes.
    """
    deck = nbformat.v4.new_notebook(metadata=copy.deepcopy(notebook.metadata))
    for slide in build_slides(notebook):
        for position, cell in enumerate(slide.cells):
            if position == 0:
                cell.metadata["slideshow"] = {"slide_type": slide.kind}
            deck.cells.append(cell)
        if slide.notes:
            origin = slide.cells[0].metadata["deck_origin"]
            deck.cells.append(_md("\n\n".join(slide.notes), origin, "notes"))
    for number, cell in enumerate(deck.cells):
        cell["id"] = f"deck-{number}"  # a split cell's two parts must not share an id
    return deck


def slide_types(notebook) -> list[str]:
    """The slide type of each cell of ``notebook``, as the deck cuts it.

    ``skip`` for a cell the deck leaves out, ``notes`` for a figure's caption,
    otherwise the type of the first deck cell made from it.
    """
    types = ["skip"] * len(notebook.cells)
    seen: set[int] = set()
    for cell in deck_notebook(notebook).cells:
        origin = cell.metadata["deck_origin"]
        kind = cell.metadata["slideshow"]["slide_type"]
        if origin not in seen and kind != "notes":
            types[origin] = kind
            seen.add(origin)
    for index, cell in enumerate(notebook.cells):
        if (
            index not in seen
            and cell.cell_type == "markdown"
            and source_of(cell).strip().startswith("*Figure:*")
            and types[index - 1] != "skip"
        ):
            types[index] = "notes"
    return types


def assign_slides(notebook) -> int:
    """Set ``metadata.slideshow.slide_type`` on every cell; return how many changed."""
    changed = 0
    for cell, kind in zip(notebook.cells, slide_types(notebook), strict=True):
        slideshow = cell.metadata.setdefault("slideshow", {})
        if slideshow.get("slide_type") != kind:
            slideshow["slide_type"] = kind
            changed += 1
    return changed


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name in (a for a in argv if a != "--check"):
        path = Path(name)
        notebook = nbformat.read(path, as_version=4)
        changed = assign_slides(notebook)
        if changed and check:
            stale.append(f"{path}: {changed} cells without their slide type")
        elif changed:
            nbformat.write(notebook, path)
            print(f"{path}: slide types set on {changed} cells")
    if stale:
        print("\n".join(stale) + "\nRun `python3 run.py execute` on them (it sets slide types).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
