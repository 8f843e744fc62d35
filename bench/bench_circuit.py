"""Benchmark: a circuit of 20 gates to md and json against the classic 2-2-2 worked example, side by side.

Run: python bench/bench_circuit.py [--repeat N]
Timings are medians of whole processes, interleaved in one run; compare them as ratios.
Goal: the circuit within 1.2 x the classic example's time.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# 20 gates of every kind a lecture draws, with forks: a sigmoid neuron of four inputs, a max, a loss
CIRCUIT = """name: twenty gates
graph:
  - a1 = w1 * x1
  - a2 = w2 * x2
  - a3 = w3 * x3
  - a4 = w4 * x4
  - s1 = a1 + a2
  - s2 = a3 + a4
  - s = s1 + s2
  - z = s + b
  - h = sigmoid(z)
  - r = relu(s1 - s2)
  - m = max(h, r)
  - t = tanh(z)
  - u = m * t
  - e = exp(-u)
  - q = 1 + e
  - p = 1 / q
  - d = p - y
  - l = d * d
  - k = l + abs(w1)
  - L = k / 2
at: {w1: 0.5, x1: 1.0, w2: -0.3, x2: 2.0, w3: 0.8, x3: -1.0, w4: 0.1, x4: 0.5, b: 0.2, y: 1}
"""


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "twenty.yaml"
        spec.write_text(CIRCUIT)
        out = str(Path(tmp) / "out")
        commands = {"classic-2-2-2": [py, "-m", "derive", "example", "classic-2-2-2", "-o", out, "--force",
                                      "--format", "md,json"],
                    "circuit, 20 gates": [py, "-m", "derive", "run", str(spec), "-o", out, "--force",
                                          "--format", "md,json"]}
        for command in commands.values():  # one untimed round writes the bytecode caches
            _time(command)
        times: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(args.repeat):
            for key, command in commands.items():
                times[key].append(_time(command))
    classic = statistics.median(times["classic-2-2-2"])
    for key, values in times.items():
        median = statistics.median(values)
        print(f"{key:20s} {median:7.3f}s {median / classic:6.2f}x classic")
    print("goal: the circuit at most 1.2 x classic-2-2-2")


if __name__ == "__main__":
    main()
