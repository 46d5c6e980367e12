"""`python3 run.py build`: decks and static pages that work without a network.

Builds every notebook once per test session (shared with test_slide_fit.py;
``BUILT_SITE=artifacts/site`` reuses a site already built) into a temporary
folder with tools/build_site.py, then opens the page and the deck from disk in
Chromium with every request that is not a local file refused, and checks that
reveal.js started, the deck has several slides, MathJax typeset the formulas,
and the demos are drawn from their saved state (the deck's at lecture size).

A scratch notebook written by the test checks the cut itself, whatever the
lesson notebooks contain: optional parts, Setup and Further reading are in the
reading page and not in the deck, speaker notes are in the deck's speaker
view (the S key, offline) and not in the reading page, code inputs are hidden
unless tagged ``slide-code``.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOKS, course_notebooks

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

ALL = [NOTEBOOKS / name for name in course_notebooks()]
SAMPLE = ALL[:2]
_BUILT: dict[str, Path] = {}


def require_assets(skip_or_fail) -> None:
    """The offline copies of reveal.js & co. need npm once; in CI their absence fails."""
    if shutil.which("npm") is None and not (build_site.CACHE / ".complete").exists():
        skip_or_fail("npm is needed once to fetch reveal.js and MathJax for offline use")


def built_site(skip_or_fail) -> Path:
    """Every notebook built once per session (decks re-run at lecture size)."""
    if "site" not in _BUILT:
        if os.environ.get("BUILT_SITE"):
            _BUILT["site"] = Path(os.environ["BUILT_SITE"]).resolve()
        else:
            require_assets(skip_or_fail)
            out = Path(tempfile.mkdtemp(prefix="lesson-site-"))
            atexit.register(shutil.rmtree, out, True)
            build_site.build(ALL, out)
            _BUILT["site"] = out
    return _BUILT["site"]


@pytest.fixture(scope="module")
def site(skip_or_fail):
    return built_site(skip_or_fail)


def test_build_writes_a_page_and_a_deck_per_notebook(site):
    for path in SAMPLE:
        assert (site / f"{path.stem}.html").is_file()
        assert (site / f"{path.stem}.slides.html").is_file()
    index = (site / "index.html").read_text()
    assert all(f'href="{path.stem}.slides.html"' in index for path in SAMPLE)


def test_pages_reference_only_local_files(site):
    for page in site.glob("*.html"):
        text = page.read_text()
        # Loaded resources (scripts, styles, images), not links a reader may follow.
        external = re.findall(
            r'<(?:script|img|iframe|link)\b[^>]*(?:src|href)="(https?://[^"]+)"', text
        )
        assert not external, f"{page.name} loads {external}"
        for local in re.findall(r'(?:src|href)="(_static/[^"?#]+)', text):
            assert (site / local).is_file(), f"{page.name} refers to missing {local}"
        if page.name != "index.html":
            assert "_static/mathjax/MathJax.js" in text and "_static/requirejs/require.js" in text


def open_offline(browser, path: Path):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith(("file://", "data:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(path.as_uri())
    return context, page, outside, errors


def wait_for_demos_and_maths(page):
    page.wait_for_function(
        """() => {
          const imgs = Array.from(document.querySelectorAll('.lesson-demo img'));
          return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0) &&
            document.querySelectorAll('.MathJax_CHTML').length > 0;
        }""",
        timeout=30_000,
    )


def test_static_page_works_offline(site, browser):
    context, page, outside, errors = open_offline(browser, site / f"{SAMPLE[0].stem}.html")
    try:
        wait_for_demos_and_maths(page)
        assert page.locator(".lesson-demo .lesson-readout").first.inner_text().strip()
        assert not outside, f"the page asked the network for {outside}"
        assert not errors, errors
    finally:
        context.close()


def test_deck_works_offline_at_lecture_size(site, browser, artifacts):
    context, page, outside, errors = open_offline(browser, site / f"{SAMPLE[0].stem}.slides.html")
    try:
        page.wait_for_selector(".reveal.ready", timeout=30_000)
        wait_for_demos_and_maths(page)
        slides = page.locator(".reveal .slides > section").count()
        assert slides > 1, "the deck has a single slide: are slide types set (tools/slides.py)?"
        width = page.evaluate("() => document.querySelector('.lesson-demo img').naturalWidth")
        assert width >= 900, f"deck figure {width} px wide: not built at lecture size"
        # Keyboard: the right arrow moves to the next slide.
        before = page.locator(".slide-number").inner_text()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "b => document.querySelector('.slide-number').innerText !== b", arg=before
        )
        page.wait_for_timeout(1000)  # MathJax re-typesets the new slide
        page.screenshot(path=artifacts / "deck_slide_2.png")
        assert not outside, f"the deck asked the network for {outside}"
        assert not errors, errors
    finally:
        context.close()


# ---------------------------------------------------------------- the cut, on a scratch notebook

SCRATCH_CELLS = [
    ("markdown", "# A scratch lesson\n\nOne line of introduction.", None, ()),
    ("markdown", "## Setup\n\nSETUP-TEXT", None, ()),
    (
        "code",
        "# Setup\nfrom helpers.plotting import use_style\n"
        "from helpers.widgets import Question\n"
        "import matplotlib.pyplot as plt\nuse_style()",
        None,
        (),
    ),
    ("markdown", "## 1. On the path (10 min)\n\nShort prose on the slide.", "SAY-THIS-ALOUD", ()),
    ("code", "# Prints a number\nprint('PRINTED-NUMBER', 6 * 7)", None, ()),
    (
        "code",
        "# Draws a line\nfig, ax = plt.subplots()\nax.plot([0, 1], [0, 1])\nplt.show()",
        None,
        (),
    ),
    ("markdown", "*Figure:* CAPTION-TEXT", None, ()),
    ("markdown", "### A deep dive (optional)\n\nOPTIONAL-TEXT", None, ()),
    ("code", "# Optional\nprint('OPTIONAL-OUTPUT')", None, ()),
    ("markdown", "## 2. A poll (5 min)\n\nAsk the room.", "POLL-NOTES", ()),
    ("code", "# SHOWN-CODE: the point of this slide\nshown = 3\nshown", None, ("slide-code",)),
    (
        "code",
        '# NBVAL_IGNORE_OUTPUT\n# A question\nQuestion("Which one?", '
        '{"this": "wrong: THIS-WHY", "that": "right: THAT-WHY"}, answer="that")',
        None,
        (),
    ),
    ("markdown", "## Further reading\n\n- FURTHER-TEXT", None, ()),
]


@pytest.fixture(scope="module")
def scratch_site(tmp_path_factory, skip_or_fail):
    require_assets(skip_or_fail)
    folder = tmp_path_factory.mktemp("scratch")
    cells = []
    for kind, source, notes, tags in SCRATCH_CELLS:
        new = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = new(source)
        if notes:
            cell.metadata["speaker_notes"] = notes
        if tags:
            cell.metadata["tags"] = list(tags)
        cells.append(cell)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "99_scratch.ipynb"
    nbformat.write(notebook, path)
    out = folder / "site"
    build_site.build([path], out)
    return out


def test_reading_page_has_everything_but_the_speaker_notes(scratch_site):
    page = (scratch_site / "99_scratch.html").read_text()
    for text in ("OPTIONAL-TEXT", "OPTIONAL-OUTPUT", "FURTHER-TEXT", "SETUP-TEXT", "CAPTION-TEXT"):
        assert text in page, text
    assert "SAY-THIS-ALOUD" not in page and "POLL-NOTES" not in page


def test_deck_has_the_lecture_path_and_its_notes(scratch_site):
    deck = (scratch_site / "99_scratch.slides.html").read_text()
    for text in (
        "OPTIONAL-TEXT",
        "OPTIONAL-OUTPUT",
        "FURTHER-TEXT",
        "SETUP-TEXT",
        "# Prints a number",
        "(10 min)",
    ):
        assert text not in deck, text
    for text in ("PRINTED-NUMBER 42", "SHOWN-CODE", "Which one?"):
        assert text in deck, text
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', deck, flags=re.S)
    assert any("SAY-THIS-ALOUD" in n for n in notes) and any("CAPTION-TEXT" in n for n in notes)
    assert any("THAT-WHY" in n for n in notes)
    outside = re.sub(r'<aside class="notes">.*?</aside>', "", deck, flags=re.S)
    assert "SAY-THIS-ALOUD" not in outside and "THIS-WHY" not in outside


def test_speaker_view_shows_the_notes_offline(scratch_site, browser):
    """The S key opens reveal.js's speaker view (its notes plugin, copied beside the deck)."""
    context, page, outside, errors = open_offline(browser, scratch_site / "99_scratch.slides.html")
    try:
        page.wait_for_selector(".reveal.ready", timeout=30_000)
        assert page.locator("aside.notes").first.is_hidden(), "notes must not show on the slide"
        page.evaluate("() => Reveal.slide(1, 0)")  # "1. On the path"
        with context.expect_page(timeout=30_000) as opened:
            page.keyboard.press("s")
        speaker = opened.value
        speaker.wait_for_function(
            "() => (document.querySelector('.speaker-controls-notes') || {}).innerText"
            "?.includes('SAY-THIS-ALOUD')",
            timeout=30_000,
        )
        # The speaker view follows the deck: the next (sub-)slide's notes, the figure's caption.
        page.keyboard.press("Space")
        speaker.wait_for_function(
            "() => document.querySelector('.speaker-controls-notes').innerText"
            ".includes('CAPTION-TEXT')",
            timeout=30_000,
        )
        assert not [u for u in outside if not u.startswith("about:")], outside
        assert not errors, errors
    finally:
        context.close()


def test_poll_reveals_its_answer_on_the_next_key(scratch_site, browser):
    context, page, outside, errors = open_offline(browser, scratch_site / "99_scratch.slides.html")
    try:
        page.wait_for_selector(".reveal.ready", timeout=30_000)
        question = page.locator("section", has_text="Which one?").last
        indices = page.evaluate(
            """() => Reveal.getIndices(Array.from(document.querySelectorAll('section'))
                 .filter(s => s.innerText.includes('Which one?')).pop())"""
        )
        page.evaluate("i => Reveal.slide(i.h, i.v || 0)", indices)
        answer = question.locator(".fragment")
        assert answer.is_hidden() or answer.evaluate("e => getComputedStyle(e).opacity") == "0"
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('section.present .fragment')).opacity"
            " === '1'"
        )
        assert "Answer: B." in answer.inner_text()
        assert not outside and not errors, (outside, errors)
    finally:
        context.close()


def test_missing_npm_skips_locally_and_fails_in_ci(monkeypatch, tmp_path, skip_or_fail):
    """Issue 15: CI must fail, not skip, when the decks cannot be built offline."""
    monkeypatch.setattr(build_site, "CACHE", tmp_path / "no-assets")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_assets(skip_or_fail)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="in CI"):
        require_assets(skip_or_fail)
