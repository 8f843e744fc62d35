"""The steps after the first, run as one compiled loop: its progress reports and its quiet output off a terminal."""
from __future__ import annotations

from click.testing import CliRunner

from derive.cli import main
from derive.core.evaluate import evaluate
from derive.core.history import PROGRESS_EVERY
from derive.io.validate import parse_spec
from tests.conftest import MAZUR


def test_a_long_run_reports_its_progress_to_the_last_step():
    heard = []
    evaluate(parse_spec(MAZUR + "steps: 1050\noptimizer: adam\n", "long.yaml"), heard.append)
    assert heard == list(range(PROGRESS_EVERY, 1001, PROGRESS_EVERY)) + [1050]


def test_no_progress_bar_off_a_terminal(tmp_path):
    spec = tmp_path / "long.yaml"
    spec.write_text(MAZUR + "steps: 2000\n")
    result = CliRunner().invoke(main, ["run", str(spec), "-o", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {tmp_path / 'long.json'}\n"
    assert all(line.startswith("derive: warning: ") for line in result.stderr.splitlines())  # notes, no bar


def test_forty_digits_and_floats_name_the_same_diverging_step():
    import pytest

    from derive.errors import NumericalError
    diverging = MAZUR.replace("sigmoid", "identity").replace("learning_rate: 0.5", "learning_rate: 900")
    # 30 steps run in 40 digits, 3000 in floats (MP_WORK_LIMIT); both fail while computing the loss at step 5
    for steps, message in ((30, "the loss at step 5 is"), (3000, "overflowed at step 5")):
        with pytest.raises(NumericalError, match=message):
            evaluate(parse_spec(diverging + f"steps: {steps}\n", "x.yaml"))
