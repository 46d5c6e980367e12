"""Print an nbgitpuller link per notebook, for a JupyterHub and a repository.

A student who clicks a link logs in to the hub, gets (or updates) their own copy of
the repository in their home folder, and lands on that notebook in JupyterLab.
nbgitpuller merges upstream changes without overwriting a student's edits.

    python3 run.py links https://hub.example.edu https://github.com/ORG/REPO [--branch main]
    python3 run.py links ... --binder   # Binder links too (GitHub repositories only)

The folder nbgitpuller clones into is the repository's name unless
``--target`` names another; the links open ``<folder>/notebooks/NN_name.ipynb``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]


def notebooks() -> list[str]:
    return sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _checked_url(url: str, what: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{what} must be an http(s) URL such as https://example.org, got {url!r}")
    return url.rstrip("/")


def repository_folder(repository: str) -> str:
    name = urlsplit(repository).path.rstrip("/").rsplit("/", 1)[-1]
    return name.removesuffix(".git")


def pull_link(hub: str, repository: str, notebook: str, branch: str, target: str) -> str:
    """The nbgitpuller link that opens ``notebook`` of ``repository`` on ``hub``."""
    query = urlencode(
        {
            "repo": repository,
            "branch": branch,
            "targetPath": target,
            "urlpath": f"lab/tree/{target}/notebooks/{notebook}",
        },
        quote_via=quote,
    )
    return f"{hub}/hub/user-redirect/git-pull?{query}"


def binder_link(repository: str, notebook: str, branch: str) -> str:
    """A mybinder.org link opening ``notebook`` (GitHub repositories)."""
    parts = urlsplit(repository)
    if parts.netloc != "github.com":
        raise ValueError(f"Binder links are made for github.com repositories, got {repository!r}")
    owner_repo = parts.path.strip("/").removesuffix(".git")
    return (
        f"https://mybinder.org/v2/gh/{owner_repo}/{quote(branch, safe='')}"
        f"?urlpath={quote(f'lab/tree/notebooks/{notebook}', safe='')}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run.py links", description=__doc__.split("\n\n")[0])
    parser.add_argument("hub", help="the hub's address, e.g. https://hub.example.edu")
    parser.add_argument("repository", help="the repository's clone URL")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--target", help="folder to clone into (default: the repository's name)")
    parser.add_argument("--binder", action="store_true", help="print Binder links too")
    args = parser.parse_args(argv)
    try:
        hub = _checked_url(args.hub, "the hub")
        repository = _checked_url(args.repository, "the repository")
        target = args.target or repository_folder(repository)
        for notebook in notebooks():
            print(f"{notebook}\n  {pull_link(hub, repository, notebook, args.branch, target)}")
            if args.binder:
                print(f"  {binder_link(repository, notebook, args.branch)}")
    except ValueError as error:
        print(f"run.py links: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
