"""The project's setup: dependency lists agree, CI runs the README's command."""

import re
import tomllib
from pathlib import Path

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
