"""The --with-code numpy listing: found in a document, run, and its printed numbers read."""
from __future__ import annotations

import re
import subprocess
import sys

NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?")


def listing(markdown: str) -> str:
    """The one Python code block of a Markdown document."""
    blocks = re.findall(r"^```python\n(.*?)^```$", markdown, re.S | re.M)
    assert len(blocks) == 1
    return blocks[0]


def printed(code: str) -> dict[str, list[float]]:
    """Run the listing in a fresh Python with numpy; each name it prints with its numbers, flattened."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    found = re.findall(r"^(\w+) = (.*?)(?=^\w+ = |\Z)", out, re.S | re.M)
    return {name: [float(x) for x in NUMBER.findall(text)] for name, text in found}


def flat(value) -> list[float]:
    return [x for item in value for x in flat(item)] if isinstance(value, list) else [value]


def close(shown: list[float], exact: list[float], digits: int) -> bool:
    """Each printed number is the JSON's rounded to `digits` significant figures."""
    tolerance = 0.5 * 10.0 ** (1 - digits) * 1.0001
    return len(shown) == len(exact) and all(abs(s - e) <= tolerance * abs(e) + 1e-15 for s, e in zip(shown, exact))
