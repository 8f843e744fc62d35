"""derive(spec) -> WorkedExample: the stages in order, each taking and returning plain data."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .check import CheckReport, require, run_checks
from .document import Options, build_document
from .evaluate import Evaluation, evaluate
from .full_expression import FULL_EXPRESSION_LIMIT
from .gradients import Gradients, derive_gradients
from .report_json import json_quantities
from .spec import Spec


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
