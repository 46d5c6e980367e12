"""A class at once: N student kernels on this machine, each using a notebook's demos.

What a shared JupyterHub node sees during the lab session. For each class size N
(default 1, 5, 10, 20) it starts N local IPython kernels (jupyter_client, the same
kernel JupyterLab starts), gives kernel k notebook k of 01-06 in turn, runs all its
code cells, and then, for ``--minutes`` of simulated use, moves one control of one
of that notebook's demos every ``--interval`` seconds (a student's pace, each
student's clock offset at random; the lab's training runs included). A class of one
is run once per notebook, one after another, and pooled. Measured:

* per kernel: peak memory (VmHWM, the resident high-water mark, from /proc) and
  CPU seconds per minute of use (from /proc, over the simulated period);
* per control change: the latency a student waits, from sending the change to the
  kernel until the demo's new image exists, measured on the client side, so it
  includes the time the request queues behind other students' work.

It talks only to the kernels it started (over loopback), stops every kernel when
it ends, and bounds its own time: each size stops after its minutes of use, and
``--deadline`` bounds the whole run. Linux only (/proc).

    python3 run.py bench benchmarks/classroom.py                 # N = 1, 5, 10, 20
    .venv/bin/python benchmarks/classroom.py --sizes 1,10 --minutes 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[1-6]_*.ipynb"))
TICKS = os.sysconf("SC_CLK_TCK")

# Runs in each student's kernel after its notebook: find the demos the notebook
# displayed and define ``_move(seed)``, which changes one control of one demo to
# another allowed value and waits (asynchronously, so a live demo's event loop
# keeps running) until that demo shows a new image. Returns what it moved.
KERNEL_SETUP = r"""
import asyncio as _asyncio, gc as _gc, random as _random
from helpers.widgets import Demo as _Demo

_demos = [o for o in _gc.get_objects() if isinstance(o, _Demo)]

def _other_value(control, rng):
    value = control.value
    if isinstance(value, bool):
        return not value
    options = getattr(control, "options", None)
    if options:
        labels = [o[1] if isinstance(o, tuple) else o for o in options]
        return rng.choice([v for v in labels if v != value] or labels)
    low, high, step = control.min, control.max, control.step or 1
    count = int(round((high - low) / step))
    for _ in range(10):
        new = low + step * rng.randint(0, count)
        if hasattr(control, "base"):  # FloatLogSlider: min, max and step are exponents
            new = control.base ** new
        new = type(value)(round(new, 10))
        if new != value:
            return new
    return value

async def _move(seed):
    rng = _random.Random(seed)
    demo = rng.choice(_demos)
    name = rng.choice(sorted(demo.controls))
    control = demo.controls[name]
    before = demo.image.value
    control.value = _other_value(control, rng)
    # Every demo redraws inside the assignment, except a lab that trains on the
    # event loop: wait (at most 10 s) for its first new picture.
    if type(demo).__name__ == "TrainingLab":
        for _ in range(2000):
            if demo.image.value != before:
                break
            await _asyncio.sleep(0.005)
    return f"{type(demo).__name__}.{name}"

len(_demos)
"""


def kernel_stats(pid: int) -> tuple[float, float]:
    """(peak resident memory in MB, CPU seconds used) of process ``pid`` from /proc."""
    peak_kb = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak_kb = int(line.split()[1])
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
    return peak_kb / 1024, cpu


def run_cell(client, code: str, timeout: float) -> dict:
    """Execute ``code``; return the reply content, raising on an error."""
    reply = client.execute_interactive(
        code, timeout=timeout, store_history=False, output_hook=lambda msg: None
    )
    content = reply["content"]
    if content["status"] != "ok":
        raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")
    return content


class Student:
    """One kernel, one notebook, one student moving its controls."""

    def __init__(self, index: int, notebook: Path, seed: int):
        self.index = index
        self.notebook = notebook
        self.rng = random.Random(seed)
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.moved: list[str] = []
        self.manager, self.client = start_new_kernel(
            kernel_name="python3",
            cwd=str(notebook.parent),
        )
        self.pid = self.manager.provisioner.process.pid

    def prepare(self) -> None:
        nb = nbformat.read(self.notebook, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                run_cell(self.client, cell.source, timeout=600)
        run_cell(self.client, KERNEL_SETUP, timeout=60)

    def use(self, stop_at: float, interval: float) -> None:
        time.sleep(self.rng.uniform(0, interval))  # students do not move in step
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                content = run_cell(
                    self.client,
                    f"_moved = await _move({self.rng.randrange(2**31)}); _moved",
                    timeout=60,
                )
                self.latencies.append((time.perf_counter() - started) * 1000)
                self.moved.append(str(content.get("execution_count")))
            except Exception as error:  # noqa: BLE001  (counted and reported)
                self.errors.append(str(error))
            time.sleep(max(0.0, interval - (time.perf_counter() - started)))

    def stop(self) -> None:
        try:
            self.client.stop_channels()
        finally:
            self.manager.shutdown_kernel(now=True)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def simulate(size: int, minutes: float, interval: float, seed: int) -> dict:
    """Run one class size; return its row of the table.

    A class of one is run once per notebook, one after the other, and pooled, so
    that its latencies come from the same mix of demos as a larger class's.
    """
    if size == 1:
        rows = [simulate_group([nb], minutes, interval, seed) for nb in NOTEBOOKS]
        pooled = {key: [row[key] for row in rows] for key in rows[0]}
        latencies = [ms for row in rows for ms in row["latencies"]]
        return summary(
            1,
            sum(pooled["setup_s"]),
            pooled["peaks"],
            pooled["cpu_per_minute"],
            latencies,
            [e for row in rows for e in row["errors"]],
        )
    notebooks = [NOTEBOOKS[k % len(NOTEBOOKS)] for k in range(size)]
    row = simulate_group(notebooks, minutes, interval, seed)
    return summary(
        size,
        row["setup_s"],
        [row["peaks"]],
        [row["cpu_per_minute"]],
        row["latencies"],
        row["errors"],
    )


def summary(size, setup_seconds, peaks, cpu_per_minute, latencies, errors) -> dict:
    peaks = [p for group in peaks for p in group]
    cpu_per_minute = [c for group in cpu_per_minute for c in group]
    return {
        "students": size,
        "setup_s": setup_seconds,
        "peak_mb_max": max(peaks),
        "peak_mb_median": statistics.median(peaks),
        "cpu_s_per_min_median": statistics.median(cpu_per_minute),
        "cpu_s_per_min_max": max(cpu_per_minute),
        "changes": len(latencies),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
    }


def simulate_group(notebooks: list[Path], minutes: float, interval: float, seed: int) -> dict:
    """One kernel per notebook in ``notebooks``, all used at once."""
    students: list[Student] = []
    try:
        setup_started = time.perf_counter()
        for k in range(len(notebooks)):
            students.append(Student(k, notebooks[k], seed * 1000 + k))
        threads = [threading.Thread(target=s.prepare) for s in students]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        setup_seconds = time.perf_counter() - setup_started
        cpu_before = [kernel_stats(s.pid)[1] for s in students]
        use_started = time.monotonic()
        stop_at = use_started + 60 * minutes
        threads = [threading.Thread(target=s.use, args=(stop_at, interval)) for s in students]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        used_minutes = (time.monotonic() - use_started) / 60
        stats = [kernel_stats(s.pid) for s in students]
    finally:
        for student in students:
            student.stop()
    return {
        "setup_s": setup_seconds,
        "peaks": [peak for peak, _ in stats],
        "cpu_per_minute": [
            (cpu - before) / used_minutes
            for (_, cpu), before in zip(stats, cpu_before, strict=True)
        ],
        "latencies": [ms for s in students for ms in s.latencies],
        "errors": [e for s in students for e in s.errors],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,5,10,20", help="class sizes, comma-separated")
    parser.add_argument("--minutes", type=float, default=1.0, help="minutes of use per size")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between changes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--deadline", type=float, default=25.0, help="minutes for the whole run")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    deadline = time.monotonic() + 60 * args.deadline
    print(
        f"{len(NOTEBOOKS)} notebooks, one change every {args.interval:g} s per student, "
        f"{args.minutes:g} min of use per size, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the start",
        flush=True,
    )
    rows = []
    for size in sizes:
        if time.monotonic() > deadline:
            print(f"deadline reached: N = {size} and larger not run", flush=True)
            break
        rows.append(simulate(size, args.minutes, args.interval, args.seed))
        row = rows[-1]
        print(f"N = {size}: done ({row['changes']} changes, {row['errors']} errors)", flush=True)
    print()
    print(
        "| students | setup | peak MB per kernel (median / max) | CPU s per min of use "
        "(median / max) | changes | p50 | p95 | errors |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['students']} | {row['setup_s']:.0f} s | {row['peak_mb_median']:.0f} / "
            f"{row['peak_mb_max']:.0f} | {row['cpu_s_per_min_median']:.1f} / "
            f"{row['cpu_s_per_min_max']:.1f} | {row['changes']} | {row['p50_ms']:.0f} ms | "
            f"{row['p95_ms']:.0f} ms | {row['errors']} |"
        )
    errors = [row["first_error"] for row in rows if row["first_error"]]
    if errors:
        print("first error:", errors[0])
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    if any(row["errors"] for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
