"""Benchmark: derive exam for a class at once: 100 variants to md, json and Moodle XML; a 1000-draw stress test; PDFs.

Run: python bench/bench_exam.py [--repeat N] [--pdf-variants N]
Timings are medians of whole processes (the command as a teacher runs it), against the goals of the README.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NETWORK = ["--layers", "2,2,2", "--activations", "sigmoid", "--loss", "half_sse"]


def timed(args: list[str], repeat: int) -> float:
    """Median wall time of `python -m derive ARGS` over `repeat` runs, from the checkout."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "derive", *args], cwd=ROOT, capture_output=True)
        if run.returncode != 0:
            raise SystemExit(f"derive {' '.join(args)} exited {run.returncode}: {run.stderr.decode()[-300:]}")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pdf-variants", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = [
            ("100 variants of 2-2-2 → md, json, moodle",
             timed(["exam", *NETWORK, "--variants", "100", "--seed", "1", "--format", "md,json,moodle",
                    "-o", f"{folder}/a", "--force"], options.repeat), 10.0),  # repeats replace the first run's files
            ("--stress 1000 (2-2-2)", timed(["exam", *NETWORK, "--stress", "1000", "--seed", "1"], options.repeat), 20.0),
            (f"{options.pdf_variants} variants of 2-2-2 → pdf (questions and answers)",
             timed(["exam", *NETWORK, "--variants", str(options.pdf_variants), "--seed", "1", "--format", "pdf",
                    "-o", f"{folder}/p"], 1), 60.0),
        ]
    print("| what | time | goal |")
    print("|---|---|---|")
    for what, seconds, goal in rows:
        print(f"| `derive exam` {what} | {seconds:.2f} s | ≤ {goal:g} s |")


if __name__ == "__main__":
    main()
