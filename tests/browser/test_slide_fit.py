"""Every slide of every deck fits a 1280 x 720 screen at lecture size (issue 18).

Builds the decks (``python3 run.py build``'s tools/build_site.py, re-run at
lecture size; ``BUILT_SITE=artifacts/site`` tests a site already built
instead), opens each deck from disk in Debian's Chromium at 1280 x 720 with
every request that is not a local file refused, and visits every slide and
sub-slide with every fragment shown. On each it checks that

* no visible element extends past the slide's bounds (reveal.js's slide area,
  ``.reveal .slides``), and no box cuts its content off (a scroll bar);
* the prose shown is within the budget of tools/slides.py's ``WORD_BUDGET``
  words (headings, maths and code output not counted, inline maths one word),
  and a question (prompt and options) within ``QUESTION_BUDGET``.

A failure names the deck, the slide (reveal.js's h/v index and its heading)
and the element. A screenshot of every slide goes to this run's browser
artifacts folder, ``slides/``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from test_built_site import built_site, open_offline

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from slides import QUESTION_BUDGET, WORD_BUDGET  # noqa: E402

# Run in the page on the current slide, with all its fragments shown.
MEASURE = r"""
([budget, questionBudget]) => {
  const slide = Reveal.getCurrentSlide();
  const area = document.querySelector('.reveal .slides').getBoundingClientRect();
  const name = el => {
    const cls = (el.getAttribute('class') || '').trim().split(/\s+/).slice(0, 3).join('.');
    const text = (el.innerText || el.getAttribute('alt') || '').trim().replace(/\s+/g, ' ');
    return `<${el.tagName.toLowerCase()}${cls ? '.' + cls : ''}> "${text.slice(0, 60)}"`;
  };
  const visible = el => {
    if (el.closest('aside.notes')) return false;
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') return false;
    if (parseFloat(s.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const problems = [];
  const tol = 1;
  const past = new Set();  // report the outermost element that extends past, not its insides
  for (const el of slide.querySelectorAll('*')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    const out = [];
    if (r.left < area.left - tol) out.push(`left by ${Math.round(area.left - r.left)} px`);
    if (r.right > area.right + tol) out.push(`right by ${Math.round(r.right - area.right)} px`);
    if (r.top < area.top - tol) out.push(`top by ${Math.round(area.top - r.top)} px`);
    if (r.bottom > area.bottom + tol)
      out.push(`bottom by ${Math.round(r.bottom - area.bottom)} px`);
    if (out.length) {
      past.add(el);
      if (!past.has(el.parentElement))
        problems.push(`${name(el)} extends past the slide (${out.join(', ')})`);
    }
    const s = getComputedStyle(el);
    const clips = v => v !== 'visible';
    if ((clips(s.overflowY) && el.scrollHeight > el.clientHeight + 2) ||
        (clips(s.overflowX) && el.scrollWidth > el.clientWidth + 2)) {
      if (!el.closest('.MathJax_CHTML, .MathJax_Display, .MathJax'))
        problems.push(`${name(el)} cuts its content off ` +
          `(${el.scrollWidth}x${el.scrollHeight} px in ${el.clientWidth}x${el.clientHeight})`);
    }
  }
  // Prose: the markdown shown, headings and display maths left out, inline maths one word.
  let words = 0, pollWords = 0;
  for (const md of slide.querySelectorAll('.jp-RenderedMarkdown')) {
    if (md.closest('aside.notes') || !visible(md)) continue;
    const copy = md.cloneNode(true);
    // MathJax 2 keeps each formula's TeX in a script; its rendering is the element id + "-Frame".
    for (const script of copy.querySelectorAll('script[type^="math/tex"]')) {
      const frame = copy.querySelector('#' + CSS.escape(script.id + '-Frame'));
      const shown = frame ? (frame.closest('.MathJax_Display, .MJXc-display') || frame) : null;
      const display = script.type.includes('mode=display');
      if (shown) shown.replaceWith(display ? ' ' : ' M ');
      script.replaceWith(display || shown ? ' ' : ' M ');
    }
    copy.querySelectorAll('h1, h2, h3, h4, h5, h6, .MathJax_Preview, .MathJax_Display')
      .forEach(e => e.remove());
    copy.querySelectorAll('code').forEach(e => e.replaceWith(' M '));
    const tokens = copy.textContent.split(/\s+/).filter(t => /\w/.test(t));
    if (md.closest('.celltag_lesson-poll')) {
      // The author's prompt and options: not the deck's "Question.", "A.", "Answer: B.".
      pollWords += tokens.filter(t => !/^(Question\.|Answer:|[A-J]\.)$/.test(t)).length;
    } else {
      words += tokens.length;
    }
  }
  if (words > budget) problems.push(`${words} words of prose (budget ${budget})`);
  if (pollWords > questionBudget)
    problems.push(`a question of ${pollWords} words (budget ${questionBudget})`);
  const heading = slide.querySelector('h1, h2, h3');
  return {problems, words, heading: heading ? heading.innerText.trim() : ''};
}
"""


def deck_names(site: Path) -> list[str]:
    return sorted(p.name for p in site.glob("*.slides.html"))


def check_deck(browser, deck: Path, screenshots: Path) -> list[str]:
    """Every problem of every slide of ``deck``, one line each."""
    context, page, outside, errors = open_offline(browser, deck)
    screenshots.mkdir(parents=True, exist_ok=True)
    stem = deck.name.removesuffix(".slides.html")
    failures = []
    try:
        page.wait_for_selector(".reveal.ready", timeout=30_000)
        page.wait_for_function(
            "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue"
            " && MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running",
            timeout=60_000,
        )
        indices = page.evaluate("""() => Reveal.getSlides().map(s => Reveal.getIndices(s))""")
        heading = ""
        for index in indices:
            h, v = index["h"], index.get("v", 0) or 0
            page.evaluate(
                "([h, v]) => { Reveal.slide(h, v); while (Reveal.nextFragment()) {} }", [h, v]
            )
            # Pictures drawn, every formula on this slide typeset (MathJax 2 adds a -Frame).
            page.wait_for_function(
                """() => {
                  const slide = Reveal.getCurrentSlide();
                  return Array.from(slide.querySelectorAll('img')).every(i => i.complete) &&
                    Array.from(slide.querySelectorAll('script[type^="math/tex"]'))
                      .every(s => document.getElementById(s.id + '-Frame'));
                }""",
                timeout=30_000,
            )
            page.wait_for_timeout(150)
            result = page.evaluate(MEASURE, [WORD_BUDGET, QUESTION_BUDGET])
            heading = result["heading"] or heading
            where = f"{deck.name}, slide {h + 1}.{v + 1} ({heading[:50]!r})"
            failures += [f"{where}: {problem}" for problem in result["problems"]]
            page.screenshot(path=screenshots / f"{stem}-{h + 1:02d}.{v + 1:02d}.png")
        assert not outside, f"{deck.name} asked the network for {outside}"
        assert not errors, f"{deck.name}: {errors}"
    finally:
        context.close()
    return failures


@pytest.fixture(scope="module")
def site(skip_or_fail):
    return built_site(skip_or_fail)


def pytest_generate_tests(metafunc):
    if "deck" in metafunc.fixturenames:
        from conftest import course_notebooks

        names = [f"{n.removesuffix('.ipynb')}.slides.html" for n in course_notebooks()]
        metafunc.parametrize("deck", names, ids=names)


def test_every_slide_fits(site, browser, deck, artifacts):
    assert (site / deck).is_file(), f"{deck} was not built"
    failures = check_deck(browser, site / deck, artifacts / "slides")
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


def test_budget_is_stated():
    """The budget the README and the guide state is the one the tools use."""
    readme = (ROOT / "README.md").read_text()
    assert re.search(rf"\b{WORD_BUDGET} words\b", readme), "README must state the word budget"
