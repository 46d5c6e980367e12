"""Write every figure of the notebooks and demos, in reading and lecture style, to one page.

    python3 run.py figures                  # all, into artifacts/gallery/index.html
    python3 run.py figures relu             # only figures whose name contains "relu"

Each figure is drawn through tools/figure_catalogue.py (as its notebook draws
it) in both styles, saved as a PNG at its real size, and put through the
figure checks (tests/figure_checks.py); the page shows the two styles side by
side and lists any problem under the figure, so a reviewer sees every figure
at once before a figure change is committed.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
from figure_catalogue import ENTRIES  # noqa: E402
from figure_checks import MIN_POINTS, figure_problems  # noqa: E402

from helpers.plotting import use_style  # noqa: E402

STYLES = {"reading": False, "lecture": True}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Figure gallery</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }}
section {{ border-top: 1px solid #ccc; padding: 0.5em 0 1.5em; }}
.pair {{ display: flex; gap: 1.5em; align-items: flex-start; flex-wrap: wrap; }}
figure {{ margin: 0; }}
figcaption {{ font-size: 0.9em; color: #333; }}
img {{ border: 1px solid #ddd; max-width: 100%; }}
.ok {{ color: #009E73; }} .bad {{ color: #D55E00; }}
</style></head><body>
<h1>Every figure, reading and lecture style</h1>
<p>{summary} Images at their real size (100 dpi); the checks assume a figure shown at
most 10 in wide (reading) or 12 &times; 6.2 in (a 1280 &times; 720 slide), text at least
{reading:g} pt / {lecture:g} pt as shown (tests/figure_checks.py). Made by
<code>python3 run.py figures</code>.</p>
{sections}
</body></html>
"""


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("match", nargs="?", default="", help="only names containing this")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "gallery")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    entries = [e for e in ENTRIES if args.match.lower() in e.name.lower()]
    sections, failing = [], 0
    for entry in entries:
        started = time.perf_counter()
        shown = []
        for mode, lecture in STYLES.items():
            use_style(lecture=lecture)
            try:
                figure = entry.build()
                problems = figure_problems(figure, lecture=lecture)
                file = f"{slug(entry.name)}-{mode}.png"
                figure.savefig(args.out / file)
            finally:
                use_style(lecture=False)
                plt.close("all")
            failing += bool(problems)
            verdict = (
                '<p class="ok">passes the checks</p>'
                if not problems
                else '<ul class="bad">'
                + "".join(f"<li>{html.escape(p)}</li>" for p in problems)
                + "</ul>"
            )
            shown.append(
                f'<figure><img src="{file}" alt="{html.escape(entry.name)}, {mode} style">'
                f"<figcaption>{mode} style{verdict}</figcaption></figure>"
            )
        sections.append(
            f'<section id="{slug(entry.name)}"><h2>{html.escape(entry.name)}</h2>'
            f'<div class="pair">{"".join(shown)}</div></section>'
        )
        print(f"{entry.name}: {time.perf_counter() - started:.1f} s", flush=True)
    summary = f"{len(entries)} figures; " + (
        "all pass the checks." if not failing else f"{failing} drawings with problems."
    )
    page = PAGE.format(
        summary=summary,
        reading=MIN_POINTS["reading"],
        lecture=MIN_POINTS["lecture"],
        sections="\n".join(sections),
    )
    (args.out / "index.html").write_text(page)
    print(f"{summary} Open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
