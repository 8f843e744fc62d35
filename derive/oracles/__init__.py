"""Independent cross-checks of the chain rule: finite differences, a numpy backprop, the whole-expression derivative."""
