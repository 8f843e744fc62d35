"""Benchmark: derive's run times against a bare import, a 484-parameter network, a drawn 10-50-50-2, 10,000 steps per optimizer, marking a class's exam, the naive way.

Run: python bench/bench.py [--repeat N] [--naive-timeout SECONDS]
Timings are medians of whole processes, measured side by side in one run; compare them as ratios.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from derive.io.examples import example_text  # noqa: E402

LAYERED = """
import sys, time
from derive.io.validate import parse_spec
from derive.core.evaluate import evaluate
spec = parse_spec(open(sys.argv[1]).read(), sys.argv[1])
start = time.perf_counter()
evaluate(spec)
print(time.perf_counter() - start)
"""

NAIVE = """
import sys, time, sympy as sp
from derive.io.validate import parse_spec
from derive.oracles.full_expression import loss_expression, parameter_symbols, parameter_value
spec = parse_spec(open(sys.argv[1]).read(), sys.argv[1])
start = time.perf_counter()
loss = sp.expand(loss_expression(spec))
values = {s: parameter_value(spec, q) for q, s in parameter_symbols(spec)}
grads = [sp.diff(loss, s).subs(values).evalf(30) for s in values]
print(time.perf_counter() - start)
"""


# the classic 2-2-2 run for 10,000 steps with each optimizer (goal: at most 0.8 s each, end to end)
OPTIMIZERS = {
    "sgd": "",
    "momentum": "optimizer: {name: momentum, momentum: 0.9}\n",
    "nesterov": "optimizer: {name: momentum, momentum: 0.9, nesterov: true}\nweight_decay: 0.01\n",
    "adam": "optimizer: {name: adam, betas: [0.9, 0.999], eps: 1.0e-8}\nlearning_rate: 0.01\n",
    "adamw": "optimizer: {name: adamw}\nweight_decay: 0.01\nlearning_rate: 0.01\n",
}


def timed(cmd: list[str], repeat: int, timeout: float | None = None, expect_failure: bool = False) -> float:
    """Median wall time of a command over `repeat` runs (`derive check` exits 1 when an answer is wrong)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, timeout=timeout)
        if run.returncode != (1 if expect_failure else 0):
            raise SystemExit(f"{' '.join(cmd)} exited {run.returncode}: {run.stderr.decode()[-300:]}")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def wide_spec(folder: Path) -> Path:
    """An 8-16-16-4 network (ReLU, tanh, softmax; cross-entropy) on a batch of 4: 484 parameters."""
    rng = np.random.default_rng(7)
    widths = [8, 16, 16, 4]
    layers = [{"units": widths[i], "activation": act,
               "weights": np.round(rng.normal(0, 0.5, (widths[i], widths[i - 1])), 3).tolist(),
               "bias": np.round(rng.normal(0, 0.1, widths[i]), 3).tolist()}
              for i, act in zip((1, 2, 3), ("relu", "tanh", "softmax"))]
    targets = np.eye(4)[[0, 1, 2, 3]].tolist()
    spec = {"name": "8-16-16-4", "inputs": np.round(rng.normal(0, 1, (4, 8)), 3).tolist(), "targets": targets,
            "layers": layers, "loss": "cross_entropy", "learning_rate": 0.1}
    path = folder / "wide.json"
    path.write_text(json.dumps(spec))
    return path


def mistaken_answers(folder: Path) -> Path:
    """Every computed number of seed 000 worked with the post's first mistake (softmax as z/Σz), to 6 figures."""
    from derive.check.catalogue import MISTAKES
    from derive.check.mistakes import mistake_graph
    from derive.core.graph import build_graph
    from derive.io.load import load

    graph = mistake_graph(build_graph(load("seed-000")), MISTAKES["softmax_without_exp"])
    lines = [f'"{s.quantity.json_path}": {float(s.value):.6g}' for s in graph.steps if not s.given]
    path = folder / "answers.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def class_answers(folder: Path, py: str) -> tuple[Path, list[Path]]:
    """A 30-variant exam of the classic 2-2-2 and 100 students' answers: every fifth has one question off."""
    exam = folder / "exam"
    subprocess.run([py, "-m", "derive", "exam", "seed-001", "--variants", "30", "--format", "json", "-o", str(exam)],
                   check=True, capture_output=True)
    key = json.loads((exam / "answers.json").read_text())
    files = []
    for i in range(100):
        variant = f"v{i % 30 + 1:02d}"
        lines = [f"variant: {variant}"]
        for e in (e for e in key if e["variant"] == variant):
            off = 3 * e["tolerance"] if i % 5 == 0 and e["question"] == 2 else 0.0
            lines.append(f'"{e["name"]}": {e["value"] + off:.4f}')
        files.append(folder / f"student{i:03d}.yaml")
        files[-1].write_text("\n".join(lines) + "\n")
    return exam, files


def steps_times(folder: Path, derive: list[str], n: int) -> dict[str, float]:
    """The classic 2-2-2 (its published spec) run for 10,000 steps with each optimizer, to JSON."""
    times = {}
    for name, extra in OPTIMIZERS.items():
        text = example_text("seed-001").replace("steps: 2", "steps: 10000")
        if "learning_rate" in extra:
            text = "\n".join(line for line in text.splitlines() if not line.startswith("learning_rate"))
        path = folder / f"classic-{name}.yaml"
        path.write_text(text + "\n" + extra)
        times[name] = timed(derive + [str(path), "--format", "json"], n)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--naive-timeout", type=float, default=120)
    parser.add_argument("--steps-only", action="store_true", help="time the import and the 10,000-step runs only")
    parser.add_argument("--exam-only", action="store_true", help="time marking 100 students' exam answers only")
    args = parser.parse_args()
    py, n = sys.executable, args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seed0 = folder / "seed-000.yaml"
        seed0.write_text(example_text("seed-000"))
        small = folder / "small.yaml"
        small.write_text(example_text("seed-001"))
        wide = wide_spec(folder)
        out = str(folder / "out")
        derive = [py, "-m", "derive", "run", "-o", out]
        bare = timed([py, "-c", "import sympy, numpy, jinja2, click"], n)
        exam, students = class_answers(folder, py)
        t_exam = timed([py, "-m", "derive", "check", str(exam), *map(str, students), "--csv", str(folder / "m.csv"), "--force"],
                       n, expect_failure=True)
        if args.exam_only:
            print(f"derive check, an exam of 30 variants, 100 answer files {t_exam:7.3f} s   (goal < 5 s)")
            return
        if args.steps_only:
            print(f"bare import of sympy, numpy, jinja2, click    {bare:7.3f} s")
            for name, t in steps_times(folder, derive, n).items():
                print(f"derive run 2-2-2, 10,000 steps, {name:9s} {t:7.3f} s   (goal <= 0.8 s)")
            return
        t_seed = timed(derive + [str(seed0), "--format", "md,json"], n)
        t_pdf = timed(derive + [str(seed0), "--format", "md,json,pdf"], n)
        t_wide = timed(derive + [str(wide), "--format", "md,json", "--detail", "full"], n)
        t_drawn = timed(derive + ["--layers", "10,50,50,2", "--seed", "3", "--format", "json"], n)
        t_steps = steps_times(folder, derive, n)
        answers = mistaken_answers(folder)
        check = [py, "-m", "derive", "check", "seed-000", str(answers), "--json"]
        t_check = timed(check, n, expect_failure=True)
        print(f"bare import of sympy, numpy, jinja2, click    {bare:7.3f} s")
        print(f"derive run seed-000 (md, json)                {t_seed:7.3f} s   {t_seed / bare:5.2f} x bare import (goal <= 2)")
        print(f"derive run seed-000 (md, json, pdf)           {t_pdf:7.3f} s   {t_pdf - t_seed:5.2f} s beyond md (goal <= 3 s)")
        print(f"derive run 8-16-16-4, batch 4, full detail    {t_wide:7.3f} s   {t_wide / t_seed:5.2f} x seed-000 (goal <= 3)")
        print(f"derive run --layers 10,50,50,2 (drawn), json  {t_drawn:7.3f} s   (goal <= 10 s)")
        for name, t in t_steps.items():
            print(f"derive run 2-2-2, 10,000 steps, {name:9s} {t:7.3f} s   (goal <= 0.8 s)")
        print(f"derive check seed-000, 125 answers, diagnosed {t_check:7.3f} s   (goal < 2 s)")
        print(f"derive check, an exam of 30 variants, 100 answer files {t_exam:7.3f} s   (goal < 5 s)")
        for name, spec in (("2-2-2", small), ("seed-000", seed0)):
            layered = subprocess.run([py, "-c", LAYERED, str(spec)], capture_output=True, text=True, check=True)
            t_ours = float(layered.stdout.strip())
            print(f"layer-by-layer chain rule, {name:9s}          {t_ours:7.3f} s")
            try:
                result = subprocess.run([py, "-c", NAIVE, str(spec)], capture_output=True, text=True,
                                        timeout=args.naive_timeout, check=True)
                naive = float(result.stdout.strip())
                print(f"naive expand + diff + subs, {name:9s}         {naive:7.3f} s   "
                      f"{naive / t_ours:7.0f} x layer by layer")
            except subprocess.TimeoutExpired:
                print(f"naive expand + diff + subs, {name:9s}         > {args.naive_timeout:.0f} s (stopped)")


if __name__ == "__main__":
    main()
