"""Every quantity of a dense network, in the order it is computed: what names are read back against."""
from __future__ import annotations

from .quantities import KINDS, Quantity


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
        if not KINDS[kind].of_bias:
            out += [Quantity(kind, l, 0, j, k) for j in _units(widths[l]) for k in _units(widths[l - 1])]
        else:
            out += [Quantity(kind, l, 0, j) for j in _bias_units(widths, l, shared_bias)]
    out += _parameters("W_new", "b_new", widths, range(1, L + 1), shared_bias)
    for l in range(1, L + 1):
        out += [Quantity(kind, l, n, j) for n in examples for j in _units(widths[l]) for kind in ("z_after", "a_after")]
    return out + [Quantity("loss_history", step=s) for s in range(steps + 1)]


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
