"""The mathematics: spec dataclasses, activation and loss registries, symbol names, the chain rule, evaluation. No I/O."""
