"""Soak run: many random networks against PyTorch (worst error), many malformed inputs against the CLI.

Run: python bench/soak.py [--networks N] [--malformed N]
Needs the test extra (pytest, hypothesis) and PyTorch; prints the figures the README reports.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.test_torch import networks, torch_run  # noqa: E402

from derive.pipeline import derive  # noqa: E402


def agreement(count: int) -> None:
    """Worst difference from PyTorch over every JSON number of `count` networks."""
    worst = {"err": 0.0, "numbers": 0, "networks": 0, "parameters": 0}

    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(networks())
    def one(spec):
        data = derive(spec, full_check_limit=40).data
        first, history, W_final, b_final = torch_run(spec)
        pairs = [(data["loss_history"], history)]
        for l, layer in enumerate(data["layers"]):
            pairs += [(layer[k], first[k][l]) for k in ("z", "a", "dW", "db", "W_new", "b_new")]
            pairs += [(layer["W_final"], W_final[l]), (layer["b_final"], b_final[l])]
        for ours, theirs in pairs:
            ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
            # absolute below 1, relative above: a diverging loss history reaches 1e40
            err = np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1.0)
            worst["err"] = max(worst["err"], float(err.max(initial=0)))
            worst["numbers"] += err.size
        assert data["passed"]
        worst["networks"] += 1
        worst["parameters"] += spec.n_parameters

    start = time.perf_counter()
    one()
    print(f"networks checked against PyTorch (float64): {worst['networks']} "
          f"({worst['parameters']} parameters, {worst['numbers']} numbers) in {time.perf_counter() - start:.0f} s")
    print(f"worst difference |ours - torch| / max(1, |torch|): {worst['err']:.2e}")


def malformed(count: int) -> None:
    """Run the fuzz tests with `count` examples each."""
    env = {**os.environ, "DERIVE_FUZZ_EXAMPLES": str(count)}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:warnings", "tests/test_fuzz.py"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    last = result.stdout.strip().splitlines()[-1]
    print(f"malformed inputs: 3 generators x {count} examples (+ fixed cases): {last} "
          f"in {time.perf_counter() - start:.0f} s")
    if result.returncode:
        print(result.stdout[-3000:])
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=5000)
    parser.add_argument("--malformed", type=int, default=3000)
    args = parser.parse_args()
    agreement(args.networks)
    malformed(args.malformed)


if __name__ == "__main__":
    main()
