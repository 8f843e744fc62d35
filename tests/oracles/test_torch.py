"""Agreement with PyTorch autograd in float64 on every JSON number (PyTorch is a test extra)."""
from __future__ import annotations

import os

import yaml
from hypothesis import assume, given, seed, settings
from hypothesis import strategies as st

from derive.io.validate import spec_from_data
from tests.specs import KINK_SPEC
from tests.torch_oracle import assert_agrees, rounding_allowed, torch_run, well_conditioned


def test_an_exact_kink_agrees_with_pytorch_where_float64_can_tell():
    assert_agrees(spec_from_data(yaml.safe_load(KINK_SPEC), "kink.yaml"))


def test_every_seed_agrees_with_pytorch(seed):
    assert_agrees(seed)


HIDDEN = ["identity", "sigmoid", "tanh", "relu", "leaky_relu"]
OUTPUTS = {"half_sse": HIDDEN + ["softmax"], "sse": HIDDEN + ["softmax"], "mse": HIDDEN + ["softmax"],
           "cross_entropy": ["softmax", "sigmoid"], "binary_cross_entropy": ["sigmoid"]}


def test_the_random_networks_draw_every_loss():
    from derive.core.losses import LOSSES
    assert set(OUTPUTS) == set(LOSSES)


@st.composite
def networks(draw):
    """Depth 1-4, widths 1-5, every activation, every loss with a valid output, batch 1-4, both
    layouts, biases per unit or shared by a layer's units, trained or fixed, a mean or summed loss,
    every optimizer and weight decay, 1-3 steps."""
    depth = draw(st.integers(1, 4))
    widths = draw(st.lists(st.integers(1, 5), min_size=depth + 1, max_size=depth + 1))
    batch = draw(st.integers(1, 4))
    loss = draw(st.sampled_from(sorted(OUTPUTS)))
    out_act = draw(st.sampled_from(OUTPUTS[loss]))
    layout = draw(st.sampled_from(["out_in", "in_out"]))
    num = st.floats(-1.5, 1.5, allow_nan=False).map(lambda v: round(v, 3))
    layers = []
    for i in range(1, len(widths)):
        act = out_act if i == len(widths) - 1 else draw(st.sampled_from(HIDDEN))
        rows, cols = (widths[i], widths[i - 1]) if layout == "out_in" else (widths[i - 1], widths[i])
        layer = {"units": widths[i], "activation": act,
                 "weights": draw(st.lists(st.lists(num, min_size=cols, max_size=cols), min_size=rows, max_size=rows)),
                 "bias": draw(st.lists(num, min_size=widths[i], max_size=widths[i]))}
        if draw(st.booleans()):  # one bias for the layer: torch broadcasts a (1,) tensor to every unit
            layer.update({"bias": layer["bias"][0], "shared_bias": True})
        if act == "leaky_relu":
            layer["alpha"] = draw(st.sampled_from([0.01, 0.1, 0.2]))
        layers.append(layer)
    K = widths[-1]
    if loss == "cross_entropy":
        raw = [draw(st.lists(st.integers(0, 4), min_size=K, max_size=K).filter(any)) for _ in range(batch)]
        targets = [[v / sum(r) for v in r] for r in raw]
    else:
        lo = -1.0 if loss in ("half_sse", "sse", "mse") else 0.0
        targets = [draw(st.lists(st.floats(lo, 1).map(lambda v: round(v, 3)), min_size=K, max_size=K))
                   for _ in range(batch)]
    inputs = [draw(st.lists(num, min_size=widths[0], max_size=widths[0])) for _ in range(batch)]
    return spec_from_data({"inputs": inputs, "targets": targets, "layers": layers, "loss": loss,
                           "learning_rate": draw(st.sampled_from([0.01, 0.1, 0.5])),
                           "steps": draw(st.integers(1, 3)), "train_bias": draw(st.booleans()),
                           "weight_layout": layout, "reduction": draw(st.sampled_from(["mean", "sum"])),
                           "optimizer": draw(optimizers()), "weight_decay": draw(st.sampled_from([0, 0, 0.01, 0.3]))},
                          "drawn")


@st.composite
def optimizers(draw):
    """sgd, momentum (Nesterov or not), Adam or AdamW, with drawn momentum, betas and eps."""
    name = draw(st.sampled_from(["sgd", "momentum", "adam", "adamw"]))
    if name == "sgd":
        return draw(st.sampled_from(["sgd", {"name": "sgd"}]))
    if name == "momentum":
        # torch keeps no buffer at momentum 0 (plain SGD): tests/conventions/test_optimizers.py checks that case
        return {"name": name, "momentum": draw(st.sampled_from([0.5, 0.9, 0.99])), "nesterov": draw(st.booleans())}
    betas = draw(st.sampled_from([[0.9, 0.999], [0.5, 0.9], [0.0, 0.99], [0.95, 0.0]]))
    return {"name": name, "betas": betas, "eps": draw(st.sampled_from([1e-8, 1e-3, 0.1]))}


# DERIVE_TORCH_EXAMPLES raises the count for a longer run, DERIVE_TORCH_SEED draws other networks.
# The networks are drawn in SHARDS tests of their own, so that parallel workers share them out; each
# shard has its own fixed seed, so that a run on a fresh clone draws the same 1,000 networks as the last.
TORCH_EXAMPLES = int(os.environ.get("DERIVE_TORCH_EXAMPLES", "1000"))
TORCH_SEED = int(os.environ.get("DERIVE_TORCH_SEED", "0"))
SHARDS = 4


def _shard(k):
    @seed(TORCH_SEED * SHARDS + k)
    @settings(max_examples=-(-TORCH_EXAMPLES // SHARDS), deadline=None, database=None)
    @given(spec=networks())
    def shard(spec):
        assume(well_conditioned(spec))
        assert_agrees(spec)
    shard.__name__ = f"test_random_networks_agree_with_pytorch_{k}"
    shard.__doc__ = f"Shard {k} of the random networks drawn against PyTorch."
    return shard


for _k in range(SHARDS):
    globals()[f"test_random_networks_agree_with_pytorch_{_k}"] = _shard(_k)


def test_two_adam_steps_with_eps_1e_3_agree_to_within_torch_s_own_rounding():
    # the draw that found it: each step multiplies the gradient's float64 rounding by up to lr / eps = 500,
    # so torch's weight after two steps is off by 9e-11 (a long-double backprop agrees with derive to 1e-13)
    spec = spec_from_data(TWO_ADAM_STEPS, "two-adam-steps.yaml")
    assert_agrees(spec)
    _, _, W_final, _, _, conditioning = torch_run(spec)
    assert 1e5 < conditioning["amplification"] < 1e6
    assert rounding_allowed(conditioning["amplification"])["atol"] < 1e-9


TWO_ADAM_STEPS = {
    "inputs": [[-1.5, 0.0, 1.096, 0.85, -0.262], [-1.1, 0.38, 0.176, 1.255, 0.849], [1.215, 0.0, 0.519, -1.437, -1.187]],
    "targets": [[0.0, 0.848, -0.038], [0.034, 0.0, -0.605], [0.5, 0.647, 0.0]],
    "layers": [
        {"units": 4, "activation": "leaky_relu", "alpha": 0.2, "bias": 0.333, "shared_bias": True,
         "weights": [[-0.885, 0.0, -0.141, 1.252, 0.157], [0.0, -0.769, -0.107, 0.0, 1.05],
                     [-1.5, 0.289, 0.0, -0.604, 0.0], [1.106, 1.441, 0.0, 0.0, -0.172]]},
        {"units": 5, "activation": "identity", "bias": -0.5, "shared_bias": True,
         "weights": [[0.764, 0.596, 0.107, 0.0], [-0.955, 1.0, 1.354, 0.876], [0.55, 0.0, -1.037, -0.55],
                     [-0.738, 0.811, 0.0, 0.286], [1.05, 0.89, 0.504, -0.945]]},
        {"units": 3, "activation": "tanh", "bias": 0.0, "shared_bias": True,
         "weights": [[0.0, 0.0, 0.0, 1.372, -1.055], [0.927, -0.595, 0.0, 0.91, 1.439], [0.0, 0.0, 0.0, 0.0, 0.0]]}],
    "loss": "mse", "reduction": "sum", "learning_rate": 0.5, "steps": 2,
    "optimizer": {"name": "adam", "betas": [0.9, 0.999], "eps": 0.001}}


def test_a_softmax_layer_s_shared_bias_stays_put_where_adam_turns_torch_s_rounding_into_a_step():
    # the draw that found it: db is exactly 0, torch's float64 1e-17, and Adam's step g / (|g| + eps)
    assert_agrees(spec_from_data({
        "inputs": [[1.0, 0.0, 0.0]], "targets": [[0, 0, 0, 1]], "loss": "cross_entropy", "learning_rate": 0.01,
        "optimizer": "adam", "layers": [{"units": 4, "activation": "softmax", "bias": 0.0, "shared_bias": True,
                                         "weights": [[0, 0, 0], [0, 0, 0], [0, 0, 0], [1, 0, 0]]}]}, "idle.yaml"))
