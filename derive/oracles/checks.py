"""Independent oracles for every gradient: finite differences, a numpy backprop, the full SymPy derivative."""
from __future__ import annotations

from dataclasses import dataclass, replace

import mpmath
import numpy as np

from ..core.activations import ACTIVATIONS
from ..core.evaluate import DIGITS, Evaluation
from ..core.quantities import Quantity
from ..core.spec import Spec
from ..errors import CheckFailed
from . import numpy_backprop
from .full_expression import (
    FULL_EXPRESSION_LIMIT,
    FULL_EXPRESSION_SIZE,
    expression_size,
    full_gradients,
)

FD_STEP = 1e-6
NOISE_FLOOR = 1e-35
KINK = 1e-5  # a ReLU input closer to 0 than this makes a central difference straddle the kink


@dataclass(frozen=True)
class Check:
    """One oracle's verdict: the largest disagreement with the chain rule, and its tolerance."""

    name: str
    method: str
    compared: int
    max_abs_error: float
    atol: float
    rtol: float
    passed: bool
    worst: str
    note: str = ""
    ran: bool = True
    step: float = 0.0  # the finite-difference step h, for documents to write as maths


@dataclass(frozen=True)
class CheckReport:
    """All checks of one worked example."""

    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        """True when no check that ran found a disagreement."""
        return all(c.passed for c in self.checks if c.ran)


def parameter_label(q: Quantity) -> str:
    """A plain-text name like dL/dW1[2,3] (1-based) for a gradient, in messages."""
    if not q.of_bias:
        return f"dL/dW{q.layer}[{q.unit},{q.input}]"
    return f"dL/db{q.layer}[{q.unit}]" if q.unit else f"dL/db{q.layer} (the layer's shared bias)"


def oracle_arguments(spec: Spec) -> dict:
    """The spec as keyword arguments of the numpy oracle."""
    return dict(
        x=np.array(spec.inputs, dtype=float), t=np.array(spec.targets, dtype=float),
        weights=[np.array(layer.weights, dtype=float) for layer in spec.layers],
        biases=[np.array(layer.bias, dtype=float) for layer in spec.layers],
        activations=[layer.activation for layer in spec.layers],
        alphas=[layer.alpha for layer in spec.layers], loss=spec.loss, reduction=spec.reduction,
    )


def _ours(spec: Spec, ev: Evaluation) -> dict[Quantity, mpmath.mpf]:
    """The chain-rule gradients keyed by their quantities."""
    out = {}
    for l, (layer, lv) in enumerate(zip(spec.layers, ev.layers), start=1):
        for j, row in enumerate(lv.dW, start=1):
            for k, g in enumerate(row, start=1):
                out[Quantity("dW", l, 0, j, k)] = g
        out.update({Quantity("db", l, 0, j): g for j, g in zip(layer.bias_units, lv.db)})
    return out


def _theirs(spec: Spec, dW: list, db: list) -> dict[Quantity, float]:
    """An oracle's gradients keyed by their quantities; a shared bias is one entry, unit 0."""
    out = {}
    for l, (layer, W, b) in enumerate(zip(spec.layers, dW, db), start=1):
        for j in range(W.shape[0]):
            for k in range(W.shape[1]):
                out[Quantity("dW", l, 0, j + 1, k + 1)] = float(W[j, k])
        out.update({Quantity("db", l, 0, j): float(g) for j, g in zip(layer.bias_units, b)})
    return out


def _error(ours: mpmath.mpf, theirs: object) -> float:
    """|ours - theirs|, as 0 below NOISE_FLOOR: the 40-digit rounding there depends on SymPy's term order,
    which changes from run to run, and documents must not."""
    error = float(abs(ours - mpmath.mpf(theirs)))
    return 0.0 if error < NOISE_FLOOR * max(1.0, abs(float(ours))) else error


def _compare(name: str, method: str, ours: dict, theirs: dict, atol: float, rtol: float,
             skip: set | frozenset = frozenset(), note: str = "", slack: dict | None = None) -> Check:
    """Largest |ours - theirs| over the keys compared; passed when each is within its tolerance.

    slack adds a per-parameter allowance for an oracle's own float64 rounding, measured, not assumed.
    A parameter an oracle cannot compute (inf or NaN in float64) is left out and counted in the note.
    """
    slack = slack or {}
    with mpmath.workdps(DIGITS):
        errors = {key: _error(g, theirs[key]) for key, g in ours.items()
                  if key not in skip and np.isfinite(float(theirs[key])) and np.isfinite(slack.get(key, 0.0))}
    failing = {key: e for key, e in errors.items()
               if not e <= atol + rtol * abs(float(ours[key])) + slack.get(key, 0.0)}
    pool = failing or errors
    worst = parameter_label(max(pool, key=pool.__getitem__)) if pool else ""
    lost = len(ours) - len(skip) - len(errors)
    if lost:
        note = "; ".join(filter(None, [note, f"{lost} parameters not comparable: float64 overflows here"]))
    return Check(name, method, len(errors), max(errors.values(), default=0.0), atol, rtol, not failing, worst,
                 note, ran=bool(errors))


def _kinked(spec: Spec, ev: Evaluation, within: float = KINK) -> set:
    """Parameters whose loss is not smooth at the point: upstream of a ReLU input within `within` of 0
    (with within = 0, exactly at 0)."""
    skip: set = set()
    keys = _ours(spec, ev).keys()
    for l, (layer, lv) in enumerate(zip(spec.layers, ev.layers), start=1):
        if not ACTIVATIONS[layer.activation].kink:
            continue
        for j in range(layer.units):
            if any(abs(row[j]) < within or (within == 0 and row[j] == 0) for row in lv.z):
                # a shared bias (unit 0) reaches unit j too
                skip |= {q for q in keys if q.layer < l or (q.layer == l and q.unit in (0, j + 1))}
    return skip


def _exact_kink_note(exact: set) -> str:
    """Why parameters at an exact kink are left out of the other oracles."""
    return (f"{len(exact)} parameters upstream of a ReLU input at exactly 0 not compared: the derivative "
            "there is taken as 0, as in PyTorch, but the oracle's own rounding may put z on either side") if exact else ""


def _rounding_slack(spec: Spec, ev: Evaluation, arrays: dict) -> tuple[dict, dict, dict]:
    """Allowances for the float64 oracles' own rounding: from the loss's float64 error (finite
    differences divide it by h) and from a long-double rerun of the numpy backprop."""
    loss64 = numpy_backprop.forward_loss(**arrays)
    loss_error = max(abs(loss64 - float(ev.loss)), np.finfo(float).eps * abs(float(ev.loss)))
    long_args = {**arrays, "x": arrays["x"].astype(np.longdouble), "t": arrays["t"].astype(np.longdouble),
                 "weights": [w.astype(np.longdouble) for w in arrays["weights"]],
                 "biases": [b.astype(np.longdouble) for b in arrays["biases"]]}
    nb64, nb_long = numpy_backprop.backprop(**arrays), numpy_backprop.backprop(**long_args)
    g64, g_long = _theirs(spec, nb64.dW, nb64.db), _theirs(spec, nb_long.dW, nb_long.db)
    fd_slack = {key: 10 * loss_error / FD_STEP for key in g64}
    nb_slack = {key: 10 * abs(g64[key] - g_long[key]) for key in g64}
    return fd_slack, nb_slack, g64


def run_checks(spec: Spec, ev: Evaluation, full_limit: int = FULL_EXPRESSION_LIMIT) -> CheckReport:
    """Compare every gradient with the three oracles; full_limit caps the symbolic one's size."""
    arrays = oracle_arguments(spec)
    ours = _ours(spec, ev)
    with np.errstate(all="ignore"):  # float64 overflow shows up as a parameter not comparable
        fd_W, fd_b = numpy_backprop.finite_difference_gradients(**arrays, h=FD_STEP)
        fd_slack, nb_slack, nb = _rounding_slack(spec, ev, arrays)
    skip, exact = _kinked(spec, ev), _kinked(spec, ev, within=0)
    note = f"{len(skip)} parameters upstream of a ReLU input within {KINK:g} of 0 not compared" if skip else ""
    differences = _compare("finite differences", "central differences of the loss, float64",
                           ours, _theirs(spec, fd_W, fd_b), 1e-7, 1e-5, skip, note, fd_slack)
    checks = [replace(differences, step=FD_STEP),
              _compare("numpy backprop", "an independent float64 backprop in numpy",
                       ours, nb, 1e-10, 1e-9, exact, _exact_kink_note(exact), nb_slack)]
    size = spec.n_parameters * len(spec.inputs)
    method = "sympy.diff of the whole loss as one expression, 40 digits"
    if size <= full_limit and expression_size(spec) > FULL_EXPRESSION_SIZE:
        checks.append(Check("full symbolic derivative", method, 0, 0.0, 0.0, 0.0, True, "",
                            f"not run: the expanded loss is too large (size {expression_size(spec)} over "
                            f"{FULL_EXPRESSION_SIZE}; it grows as the product of the widths, and fiftyfold "
                            "with each further ReLU layer)", ran=False))
    elif size <= full_limit:
        checks.append(_compare("full symbolic derivative", method, ours, full_gradients(spec), 1e-25, 1e-20,
                               exact, _exact_kink_note(exact)))
    else:
        checks.append(Check("full symbolic derivative", method, 0, 0.0, 0.0, 0.0, True, "",
                            f"not run: parameters times examples = {size} is over the limit of {full_limit} "
                            "set when this document was made", ran=False))
    return CheckReport(tuple(checks))


def require(report: CheckReport) -> None:
    """Raise CheckFailed naming the first check and parameter that disagree."""
    for c in report.checks:
        if c.ran and not c.passed:
            raise CheckFailed(f"check '{c.name}' disagrees with the chain rule at {c.worst} "
                              f"(error {c.max_abs_error:.3g}, tolerance {c.atol:g} + {c.rtol:g}·|g|)")
