"""The project's setup: dependency lists agree, CI runs the README's command."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def normalise(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement).lower()


def pyproject_requirements() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + project["optional-dependencies"]["test"]
    return {normalise(r) for r in listed}


def environment_yml():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_environment_yml_lists_the_same_packages_as_pyproject():
    entries = environment_yml()["dependencies"]
    conda = {normalise(e) for e in entries if isinstance(e, str)}
    conda -= {c for c in conda if c.startswith(("python", "pip"))}
    assert conda == pyproject_requirements(), (
        "environment.yml and pyproject.toml disagree: "
        f"only in environment.yml: {sorted(conda - pyproject_requirements())}; "
        f"only in pyproject.toml: {sorted(pyproject_requirements() - conda)}"
    )


def test_environment_yml_installs_the_local_package():
    # repo2docker (Binder) ignores pyproject.toml when environment.yml exists.
    pip_sections = [e["pip"] for e in environment_yml()["dependencies"] if isinstance(e, dict)]
    assert ["-e ."] in pip_sections


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|shell)?\n(.*?)```", quick_start, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_gives_exactly_two_commands():
    commands = readme_commands()
    assert commands == ["python3 run.py lab", "python3 run.py test"], commands


def test_ci_runs_the_readme_test_command_exactly():
    ci = (ROOT / ".ci" / "run").read_text()
    lines = [line.strip() for line in ci.splitlines()]
    assert readme_commands()[1] in lines
    assert "set -euo pipefail" in ci  # a failing command fails CI


# --- CI fails rather than skips (issue 15) ----------------------------------------------------


def test_skip_or_fail_skips_locally_and_fails_when_ci_is_set(monkeypatch, skip_or_fail):
    for unset in (None, "", "0", "false"):
        if unset is None:
            monkeypatch.delenv("CI", raising=False)
        else:
            monkeypatch.setenv("CI", unset)
        with pytest.raises(pytest.skip.Exception, match="npm missing"):
            skip_or_fail("npm missing")
    for ci in ("true", "1", "yes"):
        monkeypatch.setenv("CI", ci)
        with pytest.raises(pytest.fail.Exception, match="npm missing.*CI is set"):
            skip_or_fail("npm missing")


# A skip that CI should not take silently goes through tests/conftest.py's skip_or_fail;
# these are the only others: platform skips (CI is Linux) and the figure catalogue's xfail.
ALLOWED_SKIPS = {
    ("test_run_py.py", 'pytest.mark.skipif(os.name == "nt"'),
    ("test_figures.py", "pytest.xfail("),
}


def test_every_skip_goes_through_skip_or_fail():
    found = set()
    for path in (ROOT / "tests").rglob("*.py"):
        if path.name in ("conftest.py", "test_setup.py") and path.parent.name == "tests":
            continue
        for line in path.read_text().splitlines():
            for pattern in ("pytest.skip(", "skipif(", "importorskip(", "pytest.xfail(",
                            "mark.skip("):  # fmt: skip
                if pattern in line:
                    found.add((path.name, line.strip()))
    unexplained = {
        (name, line)
        for name, line in found
        if not any(name == n and allowed in line for n, allowed in ALLOWED_SKIPS)
    }
    assert not unexplained, "use skip_or_fail (tests/conftest.py) for these: " + repr(unexplained)
