"""derive(spec) -> WorkedExample: the stages in order, each taking and returning plain data."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .core.evaluate import Evaluation, evaluate
from .core.gradients import Gradients, derive_gradients
from .core.spec import Spec
from .oracles.checks import CheckReport, require, run_checks
from .oracles.full_expression import FULL_EXPRESSION_LIMIT
from .views.document import Options, build_document
from .views.report_json import json_quantities


@dataclass(frozen=True)
class WorkedExample:
    """Everything one run produces: the numbers, the symbolic rules, the checks, the view model, the JSON."""

    spec: Spec
    evaluation: Evaluation
    gradients: Gradients
    checks: CheckReport
    document: dict[str, Any]
    data: dict[str, Any]


def derive(spec: Spec, options: Options = Options()) -> WorkedExample:
    """Work one gradient-descent step of the spec's network, cross-check it, and build its document."""
    evaluation = evaluate(spec)
    gradients = derive_gradients(spec)
    limit = FULL_EXPRESSION_LIMIT if options.full_check_limit is None else options.full_check_limit
    checks = run_checks(spec, evaluation, limit)
    require(checks)
    data = json_quantities(spec, evaluation, checks)
    document = build_document(spec, evaluation, gradients, checks, data, options)
    return WorkedExample(spec, evaluation, gradients, checks, document, data)
