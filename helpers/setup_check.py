"""Check that the environment has what the notebooks were written for."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

# The lowest versions the notebooks are tested with (keep in step with pyproject.toml).
MINIMUM = {"numpy": (1, 26), "matplotlib": (3, 8), "ipywidgets": (8, 1)}


def _major_minor(text: str) -> tuple[int, int]:
    major, minor = text.split(".")[:2]
    return int(major), int("".join(ch for ch in minor if ch.isdigit()) or 0)


def check_setup() -> bool:
    """Print one line saying whether the setup is fine, and what to do if not."""
    problems = []
    for package, lowest in MINIMUM.items():
        try:
            found = version(package)
        except PackageNotFoundError:
            problems.append(f"{package} is not installed")
            continue
        if _major_minor(found) < lowest:
            problems.append(
                f"{package} {'.'.join(map(str, lowest))} or newer is needed, found {found}"
            )
    if problems:
        print(
            "Setup problem: " + "; ".join(problems) + ". Run `python3 run.py lab` from the "
            "project folder, which installs the right versions in .venv/."
        )
        return False
    print("Setup OK: Python, NumPy, matplotlib, ipywidgets and the helpers package are ready.")
    return True
