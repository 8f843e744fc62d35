"""The name of every quantity in each notation, as LaTeX and as plain text, and any such name read back."""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from ..errors import AddressError
from .aliases import normalise, parameter_aliases, quantity_aliases
from .layers import jacobian_layers, network_shape
from .listing import all_quantities
from .circuit_names import circuit_latex_name, circuit_name, circuit_path, is_circuit_quantity
from .quantities import FIELDS, KINDS, PATH, Quantity, parse_path, path_in
from .spec import Spec
from .symbol_names import NAMES, compact_names, numbered_names, state_name
from .updates import example_state

NOTATIONS = ("layer", "numbered")
_AFTER = r"\text{after}"
# an optimizer's values per parameter (core.updates.STATE_KINDS), named after the parameter: m_w5, vhat_w5
STATES = {"g": "g", "velocity": "v", "m": "m", "v": "v", "m_hat": "mhat", "v_hat": "vhat"}
_EXAMPLE = re.compile(r"\[(\d+)\]")
_NEW = r"\text{new}"


def path_quantities(path: str, spec: Spec) -> list[Quantity]:
    """Every number a JSON path names in the spec's network, or AddressError saying what is wrong."""
    return path_in(path, network_shape(spec))


def quantity_named(text: str, spec: Spec, notation: str | None = None) -> Quantity:
    """The quantity a name or JSON path names in the spec's network: parse_name with the spec's own shape.

    notation None reads a name of either notation (refusing one they give different meanings).
    """
    if not isinstance(text, str):
        raise AddressError(f"expected a quantity's name or JSON path as text, got {type(text).__name__} {text!r}"[:120])
    return parse_name(text, notation, spec.widths, len(spec.inputs), jacobian_layers(spec), steps=spec.steps,
                      state=example_state(spec), shared_bias=spec.shared_bias_layers)


def latex_name_in(q: Quantity, spec: Spec, notation: str) -> str:
    """latex_name with the spec's own shape: its widths, batch and shared biases (a circuit's: its node names)."""
    if is_circuit_quantity(q):
        return circuit_latex_name(q, spec)
    return latex_name(q, notation, spec.widths, len(spec.inputs), spec.shared_bias_layers)


def plain_name_in(q: Quantity, spec: Spec, notation: str) -> str:
    """plain_name with the spec's own shape: its widths, batch and shared biases (a circuit's: its node names)."""
    if is_circuit_quantity(q):
        return circuit_name(q, spec)
    return plain_name(q, notation, spec.widths, len(spec.inputs), spec.shared_bias_layers)


def json_path_in(q: Quantity, spec: Spec) -> str:
    """The quantity's JSON path in the spec's JSON: layers[1].dW[0][1], or a circuit's gradients.x."""
    return circuit_path(q, spec) if is_circuit_quantity(q) else q.json_path


def latex_name(q: Quantity, notation: str, widths: list[int], batch: int,
               shared_bias: frozenset[int] = frozenset()) -> str:
    r"""The quantity's symbol as LaTeX: w_{5}, a^{(2)[3]}_{1}, \frac{\partial L}{\partial w_{5}}.

    Built from the kind's declaration: its letter, a derivative's two kinds, a parameter's role.
    shared_bias, the layers whose units share one bias, matters to the numbered notation's b_n.
    """
    _check(notation)
    kind = KINDS[q.kind]
    if kind.parameter:
        symbol = _parameter_latex(q, notation, widths, shared_bias)
        # an empty group ends w^{(2)}_{11} so the marker is not a second superscript
        new = ("{}" if "^" in symbol else "") + f"^{{{_NEW}}}"
        if kind.role == "state":
            return state_name(kind.state, symbol)
        return {"gradient": _frac("L", symbol), "update": symbol + new}.get(kind.role, symbol)
    if kind.role == "after":  # z^{(2),after}_1: the forward pass with the updated parameters
        return latex_name(q.before(), notation, widths, batch).replace("}_{", rf",{_AFTER}}}_{{", 1)
    n = q.example if batch > 1 else 0
    if kind.over:
        top, bottom = _over(q, batch)
        return _frac(_letter_latex(top, n), _letter_latex(bottom, n))
    return _letter_latex(q, n)


def _letter_latex(q: Quantity, example: int) -> str:
    """letter^{(layer)[example]}_{its other indices}, as the kind declares them."""
    kind = KINDS[q.kind]
    return _symbol(kind.letter[0], q.layer if kind.per_layer else 0, example, _subscript(q))


def _subscript(q: Quantity) -> str:
    """The indices a name carries below: every axis but the example, as the kind orders them."""
    kind = KINDS[q.kind]
    return ",".join(str(v) for a, v in zip(kind.axes, q.index) if a.name != "example" and not a.absent(v))


def _over(q: Quantity, batch: int) -> tuple[Quantity, Quantity]:
    """The two quantities a derivative is of: dl/da_j; da_j/dz_m, where m is the Jacobian's column or j.

    With one example the mean loss L is that example's loss, and documents write L.
    """
    top, bottom = KINDS[q.kind].over
    top = "loss" if top == "example_loss" and batch == 1 else top
    return _like(top, q, q.unit), _like(bottom, q, q.input or q.unit)


def _like(kind: str, q: Quantity, unit: int) -> Quantity:
    """The quantity of a kind at q's place: its layer, example and the unit given, where the kind has them."""
    names = KINDS[kind].indices
    values = {"example": q.example, "unit": unit}
    return Quantity(kind, q.layer if KINDS[kind].per_layer else 0, **{a: values[a] for a in names if a in values})


def _symbol(letter: str, layer: int, example: int, sub: str) -> str:
    """letter^{(layer)[example]}_{sub}, leaving out whatever does not apply."""
    sup = (f"({layer})" if layer else "") + (f"[{example}]" if example else "")
    return letter + (f"^{{{sup}}}" if sup else "") + (f"_{{{sub}}}" if sub else "")


def _frac(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def _parameter_latex(q: Quantity, notation: str, widths: list[int], shared_bias: frozenset[int]) -> str:
    """The LaTeX symbol of the weight or bias q is about, renamed as the notation's documents print it."""
    canonical = NAMES.w(q.layer, q.unit, q.input) if KINDS[q.kind].parameter == "W" else NAMES.b(q.layer, q.unit)
    return _renaming(notation, tuple(widths), frozenset(shared_bias)).get(canonical, canonical)


@lru_cache(maxsize=64)
def _renaming(notation: str, widths: tuple[int, ...], shared_bias: frozenset[int]) -> dict[str, str]:
    """Canonical symbol -> printed symbol; the comma of w^{(l)}_{j,k} only goes where widths are below 10."""
    if notation == "numbered":
        return numbered_names(list(widths), shared_bias)
    return compact_names(list(widths)) if max(widths) <= 9 else {}


def plain_name(q: Quantity, notation: str, widths: list[int], batch: int,
               shared_bias: frozenset[int] = frozenset()) -> str:
    """The name a student would type: w5, w(2)_11, a(2)_1[3], dL/dw5, da(2)_1/dz(2)_1, w5_new, L; b(2) shared."""
    _check(notation)
    kind = KINDS[q.kind]
    if kind.parameter:
        symbol = _parameter_plain(q, notation, widths, shared_bias)[0]
        if kind.role == "state":
            return f"{STATES[kind.state]}_{symbol}"
        return {"gradient": f"dL/d{symbol}", "update": f"{symbol}_new"}.get(kind.role, symbol)
    return _plain(q) + (f"[{q.example}]" if batch > 1 and "example" in kind.indices else "")


def _plain(q: Quantity) -> str:
    """The plain name without its example: z(2)_1, x_1, dl/da(2)_1, z(2)_1_after, L_0."""
    kind = KINDS[q.kind]
    if kind.role == "after":
        return _plain(q.before()) + "_after"
    if kind.over:
        top, bottom = _over(q, 2)  # one example's loss l, whatever the batch
        return f"d{_plain(top)}/d{_plain(bottom)}"
    sub = _subscript(q)
    return kind.letter[1] + (f"({q.layer})" if kind.per_layer else "") + (f"_{sub}" if sub else "")


def _parameter_plain(q: Quantity, notation: str, widths: list[int], shared_bias: frozenset[int]) -> list[str]:
    """The plain forms of q's weight or bias, the printed one first: w5; or w(2)_11, w2_11, w_11^(2); b(2), b2."""
    letter = KINDS[KINDS[q.kind].parameter].letter[1]
    if notation == "numbered":
        return [re.sub(r"[_{}]", "", _parameter_latex(q, notation, widths, shared_bias))]
    if letter == "b" and not q.unit:  # the one bias of a layer: b(2), b2, b^(2)
        return [f"b({q.layer})", f"b{q.layer}", f"b^({q.layer})"]
    sub = str(q.unit) if letter == "b" else f"{q.unit}{q.input}" if max(widths) <= 9 else f"{q.unit},{q.input}"
    return [f"{letter}({q.layer})_{sub}", f"{letter}{q.layer}_{sub}", f"{letter}_{sub}^({q.layer})"]


def parse_name(text: str, notation: str | None, widths: list[int], batch: int,
               softmax_layers: frozenset[int] = frozenset(), *, steps: int = 1,
               state: tuple[str, ...] = (), shared_bias: frozenset[int] = frozenset()) -> Quantity:
    """The quantity a JSON path, a LaTeX or plain name or a common hand-written alias names.

    state names the optimizer's kinds of the example (m_W, v_hat_b, ...), whose names it reads too;
    shared_bias the layers whose units share one bias.
    """
    if notation is not None:
        _check(notation)
    raw = text.strip()
    path = PATH.fullmatch(raw)
    if path and (path.group(1) is not None or path.group(2) in FIELDS):
        found = parse_path(raw, widths, batch, steps, frozenset(softmax_layers), frozenset(shared_bias))
        if len(found) != 1:
            raise AddressError(f"{raw!r} names {len(found)} numbers, not one; give every index, "
                               f"e.g. {found[0].json_path}")
        return found[0]
    key, example = _split_example(normalise(raw), raw)
    table, ambiguous = _table(notation, tuple(widths), batch, frozenset(softmax_layers), steps, tuple(state),
                              frozenset(shared_bias))
    if key in ambiguous:
        options = " or ".join(_describe(q.with_example(example or 1), widths)
                              for q in ambiguous[key])
        raise AddressError(f"{raw!r} is ambiguous here: it could be {options}; give the notation or use the JSON path")
    if key not in table:
        raise AddressError(f"no quantity {raw!r} in this {'-'.join(map(str, widths))} network; "
                           f"try names like {_examples(notation, widths, batch)}")
    return _with_example(table[key], example, batch, raw)


def _split_example(key: str, raw: str) -> tuple[str, int | None]:
    """The name without its example index [n], and n (None when there is none)."""
    found = set(_EXAMPLE.findall(key))
    if len(found) > 1:
        raise AddressError(f"{raw!r} gives two example indices, {' and '.join(sorted(found))}")
    return _EXAMPLE.sub("", key), int(found.pop()) if found else None


def _with_example(q: Quantity, example: int | None, batch: int, raw: str) -> Quantity:
    """The quantity of the table for the example asked for; one example needs no index."""
    if "example" not in KINDS[q.kind].indices:
        if example is not None:
            raise AddressError(f"{raw!r}: {KINDS[q.kind].meaning} is not per example, so it takes no [n]")
        return q
    if example is None and batch > 1:
        raise AddressError(f"{raw!r} is in each of the {batch} examples; add [n] to pick one, e.g. {raw}[1]")
    example = example or 1
    if not 1 <= example <= batch:
        raise AddressError(f"{raw!r}: example {example} is out of range (the batch has 1..{batch})")
    return q.with_example(example)


@lru_cache(maxsize=64)
def _table(notation: str | None, widths: tuple[int, ...], batch: int, softmax_layers: frozenset[int],
           steps: int, state: tuple[str, ...] = (),
           shared_bias: frozenset[int] = frozenset()) -> tuple[dict[str, Quantity], dict[str, list[Quantity]]]:
    """Normalised name -> quantity (per-example ones with example 0), and the names several share."""
    shape = list(widths)
    found: dict[str, set[Quantity]] = defaultdict(set)
    for style in (notation,) if notation else NOTATIONS:
        for q in all_quantities(shape, 1, steps, softmax_layers, state, shared_bias):
            template = q.with_example(0)
            names = [latex_name(q, style, shape, 1, shared_bias), plain_name(q, style, shape, 1, shared_bias)]
            kind = KINDS[q.kind]
            plain = _parameter_plain(q, style, shape, shared_bias) if kind.parameter else []
            if kind.role == "state":  # also as the JSON field spells it: m_hat_w5, velocity_w5
                names += [f"{kind.state}_{name}" for name in plain]
            elif kind.parameter:
                names += parameter_aliases(kind.role, plain, batch)
            else:
                names += quantity_aliases(q, shape, batch)
            for name in names:
                found[normalise(name)].add(template)
    # a name two quantities share is left out, so reading it fails instead of guessing
    table = {key: next(iter(qs)) for key, qs in found.items() if len(qs) == 1}
    return table, {key: sorted(qs) for key, qs in found.items() if len(qs) > 1}


def _describe(q: Quantity, widths: list[int]) -> str:
    """A quantity for a message: its layer-notation name and JSON path."""
    return f"{plain_name(q, 'layer', widths, 1)} ({q.json_path})"


def _examples(notation: str | None, widths: list[int], batch: int) -> str:
    """Two or three names valid for this network, for error messages."""
    L, style = len(widths) - 1, notation or "numbered"
    names = [plain_name(Quantity(kind, L, 0, 1, 1), style, widths, batch) for kind in ("dW", "W_new")]
    return ", ".join(names + [plain_name(Quantity("a", L, 1, 1), style, widths, batch),
                              Quantity("dW", L, 0, 1, 1).json_path])


def _check(notation: str) -> None:
    if notation not in NOTATIONS:
        raise AddressError(f"unknown notation {notation!r}; valid: {', '.join(NOTATIONS)}")
