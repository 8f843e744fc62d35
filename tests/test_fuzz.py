"""Malformed input never crashes the command line: exit code 2, one line, no traceback, no file."""
from __future__ import annotations

import copy
import os
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from derive.cli import main
from tests.conftest import MAZUR, written_names

VALID = yaml.safe_load(MAZUR)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.text(max_size=20),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(["sigmoid", "softmax", "mse", "1e400", "-.inf"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                         max_size=4), max_leaves=20)
# DERIVE_FUZZ_EXAMPLES raises the count for a soak run (bench/soak.sh)
FUZZ = settings(max_examples=int(os.environ.get("DERIVE_FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run_cli(tmp_path: Path, text: str, data: bytes | None = None):
    """Run `derive run` on the text; return the result and the files it left in the output folder."""
    spec = tmp_path / "fuzz.yaml"
    spec.write_bytes(data if data is not None else text.encode("utf-8", "surrogatepass"))
    out = tmp_path / "out"
    if out.exists():
        for p in out.iterdir():
            p.unlink()
    result = CliRunner().invoke(main, ["run", str(spec), "-o", str(out), "--format", "md,json"])
    return result, written_names(out) if out.exists() else []


def assert_clean_refusal(result, files) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("derive: error: "), result.output
    assert "Traceback" not in result.output
    assert files == []


@FUZZ
@given(values)
@example({"inputs": "!!python/object/apply:os.system ['echo pwned']"})
def test_random_documents_are_refused_cleanly(tmp_path, data):
    result, files = run_cli(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    assert_clean_refusal(result, files)


@FUZZ
@given(st.text(max_size=200))
@example("inputs: !!python/object/apply:os.system ['echo pwned']\n")
@example("a: &x [*x]\n")
@example("[" * 3000 + "]" * 3000)
@example("x: !!binary aGVsbG8=\n")
def test_random_text_is_refused_cleanly(tmp_path, text):
    result, files = run_cli(tmp_path, text)
    assert_clean_refusal(result, files)


def test_non_utf8_bytes_are_refused_cleanly(tmp_path):
    assert_clean_refusal(*run_cli(tmp_path, "", data=b"inputs: \xff\xfe\n"))


def _paths(data, prefix=()):
    """Every path into a nested spec."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, prefix + (i,))


PATHS = [p for p in _paths(VALID) if p]


@FUZZ
@given(st.sampled_from(PATHS), st.one_of(values, st.just("<delete>")))
def test_a_mutated_spec_either_works_or_is_refused_cleanly(tmp_path, path, value):
    assert_works_or_is_refused(tmp_path, VALID, path, value)


def assert_works_or_is_refused(tmp_path, valid, path, value) -> None:
    """The spec with the field at path replaced by value (or deleted) works, or is refused cleanly."""
    data = copy.deepcopy(valid)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if value == "<delete>":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    result, files = run_cli(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    if result.exit_code == 0:
        assert files == ["fuzz.json", "fuzz.md", "fuzz.svg"]
    else:
        assert_clean_refusal(result, files)


WITH_OPTIMIZER = yaml.safe_load(MAZUR + "optimizer: {name: adam, betas: [0.9, 0.999], eps: 1.0e-8}\nweight_decay: 0.01\n")
OPTIMIZER_PATHS = [p for p in _paths(WITH_OPTIMIZER) if p and p[0] in ("optimizer", "weight_decay", "learning_rate")]


@FUZZ
@given(st.sampled_from(OPTIMIZER_PATHS),
       st.one_of(values, st.sampled_from(["momentum", "adamw", "sgd", "rmsprop", {"name": "momentum", "nesterov": True}]),
                 st.just("<delete>")))
def test_a_mutated_optimizer_either_works_or_is_refused_cleanly(tmp_path, path, value):
    assert_works_or_is_refused(tmp_path, WITH_OPTIMIZER, path, value)


def test_an_input_that_drives_an_output_to_e_to_the_minus_thousands_works_or_is_refused(tmp_path):
    # found by the mutation test: rounding such a number in fixed-point digits overflowed Python's int reader
    assert_works_or_is_refused(tmp_path, VALID, ("inputs", 0, 0), -39527)
