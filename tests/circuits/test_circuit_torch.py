"""Random circuits of every gate, with forks, ties and kinks, against PyTorch's autograd in float64."""
from __future__ import annotations

import math
import os

import pytest
from hypothesis import assume, given, seed, settings
from hypothesis import strategies as st

from derive.core.circuit import build_circuit, circuit_history, grad_of, value_of
from derive.errors import NumericalError, SpecError
from derive.io.circuit_spec import circuit_from_data

torch = pytest.importorskip("torch")

UNARY = {"exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt, "tanh": torch.tanh, "abs": torch.abs,
         "sigmoid": torch.sigmoid, "relu": torch.relu, "square": lambda x: x ** 2, "neg": lambda x: -x}
BINARY = {"+": torch.add, "-": torch.sub, "*": torch.mul, "/": torch.div, "max": torch.maximum,
          "min": torch.minimum,
          # kinks nested in one stage, which SymPy folds into joined conditions
          "relu_max": lambda a, b: torch.relu(torch.maximum(a, b)), "abs_relu": lambda a, b: torch.abs(torch.relu(a) - b)}
# three arguments: max(a, b, c) is max(max(a, b), c), as torch.maximum nested
TERNARY = {"max3": lambda a, b, c: torch.maximum(torch.maximum(a, b), c),
           "min3": lambda a, b, c: torch.minimum(torch.minimum(a, b), c)}
# one-decimal numbers with repeats, so that ties at max and min and ReLU inputs of exactly 0 are drawn too
NUMBERS = st.sampled_from([-2, -1.5, -1, -0.5, -0.2, 0, 0.2, 0.5, 1, 1.5, 2, 3])


def _text(op: str, args: list[str]) -> str:
    if op in TERNARY:
        return f"{op[:3]}({', '.join(args)})"
    if op == "relu_max":
        return f"relu(max({args[0]}, {args[1]}))"
    if op == "abs_relu":
        return f"abs(relu({args[0]}) - ({args[1]}))"
    if op in BINARY and op not in ("max", "min"):
        return f"({args[0]}) {op} ({args[1]})"
    if op == "square":
        return f"({args[0]})^2"
    if op == "neg":
        return f"-({args[0]})"
    return f"{op}({', '.join(args)})"


@st.composite
def circuits(draw):
    """A circuit spec as data, and each stage as (op, read names) for torch to compute alike."""
    n_given = draw(st.integers(1, 4))
    names = [f"x{i}" for i in range(n_given)]
    at = {name: draw(NUMBERS) for name in names}
    stages = []
    for s in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(sorted(UNARY) + sorted(BINARY) + sorted(TERNARY)))
        # reading earlier nodes at random makes forks, where gradients add
        args = [draw(st.sampled_from(names)) for _ in range(3 if op in TERNARY else 2 if op in BINARY else 1)]
        stages.append((f"s{s}", op, args))
        names.append(f"s{s}")
    graph = [f"{name} = {_text(op, args)}" for name, op, args in stages]
    data = {"graph": graph, "at": at}
    steps = draw(st.integers(0, 2))  # 0: no step; else steps of gradient descent on every given number
    if steps:
        data.update(learning_rate=draw(st.sampled_from([0.01, 0.1, 0.5])), parameters=list(at), steps=steps)
    return data, stages


def _forward(at: dict, stages: list) -> dict:
    values = {k: torch.tensor(float(v), dtype=torch.float64, requires_grad=True) for k, v in at.items()}
    for name, op, args in stages:
        values[name] = _apply(op, [values[a] for a in args])
    return values


def _apply(op: str, args: list):
    return TERNARY[op](*args) if op in TERNARY else BINARY[op](*args) if op in BINARY else UNARY[op](args[0])


def _torch(data: dict, stages: list) -> tuple[dict[str, float], dict[str, float], list[float]] | None:
    """Every node's value, the output's gradient by each given number (0 where it does not reach it), and the
    output after each step of torch.optim.SGD on the parameters."""
    values = _forward(data["at"], stages)
    leaves = [values[k] for k in data["at"]]
    grads = torch.autograd.grad(values[stages[-1][0]], leaves, allow_unused=True)
    numbers = {k: float(v.detach()) for k, v in values.items()}
    gradients = {k: 0.0 if g is None else float(g) for k, g in zip(data["at"], grads)}
    history = []
    if data.get("steps"):
        params = {k: torch.tensor(float(v), dtype=torch.float64, requires_grad=True) for k, v in data["at"].items()}
        optimizer = torch.optim.SGD(list(params.values()), lr=data["learning_rate"])
        for _ in range(data["steps"]):
            optimizer.zero_grad()
            values = dict(params)
            for name, op, args in stages:
                values[name] = _apply(op, [values[a] for a in args])
            out = values[stages[-1][0]]
            if out.requires_grad:
                out.backward()
            optimizer.step()
        with torch.no_grad():
            history.append(float(_forward({k: v.item() for k, v in params.items()}, stages)[stages[-1][0]]))
    if not all(math.isfinite(x) for x in [*numbers.values(), *gradients.values(), *history]):
        return None
    return numbers, gradients, history


def assert_agrees(data: dict, stages: list) -> None:
    theirs = _torch(data, stages)
    try:
        circuit = circuit_from_data(data, "random.yaml")
    except SpecError as err:
        assert "whatever the given numbers" in str(err), err  # x - x: SymPy folds it to 0, a constant stage
        assume(False)
        return
    try:
        graph = build_circuit(circuit)
        stepped = circuit_history(graph)[-1] if circuit.learning_rate is not None else None
    except NumericalError:
        # derive refuses a log of a number <= 0, a root of a negative, a division by 0, an infinite slope
        # (a root at 0): torch gives nan or inf there, which the draw then has too, or a 0/0 slope
        assume(False)
        return
    assert theirs is not None, f"derive worked a circuit torch could not: {data}"
    numbers, gradients, history = theirs
    scale = max([1.0, *(abs(x) for x in numbers.values())])
    if history:
        assert math.isclose(float(stepped), history[-1], rel_tol=1e-6, abs_tol=1e-9 * scale), (stepped, history, data)
    for node, name in enumerate(circuit.nodes, start=1):
        ours = float(graph.value(value_of(circuit, node)))
        assert math.isclose(ours, numbers[name], rel_tol=1e-9, abs_tol=1e-12 * scale), (name, ours, numbers[name], data)
    for node, name in enumerate(circuit.nodes[:len(circuit.given)], start=1):
        ours, torch_grad = float(graph.value(grad_of(node))), gradients[name]
        g_scale = max([1.0, abs(torch_grad)])
        assert math.isclose(ours, torch_grad, rel_tol=1e-8, abs_tol=1e-10 * g_scale * scale), \
            (name, ours, torch_grad, data)


CIRCUITS = int(os.environ.get("DERIVE_TORCH_CIRCUITS", "1000"))
SHARDS = 4


def _shard(k):
    @seed(1000 + k)
    @settings(max_examples=-(-CIRCUITS // SHARDS), deadline=None, database=None)
    @given(drawn=circuits())
    def shard(drawn):
        assert_agrees(*drawn)
    shard.__name__ = f"test_random_circuits_agree_with_pytorch_{k}"
    shard.__doc__ = f"Shard {k} of the random circuits drawn against PyTorch."
    return shard


for _k in range(SHARDS):
    globals()[f"test_random_circuits_agree_with_pytorch_{_k}"] = _shard(_k)


def test_ties_and_kinks_take_pytorchs_slopes():
    # torch.maximum halves the gradient at a tie; ReLU'(0) = 0; |x|' at 0 = 0
    for graph, op in ((["f = max(x0, x1)"], "max"), (["f = min(x0, x1)"], "min")):
        assert_agrees({"graph": graph, "at": {"x0": 1, "x1": 1}}, [("f", op, ["x0", "x1"])])
    assert_agrees({"graph": ["f = relu(x0)"], "at": {"x0": 0}}, [("f", "relu", ["x0"])])
    assert_agrees({"graph": ["f = abs(x0)"], "at": {"x0": 0}}, [("f", "abs", ["x0"])])
