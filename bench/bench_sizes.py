"""Benchmark: seed 000 to md and json against a bare import, and four network sizes from 12 to 3,000 parameters.

Run: python bench/bench_sizes.py [--repeat N] [--against CHECKOUT] [--from-source]
Timings are medians of whole processes, measured side by side in one run; compare them as ratios.
--against times the same runs from another checkout too (its derive package first on the path),
interleaved with this one's, so a before and an after share the machine's noise. Modules load
from cached bytecode, as an installed package's do (one untimed round writes it), unless
--from-source keeps PYTHONDONTWRITEBYTECODE from the environment.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# widths, batch: 12, ~100, ~500 and ~3,000 parameters (the 8-16-16-4 of bench.py is 484)
SIZES = (([2, 2, 2], 1), ([4, 8, 8, 2], 2), ([8, 16, 16, 4], 4), ([16, 48, 40, 4], 4))


def sized_spec(folder: Path, widths: list[int], batch: int) -> tuple[Path, int]:
    """A network of the given widths (ReLU, tanh, ..., softmax; cross-entropy) on a batch, and its parameters."""
    rng = np.random.default_rng(7)
    hidden = ("relu", "tanh")
    layers = [{"units": widths[i], "activation": "softmax" if i == len(widths) - 1 else hidden[(i - 1) % 2],
               "weights": np.round(rng.normal(0, 0.5, (widths[i], widths[i - 1])), 3).tolist(),
               "bias": np.round(rng.normal(0, 0.1, widths[i]), 3).tolist()}
              for i in range(1, len(widths))]
    targets = np.eye(widths[-1])[[k % widths[-1] for k in range(batch)]].tolist()
    name = "-".join(map(str, widths))
    spec = {"name": name, "inputs": np.round(rng.normal(0, 1, (batch, widths[0])), 3).tolist(), "targets": targets,
            "layers": layers, "loss": "cross_entropy", "learning_rate": 0.1}
    path = folder / f"{name}.json"
    path.write_text(json.dumps(spec))
    return path, sum(widths[i] * (widths[i - 1] + 1) for i in range(1, len(widths)))


def run_once(cmd: list[str], path: str, from_source: bool) -> float:
    """Wall time of one run, with the checkout's derive first on the path."""
    env = dict(os.environ, PYTHONPATH=path)
    if not from_source:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    # from the checkout itself: python -m puts the working folder before PYTHONPATH
    run = subprocess.run(cmd, capture_output=True, env=env, cwd=path)
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {run.returncode}: {run.stderr.decode()[-300:]}")
    return time.perf_counter() - start


def timed_all(commands: dict[str, list[str]], checkouts: list[str], repeat: int,
              from_source: bool) -> dict[tuple[str, str], float]:
    """Median time of every command from every checkout, each round running them all in turn."""
    times: dict[tuple[str, str], list[float]] = {(c, k): [] for c in checkouts for k in commands}
    for checkout in checkouts:  # the bytecode written, the imports warm, before anything is timed
        run_once(commands["seed-000"], checkout, from_source)
    for _ in range(repeat):
        for key, cmd in commands.items():
            for checkout in checkouts:
                times[checkout, key].append(run_once(cmd, checkout, from_source))
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--against", default=None, help="another checkout to time side by side (the before)")
    parser.add_argument("--from-source", action="store_true", help="compile every module at every start")
    args = parser.parse_args()
    py = sys.executable
    checkouts = [str(ROOT)] + ([str(Path(args.against).resolve())] if args.against else [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out = str(folder / "out")
        derive = [py, "-m", "derive", "run", "-o", out, "--force", "--format", "md,json"]
        commands = {"bare": [py, "-c", "import sympy, numpy, jinja2, click"],
                    "seed-000": [py, "-m", "derive", "example", "seed-000", "-o", out, "--force",
                                 "--format", "md,json"]}
        sizes = {}
        for widths, batch in SIZES:
            path, parameters = sized_spec(folder, widths, batch)
            key = f"{path.stem}, batch {batch}"
            sizes[key] = parameters * batch
            commands[key] = derive + [str(path)]
        times = timed_all(commands, checkouts, args.repeat, args.from_source)
    # beyond the bare import: the work that should grow with parameters x examples
    print(f"{'run':28s} {'checkout':>8s} {'time':>8s} {'x bare':>7s} {'params x ex':>11s} "
          f"{'ms/(p x ex)':>11s} {'beyond bare':>11s}")
    for key in commands:
        for n, checkout in enumerate(checkouts):
            t, bare = times[checkout, key], times[checkout, "bare"]
            size = sizes.get(key)
            per = f"{1000 * t / size:11.3f} {1000 * (t - bare) / size:11.3f}" if size else ""
            print(f"{key:28s} {'this' if n == 0 else 'against':>8s} {t:7.3f}s {t / bare:6.2f}x "
                  f"{size or '':>11} {per}")
    print("goal: seed-000 (md, json) at most 1.5 x bare import; time / (parameters x examples) about flat")


if __name__ == "__main__":
    main()
