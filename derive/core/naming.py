"""The name of every quantity in each notation, as LaTeX and as plain text, and any such name read back."""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from ..errors import AddressError
from .aliases import normalise, parameter_aliases, quantity_aliases
from .axes import jacobian_layers, network_shape
from .quantities import FIELDS, KINDS, PATH, Quantity, parse_path, path_in
from .spec import Spec
from .symbol_names import NAMES, compact_names, numbered_names, state_name
from .updates import STATE_KINDS, example_state

NOTATIONS = ("layer", "numbered")
# The quantities of one example; with a batch of several, their names carry the example index.
PER_EXAMPLE = frozenset({"x", "t", "z", "a", "dl_da", "da_dz", "delta", "example_loss", "z_after", "a_after"})
_AFTER = r"\text{after}"
PARAMETER_KINDS = frozenset({"W", "b", "dW", "db", "W_new", "b_new"})
# an optimizer's values per parameter (core.updates.STATE_KINDS), named after the parameter: m_w5, vhat_w5
STATES = {"g": "g", "velocity": "v", "m": "m", "v": "v", "m_hat": "mhat", "v_hat": "vhat"}
_EXAMPLE = re.compile(r"\[(\d+)\]")
_NEW = r"\text{new}"


def all_quantities(widths: list[int], batch: int, steps: int = 1, softmax_layers: frozenset[int] = frozenset(),
                   state: tuple[str, ...] = (), shared_bias: frozenset[int] = frozenset()) -> list[Quantity]:
    """Every quantity of the network in the order it is computed, the parameters after the data.

    state names the optimizer's kinds the example has (core.updates.state_kinds), listed before the new
    values; shared_bias the layers whose units share one bias (unit 0).
    """
    L, examples = len(widths) - 1, range(1, batch + 1)
    out = [Quantity("x", 0, n, k) for n in examples for k in _units(widths[0])]
    out += [Quantity("t", 0, n, k) for n in examples for k in _units(widths[-1])]
    out += _parameters("W", "b", widths, range(1, L + 1), shared_bias)
    for l in range(1, L + 1):
        out += [Quantity(kind, l, n, j) for n in examples for j in _units(widths[l]) for kind in ("z", "a")]
    out += [Quantity("example_loss", 0, n) for n in examples] + [Quantity("loss")]
    for l in range(L, 0, -1):
        # a softmax couples every unit of its layer, so its da_dz is the whole Jacobian row
        row = _units(widths[l]) if l in softmax_layers else [0]
        for n in examples:
            for j in _units(widths[l]):
                out += [Quantity("dl_da", l, n, j), *(Quantity("da_dz", l, n, j, m) for m in row),
                        Quantity("delta", l, n, j)]
        out += _parameters("dW", "db", widths, [l], shared_bias)
    for kind, l in ((kind, l) for kind in state for l in range(1, L + 1)):
        if kind.endswith("_W"):
            out += [Quantity(kind, l, 0, j, k) for j in _units(widths[l]) for k in _units(widths[l - 1])]
        else:
            out += [Quantity(kind, l, 0, j) for j in _bias_units(widths, l, shared_bias)]
    out += _parameters("W_new", "b_new", widths, range(1, L + 1), shared_bias)
    for l in range(1, L + 1):
        out += [Quantity(kind, l, n, j) for n in examples for j in _units(widths[l]) for kind in ("z_after", "a_after")]
    return out + [Quantity("loss_history", step=s) for s in range(steps + 1)]


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
    """latex_name with the spec's own shape: its widths, batch and shared biases."""
    return latex_name(q, notation, spec.widths, len(spec.inputs), spec.shared_bias_layers)


def plain_name_in(q: Quantity, spec: Spec, notation: str) -> str:
    """plain_name with the spec's own shape: its widths, batch and shared biases."""
    return plain_name(q, notation, spec.widths, len(spec.inputs), spec.shared_bias_layers)


def _units(width: int) -> list[int]:
    return list(range(1, width + 1))


def _bias_units(widths: list[int], l: int, shared_bias: frozenset[int]) -> list[int]:
    """The unit index of each bias of layer l: 0 alone where its units share one."""
    return [0] if l in shared_bias else _units(widths[l])


def _parameters(weight: str, bias: str, widths: list[int], layers, shared_bias: frozenset[int]) -> list[Quantity]:
    """The weights, then the biases, of each of the layers, as quantities of the two kinds."""
    out: list[Quantity] = []
    for l in layers:
        out += [Quantity(weight, l, 0, j, k) for j in _units(widths[l]) for k in _units(widths[l - 1])]
        out += [Quantity(bias, l, 0, j) for j in _bias_units(widths, l, shared_bias)]
    return out


def latex_name(q: Quantity, notation: str, widths: list[int], batch: int,
               shared_bias: frozenset[int] = frozenset()) -> str:
    r"""The quantity's symbol as LaTeX: w_{5}, a^{(2)[3]}_{1}, \frac{\partial L}{\partial w_{5}}.

    shared_bias, the layers whose units share one bias, matters to the numbered notation's b_n.
    """
    _check(notation)
    n = q.example if batch > 1 and q.kind in PER_EXAMPLE else 0
    l, j = q.layer, q.unit
    if q.kind in STATE_KINDS:
        return state_name(q.kind[:-2], _parameter_latex(q, notation, widths, shared_bias))
    if q.kind in PARAMETER_KINDS:
        symbol = _parameter_latex(q, notation, widths, shared_bias)
        if _role(q.kind) == "d":
            return _frac("L", symbol)
        # an empty group ends w^{(2)}_{11} so the marker is not a second superscript
        new = ("{}" if "^" in symbol else "") + f"^{{{_NEW}}}"
        return symbol + new if _role(q.kind) == "n" else symbol
    if q.kind == "dl_da":
        # with one example the mean loss L is that example's loss, and documents write L
        return _frac(_symbol(r"\ell" if batch > 1 else "L", 0, n, ""), _symbol("a", l, n, j))
    if q.kind == "da_dz":
        return _frac(_symbol("a", l, n, j), _symbol("z", l, n, q.input or j))
    if q.kind in ("loss", "loss_history"):
        return "L" if q.kind == "loss" else f"L_{{{q.step}}}"
    if q.kind in ("z_after", "a_after"):  # z^{(2),after}_1: the forward pass with the updated parameters
        return _symbol(q.kind[0], l, n, str(j)).replace("}_{", rf",{_AFTER}}}_{{", 1)
    letter = {"x": "x", "t": "t", "z": "z", "a": "a", "delta": r"\delta", "example_loss": r"\ell"}[q.kind]
    return _symbol(letter, l, n, "" if q.kind == "example_loss" else str(j))


def _symbol(letter: str, layer: int, example: int, sub: str) -> str:
    """letter^{(layer)[example]}_{sub}, leaving out whatever does not apply."""
    sup = (f"({layer})" if layer else "") + (f"[{example}]" if example else "")
    return letter + (f"^{{{sup}}}" if sup else "") + (f"_{{{sub}}}" if sub else "")


def _frac(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def _parameter_latex(q: Quantity, notation: str, widths: list[int], shared_bias: frozenset[int]) -> str:
    """The LaTeX symbol of the weight or bias q is about, renamed as the notation's documents print it."""
    canonical = NAMES.w(q.layer, q.unit, q.input) if "W" in q.kind else NAMES.b(q.layer, q.unit)
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
    suffix = f"[{q.example}]" if batch > 1 and q.kind in PER_EXAMPLE else ""
    l, j = q.layer, q.unit
    if q.kind in STATE_KINDS:
        return f"{STATES[q.kind[:-2]]}_{_parameter_plain(q, notation, widths, shared_bias)[0]}"
    if q.kind in PARAMETER_KINDS:
        symbol = _parameter_plain(q, notation, widths, shared_bias)[0]
        return {"d": f"dL/d{symbol}", "n": f"{symbol}_new"}.get(_role(q.kind), symbol)
    return {"x": f"x_{j}", "t": f"t_{j}", "z": f"z({l})_{j}", "a": f"a({l})_{j}", "delta": f"delta({l})_{j}",
            "z_after": f"z({l})_{j}_after", "a_after": f"a({l})_{j}_after",
            "example_loss": "l", "loss": "L", "loss_history": f"L_{q.step}", "dl_da": f"dl/da({l})_{j}",
            "da_dz": f"da({l})_{j}/dz({l})_{q.input or j}"}[q.kind] + suffix


def _role(kind: str) -> str:
    """Of a parameter kind: "d" for its gradient, "n" for its update, "" for the parameter itself."""
    return "d" if kind.startswith("d") else "n" if kind.endswith("_new") else ""


def _parameter_plain(q: Quantity, notation: str, widths: list[int], shared_bias: frozenset[int]) -> list[str]:
    """The plain forms of q's weight or bias, the printed one first: w5; or w(2)_11, w2_11, w_11^(2); b(2), b2."""
    letter = "w" if "W" in q.kind else "b"
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
        options = " or ".join(_describe(q.with_example(example or 1) if q.kind in PER_EXAMPLE else q, widths)
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
    if q.kind not in PER_EXAMPLE:
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
            template = q.with_example(0) if q.kind in PER_EXAMPLE else q
            names = [latex_name(q, style, shape, 1, shared_bias), plain_name(q, style, shape, 1, shared_bias)]
            plain = _parameter_plain(q, style, shape, shared_bias) if q.kind in STATE_KINDS | PARAMETER_KINDS else []
            if q.kind in STATE_KINDS:  # also as the JSON field spells it: m_hat_w5, velocity_w5
                names += [f"{q.kind[:-2]}_{name}" for name in plain]
            elif q.kind in PARAMETER_KINDS:
                names += parameter_aliases(q.kind, plain, batch)
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
