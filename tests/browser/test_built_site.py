"""`python3 run.py build`: decks and static pages that work without a network.

Builds the index notebook (and the first lesson, when there is one) into a
temporary folder with tools/build_site.py, then opens the page and the deck
from disk in Chromium with every request that is not a local file refused,
and checks that reveal.js started, the deck has several slides, MathJax
typeset the formulas, and the demos are drawn from their saved state (the
deck's at lecture size).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import NOTEBOOKS

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

SAMPLE = sorted(NOTEBOOKS.glob("*.ipynb"))[:2]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if shutil.which("npm") is None and not (build_site.CACHE / ".complete").exists():
        pytest.skip("npm is needed once to fetch reveal.js and MathJax for offline use")
    out = tmp_path_factory.mktemp("site")
    build_site.build(SAMPLE, out)
    return out


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
        external = re.findall(r'<(?:script|img|iframe|link)\b[^>]*(?:src|href)="(https?://[^"]+)"',
                              text)
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
        page.wait_for_function("b => document.querySelector('.slide-number').innerText !== b",
                               arg=before)
        page.wait_for_timeout(1000)  # MathJax re-typesets the new slide
        page.screenshot(path=artifacts / "deck_slide_2.png")
        assert not outside, f"the deck asked the network for {outside}"
        assert not errors, errors
    finally:
        context.close()
