"""Benchmark: MathJax 3 typesetting every maths span of the gallery (reports/*.md, tests/golden/*.md) in one node process.

Run: python bench/mathjax.py [--repeat N]   (needs node and `npm ci --prefix tests/js`, as scripts/setup.sh does)
Prints medians of whole processes: the gallery's spans, and node with MathJax loaded on no span at all.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "render"))
from markdown_math import scan  # noqa: E402


def median_time(payload: str, repeat: int) -> float:
    """Median wall time of tests/js/typeset.mjs on a JSON payload."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(["node", str(ROOT / "tests/js/typeset.mjs")], input=payload, text=True, check=True,
                       capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    documents = sorted(ROOT.glob("reports/*.md")) + sorted(ROOT.glob("tests/golden/*.md"))
    spans = [sp for path in documents for sp in scan(path.read_text())[0]]
    payload = json.dumps([[sp.tex, sp.display] for sp in spans])
    print(f"{len(spans)} spans of {len(documents)} documents: {median_time(payload, repeat):.2f} s")
    print(f"node and MathJax, no span: {median_time('[]', repeat):.2f} s")


if __name__ == "__main__":
    main()
