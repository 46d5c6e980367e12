"""Build the slide decks and a static HTML page of every notebook, for offline use.

Usage: python tools/build_site.py [--out DIR] [--no-execute] [notebooks/NN_name.ipynb ...]
(``python3 run.py build`` calls this; without notebooks, all of notebooks/.)

Into ``artifacts/site/`` (git ignores it), for each notebook:

- ``NN_name.html``: the notebook as a page, with its figures and its widgets
  drawn from the saved widget state (they show the committed values; dragging a
  slider needs a kernel: ``python3 run.py present``);
- ``NN_name.slides.html``: a reveal.js deck of the notebook's lecture path
  (cut by tools/slides.py: no optional parts, Setup or Further reading; code
  inputs hidden; a figure or demo per slide; at most 60 words of prose a
  slide, the rest and the ``speaker_notes`` in the speaker view, *S*),
  re-executed with LESSONS_LECTURE=1 so its figures have projector sizes
  (``--no-execute`` uses the committed outputs instead), laid out for a
  1280 x 720 screen (reveal.js scales it to others);
- ``index.html``: links to all of them.

Offline: nbconvert's pages load reveal.js, RequireJS, jQuery, MathJax and the
widget renderer from CDNs. Here they are served from ``_static/`` beside the
pages instead, so the folder works from a USB stick in a room without network.
The files come from the npm registry, fetched once with ``npm pack`` into
``.venv/share/lesson-offline-assets/`` (about 30 MB); every later build is
offline. Without npm (or when the fetch fails) the build still succeeds but the
pages load those files from the CDNs, and the build says so.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter, SlidesExporter
from slides import LICENCE, deck_notebook  # tools/slides.py, beside this file

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(sys.prefix) / "share" / "lesson-offline-assets"

# npm package -> (folder under _static/, paths inside the package to keep).
ASSETS = {
    "reveal.js@4.6.1": ("reveal.js", ["dist", "plugin/notes", "LICENSE"]),
    "requirejs@2.3.7": ("requirejs", ["require.js", "README.md"]),  # MIT, in require.js
    "jquery@3.7.1": ("jquery", ["dist/jquery.min.js", "LICENSE.txt"]),
    # The renderer nbconvert asks for (html_manager_semver_range ^1.0 for ipywidgets 8).
    "@jupyter-widgets/html-manager@1.0.13": ("html-manager", ["dist", "LICENSE"]),
    # nbconvert's templates configure MathJax 2 (MathJax.Hub.Config).
    "mathjax@2.7.7": (
        "mathjax",
        [
            "MathJax.js",
            "config/TeX-AMS_CHTML-full.js",
            "config/Safe.js",
            "extensions",
            "jax/element",
            "jax/input/TeX",
            "jax/output/CommonHTML",
            "fonts/HTML-CSS/TeX/woff",
            "LICENSE",
        ],
    ),
}


DECK_SIZE = (1280, 720)  # px; a common projector resolution (16:9)
# Lecture sizes for the deck (tools/slides.py's SLIDE_HEIGHT and line lengths assume them).
DECK_CSS = """
<style type="text/css">
.reveal .slides section { text-align: left; }
.reveal .jp-RenderedHTMLCommon { font-size: 30px; line-height: 1.35; }
.reveal .jp-RenderedHTMLCommon p, .reveal .jp-RenderedHTMLCommon ul,
.reveal .jp-RenderedHTMLCommon ol { margin: 0 0 0.45em 0; }
.reveal .jp-RenderedHTMLCommon li { margin-bottom: 0.2em; }
.reveal .jp-RenderedHTMLCommon h1, .reveal .jp-RenderedHTMLCommon h2,
.reveal .jp-RenderedHTMLCommon h3 { text-transform: none; }
.reveal .jp-RenderedHTMLCommon h1 { font-size: 50px; line-height: 1.15; margin: 0 0 0.4em 0; }
.reveal .jp-RenderedHTMLCommon h2 { font-size: 44px; line-height: 1.15; margin: 0 0 0.4em 0; }
.reveal .jp-RenderedHTMLCommon h3 { font-size: 38px; line-height: 1.15; margin: 0 0 0.4em 0; }
.reveal .jp-RenderedHTMLCommon code { font-size: 0.9em; }
.reveal .jp-OutputArea-output pre, .reveal .jp-RenderedText pre {
  font-size: 20px; line-height: 1.3; white-space: pre-wrap; word-break: break-word; }
.reveal .jp-InputArea .highlight pre { font-size: 20px; line-height: 1.3; }
.reveal .jp-Cell { padding: 0; }
/* A figure or a demo has the slide to itself: as large as fits. */
.reveal section .jp-OutputArea-output img { max-height: 640px; max-width: 100%; width: auto;
  height: auto; }
.reveal section .lesson-demo img { max-height: 430px !important; width: auto !important;
  height: auto !important; }
/* A demo shows its controls and figure; readout and caption are in the speaker notes. */
.reveal section .lesson-demo .lesson-readout,
.reveal section .lesson-demo .lesson-caption { display: none !important; }
.reveal .fragment { color: #005a3c; }
</style>
"""


def exporter_urls(static: str) -> dict:
    """nbconvert settings that point every script at ``static`` (a relative URL)."""
    return {
        "require_js_url": f"{static}/requirejs/require.js",
        "jquery_url": f"{static}/jquery/dist/jquery.min.js",
        "mathjax_url": f"{static}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
        "widget_renderer_url": f"{static}/html-manager/dist/embed-amd.js",
        # The slides template imports mermaid on every page; no notebook draws a
        # mermaid diagram, so an empty module stands in (no request at all).
        "mermaid_js_url": "data:text/javascript,export default {initialize() {}};",
    }


def fetch_assets() -> Path | None:
    """The offline copies of the page scripts (fetched once); None if unavailable."""
    stamp = CACHE / ".complete"
    if stamp.exists() and stamp.read_text().split() == sorted(ASSETS):
        return CACHE
    npm = shutil.which("npm")
    if npm is None:
        return None
    print(f"Fetching reveal.js, MathJax and friends once into {CACHE} ...", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [npm, "pack", "--silent", "--pack-destination", tmp, *ASSETS],
            capture_output=True,
            text=True,
            timeout=600,
        )
        tarballs = sorted(Path(tmp).glob("*.tgz"))
        if result.returncode != 0 or len(tarballs) != len(ASSETS):
            print(f"npm pack failed:\n{result.stderr[-2000:]}", file=sys.stderr)
            return None
        if CACHE.exists():
            shutil.rmtree(CACHE)
        for package, (folder, keep) in ASSETS.items():
            name = package.rsplit("@", 1)[0].lstrip("@").replace("/", "-")
            version = package.rsplit("@", 1)[1]
            (tarball,) = [t for t in tarballs if t.name == f"{name}-{version}.tgz"]
            unpacked = Path(tmp) / folder
            with tarfile.open(tarball) as archive:
                archive.extractall(unpacked, filter="data")
            for part in keep:
                source, target = unpacked / "package" / part, CACHE / folder / part
                target.parent.mkdir(parents=True, exist_ok=True)
                if source.is_dir():
                    shutil.copytree(source, target)
                else:
                    shutil.copy2(source, target)
    stamp.write_text("\n".join(sorted(ASSETS)))
    return CACHE


def executed_for_lecture(notebook, folder: Path):
    """A copy of ``notebook`` re-run with lecture figure sizes (LESSONS_LECTURE=1)."""
    copy = nbformat.from_dict(notebook)
    previous = os.environ.get("LESSONS_LECTURE")
    os.environ["LESSONS_LECTURE"] = "1"  # the kernel inherits it; use_style() reads it
    try:
        NotebookClient(
            copy,
            kernel_name="python3",
            timeout=300,
            store_widget_state=True,
            resources={"metadata": {"path": str(folder)}},
        ).execute()
    finally:
        if previous is None:
            del os.environ["LESSONS_LECTURE"]
        else:
            os.environ["LESSONS_LECTURE"] = previous
    return copy


def title_of(path: Path) -> str:
    """The notebook's `# ` title."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def build(paths: list[Path], out: Path, execute: bool = True) -> list[Path]:
    """Write the pages, decks and index into ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    assets = fetch_assets()
    urls = {}
    if assets is not None:
        shutil.copytree(assets, out / "_static", dirs_exist_ok=True)
        urls = exporter_urls("_static")
        # The widget renderer's CSS asks for its icon font (Font Awesome: the buttons' icons)
        # relative to the page, at @jupyter-widgets/ and @jupyter-widgets/html-manager/dist/.
        fonts = [
            f
            for f in (assets / "html-manager" / "dist").iterdir()
            if f.suffix in (".woff2", ".woff", ".ttf", ".eot", ".svg")
        ]
        for folder in (out / "@jupyter-widgets", out / "@jupyter-widgets/html-manager/dist"):
            folder.mkdir(parents=True, exist_ok=True)
            for font in fonts:
                shutil.copy2(font, folder / font.name)
    else:
        print(
            "WARNING: no offline copy of reveal.js/RequireJS/jQuery/MathJax/the widget "
            "renderer (npm is missing or could not fetch them): the pages will load them "
            "from CDNs and need a network connection.",
            file=sys.stderr,
        )
    page_exporter = HTMLExporter(template_name="lab", **urls)
    deck_exporter = SlidesExporter(
        reveal_url_prefix="_static/reveal.js" if urls else "",
        reveal_theme="white-contrast",  # black on white: the highest contrast on a projector
        reveal_transition="none",  # no motion: calmer, and kinder to motion-sensitive readers
        reveal_scroll=False,  # nothing scrolls: every slide fits (tests/browser/test_slide_fit.py)
        reveal_number="c/t",
        reveal_width=str(DECK_SIZE[0]),
        reveal_height=str(DECK_SIZE[1]),
        exclude_input_prompt=True,  # no "In [3]:" column: the width is the slide's
        exclude_output_prompt=True,
        **urls,
    )
    written = []
    rows = []
    for path in paths:
        start = time.perf_counter()
        notebook = nbformat.read(path, as_version=4)
        stem = path.stem
        body, _ = page_exporter.from_notebook_node(notebook)
        page = out / f"{stem}.html"
        page.write_text(body, encoding="utf-8")
        deck_source = executed_for_lecture(notebook, path.parent) if execute else notebook
        body, _ = deck_exporter.from_notebook_node(deck_notebook(deck_source))
        body = body.replace("</head>", DECK_CSS + "</head>", 1)
        # reveal.js is loaded by RequireJS; the tests (and a curious console) reach it as Reveal.
        start_reveal = "function(Reveal, RevealNotes){"
        body = body.replace(start_reveal, start_reveal + " window.Reveal = Reveal;")
        deck = out / f"{stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        written += [page, deck]
        print(f"built {page.name} and {deck.name} in {time.perf_counter() - start:.1f} s")
    # Every notebook built so far into ``out`` (a build of one notebook keeps the others).
    known = {path.stem: path for path in (ROOT / "notebooks").glob("*.ipynb")}
    known |= {path.stem: path for path in paths}
    for path in sorted(known.values(), key=lambda p: p.stem):
        if (out / f"{path.stem}.html").exists() and (out / f"{path.stem}.slides.html").exists():
            rows.append(
                f'<li><a href="{path.stem}.html">{html.escape(title_of(path))}</a> '
                f'(<a href="{path.stem}.slides.html">slides</a>)</li>'
            )
    index = out / "index.html"
    index.write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Activation functions and the vanishing-gradient problem</title>"
        "<style>body{font-family:sans-serif;font-size:20px;max-width:48em;margin:2em auto;"
        "line-height:1.5}</style></head><body>\n"
        "<h1>Activation functions and the vanishing-gradient problem</h1>\n"
        "<p>Static pages show the widgets with their saved values; to drag the sliders, "
        "present live with <code>python3 run.py present</code>. In the slides, press "
        "<kbd>?</kbd> for the keys (arrows to move, <kbd>Esc</kbd> for the overview, "
        "<kbd>S</kbd> for the speaker view with the notes). The slides are the lecture path; "
        "the pages are the whole notebook, optional parts included.</p>\n"
        "<ol>\n" + "\n".join(rows) + "\n</ol>\n"
        f"<p><small>{html.escape(LICENCE)}</small></p>\n</body></html>\n",
        encoding="utf-8",
    )
    written.append(index)
    return written


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "site")
    parser.add_argument(
        "--no-execute",
        dest="execute",
        action="store_false",
        help="decks from the committed outputs instead of a run at lecture sizes",
    )
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    os.environ.setdefault("PYTHONHASHSEED", "0")
    written = build(paths, args.out, execute=args.execute)
    print(f"{len(written)} files in {args.out}; open {args.out / 'index.html'}")


if __name__ == "__main__":
    main(sys.argv[1:])
