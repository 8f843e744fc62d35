"""derive: complete, checked, step-by-step worked examples of backpropagation.

    import derive
    ex = derive.derive("net.yaml")   # or a Spec, spec text, a mapping, a built-in example's name
    ex.markdown(); ex.latex(); ex.svg(); ex.save("out/", formats=["md", "pdf"])
    run = derive.check_answers("net.yaml", ["alice.yaml"])   # derive check: run.passed, run.markings
    c = derive.derive_circuit("neuron.yaml")   # a circuit (graph:): c.markdown(), c.data, c.files(...)
"""
from __future__ import annotations

from .core.graph import Step, StepGraph, recompute
from .core.quantities import Quantity
from .core.spec import Spec
from .errors import (
           AddressError,
           CheckFailed,
           DeriveError,
           OptionError,
           OutputExists,
           RenderError,
           SpecError,
           TexError,
)
from .io.load import load
from .io.validate import parse_spec
from .pipeline import WorkedExample, derive
from .views.options import Options

__all__ = ["load", "derive", "derive_circuit", "CircuitExample", "check_answers", "CheckRun", "parse_spec", "recompute", "Options", "Spec", "WorkedExample", "StepGraph", "Step",
           "Quantity", "DeriveError", "SpecError", "OptionError", "OutputExists", "AddressError", "CheckFailed", "RenderError", "TexError"]
__version__ = "0.1.0"


def __getattr__(name: str):
    """check_answers and CheckRun, derive_circuit and CircuitExample, imported when first used: working an
    example needs no marking, a network no circuit."""
    if name in ("check_answers", "CheckRun"):
        from . import checking
        return getattr(checking, name)
    if name in ("derive_circuit", "CircuitExample"):
        from . import circuits
        return getattr(circuits, name)
    raise AttributeError(f"module 'derive' has no attribute {name!r}")
