"""Serving the course to a class: repo2docker's files and the nbgitpuller links.

repo2docker itself needs a container engine, which this machine's tests do not
have; these tests run the two scripts it runs (postBuild, start) the way it runs
them, and check the links a lecturer hands out.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import classroom  # noqa: E402
import pull_links  # noqa: E402

HUB = "https://hub.example.edu"
REPO = "https://github.com/example-org/activation-lessons.git"


@pytest.mark.parametrize("name", ["postBuild", "start"])
def test_repo2docker_scripts_are_executable_bash(name):
    path = ROOT / name
    assert os.access(path, os.X_OK), f"{name} must be executable: repo2docker runs it directly"
    subprocess.run(["bash", "-n", str(path)], check=True)


def test_postbuild_writes_the_jupyterlab_settings(tmp_path):
    # A stand-in `python` answers sys.prefix with a temporary folder and runs the
    # real interpreter for everything else (the import check).
    prefix = tmp_path / "prefix"
    fake = tmp_path / "bin" / "python"
    fake.parent.mkdir()
    fake.write_text(
        "#!/usr/bin/env bash\n"
        f'if [[ "$*" == *sys.prefix* ]]; then echo "{prefix}"; exit 0; fi\n'
        f'exec "{sys.executable}" "$@"\n'
    )
    fake.chmod(0o755)
    env = dict(os.environ, PATH=f"{fake.parent}:{os.environ['PATH']}")
    subprocess.run([str(ROOT / "postBuild")], check=True, cwd=ROOT, env=env)
    overrides = json.loads((prefix / "share/jupyter/lab/settings/overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"] == {
        "fetchNews": "false",
        "checkForUpdates": False,
    }


def test_start_sets_one_blas_thread_and_runs_the_command():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run(
        [str(ROOT / "start"), "env"], check=True, capture_output=True, text=True, env=env
    ).stdout
    assert "OPENBLAS_NUM_THREADS=1" in out.splitlines()
    assert "OMP_NUM_THREADS=1" in out.splitlines()
    env["OMP_NUM_THREADS"] = "4"  # a hub administrator's own choice wins
    out = subprocess.run(
        [str(ROOT / "start"), "env"], check=True, capture_output=True, text=True, env=env
    ).stdout
    assert "OMP_NUM_THREADS=4" in out.splitlines()


def test_one_pull_link_per_notebook_opens_that_notebook(capsys):
    assert pull_links.main([HUB, REPO]) == 0
    lines = capsys.readouterr().out.split()
    names = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert lines[0::2] == names
    for name, link in zip(lines[0::2], lines[1::2], strict=True):
        parts = urlsplit(link)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
            f"{HUB}/hub/user-redirect/git-pull"
        )
        query = {key: value[0] for key, value in parse_qs(parts.query).items()}
        assert query == {
            "repo": REPO,
            "branch": "main",
            "targetPath": "activation-lessons",
            "urlpath": f"lab/tree/activation-lessons/notebooks/{name}",
        }


def test_binder_links_open_each_notebook(capsys):
    assert pull_links.main([HUB, REPO, "--binder", "--branch", "v0.2"]) == 0
    binder = [line for line in capsys.readouterr().out.split() if "mybinder" in line]
    assert binder[0] == (
        "https://mybinder.org/v2/gh/example-org/activation-lessons/v0.2"
        "?urlpath=lab%2Ftree%2Fnotebooks%2F00_start_here.ipynb"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hub.example.edu", REPO], "the hub must be an http(s) URL"),
        ([HUB, "git@github.com:org/repo.git"], "the repository must be an http(s) URL"),
        ([HUB, "https://gitlab.com/org/repo", "--binder"], "github.com repositories"),
    ],
)
def test_bad_addresses_get_one_line(capsys, args, message):
    assert pull_links.main(args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_classroom_benchmark_reads_this_process():
    peak_mb, cpu_seconds = classroom.kernel_stats(os.getpid())
    assert 10 < peak_mb < 24_000 and cpu_seconds > 0
    assert classroom.percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert classroom.percentile([5.0, 1.0, 3.0, 2.0, 4.0], 95) == 5.0


def _table(path: Path) -> str:
    text = path.read_text()
    return text.split("<!-- classroom-table -->", 1)[1].split("<!-- /classroom-table -->", 1)[0]


def test_the_guide_and_the_readme_show_the_same_measured_table():
    guide = _table(ROOT / "docs" / "classroom.md")
    assert guide == _table(ROOT / "README.md")
    rows = [line for line in guide.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert [int(row.split("|")[1]) for row in rows] == [1, 5, 10, 20]
    # The guide's per-student memory claims follow from the table's maxima.
    peak_max = max(int(row.split("|")[3].split("/")[1]) for row in rows)
    text = (ROOT / "docs" / "classroom.md").read_text()
    assert f"{peak_max} MB at most" in text
    assert peak_max <= 250, "over the 250 MB per-kernel target of issue 17"


def test_run_py_links_needs_no_environment():
    out = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "links", HUB, REPO],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.startswith("00_start_here.ipynb\n  https://hub.example.edu/hub/user-redirect/")
