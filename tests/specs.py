"""Specs that several test modules work on."""
from __future__ import annotations

# tanh, leaky ReLU (its own alpha) and identity with the mean squared error, on a batch of two
MIXED = {
    "inputs": [[0.5, -1.0], [1.5, 0.25]], "targets": [[0.2, -0.1], [0.7, 0.4]], "loss": "mse",
    "learning_rate": 0.3,
    "layers": [{"units": 3, "activation": "tanh", "weights": [[0.4, -0.6], [0.9, 0.2], [-0.3, 0.8]], "bias": 0.1},
               {"units": 2, "activation": "leaky_relu", "alpha": 0.2,
                "weights": [[0.5, -0.7, 0.3], [-0.8, 0.1, 0.6]], "bias": [-0.05, 0.2]},
               {"units": 2, "activation": "identity", "weights": [[1.1, -0.4], [0.3, 0.9]]}],
}

SPECS = {"mixed": MIXED, "summed": {**MIXED, "reduction": "sum"}, "sse": {**MIXED, "loss": "sse"},
         "sgd-decay": {**MIXED, "weight_decay": 0.1},
         "nesterov": {**MIXED, "optimizer": {"name": "momentum", "momentum": 0.9, "nesterov": True}, "weight_decay": 0.01},
         "adam": {**MIXED, "optimizer": {"name": "adam", "eps": 0.01}, "weight_decay": 0.01, "train_bias": False},
         "adamw": {**MIXED, "optimizer": {"name": "adamw", "betas": [0.8, 0.9]}, "weight_decay": 0.1},
         "gradients": {key: value for key, value in MIXED.items() if key != "learning_rate"}}

# one spec per optimizer, each with weight decay, compared with torch.optim number by number
OPTIMIZERS = {
    "sgd-decay": "optimizer: sgd\nweight_decay: 0.05\n",
    "momentum": "optimizer: {name: momentum, momentum: 0.9}\nweight_decay: 0.01\n",
    "nesterov": "optimizer: {name: momentum, momentum: 0.8, nesterov: true}\nweight_decay: 0.01\n",
    "adam": "optimizer: {name: adam, betas: [0.9, 0.999], eps: 1.0e-8}\nweight_decay: 0.01\n",
    "adamw": "optimizer: {name: adamw, betas: [0.8, 0.99], eps: 1.0e-3}\nweight_decay: 0.1\n",
    "adam-fixed-bias": "optimizer: adam\ntrain_bias: false\nsteps: 3\n",
}

KINK_SPEC = """
inputs: [[1, 1, 1]]
targets: [[1]]
layers:
  - {units: 1, activation: relu, weights: [[0.1, 0.2, -0.3]], bias: 0}
  - {units: 1, activation: identity, weights: [[1.0]], bias: 0}
loss: half_sse
learning_rate: 0.1
"""
