"""derive: complete, checked, step-by-step worked examples of backpropagation."""
from __future__ import annotations

from .document import Options
from .errors import CheckFailed, DeriveError, RenderError, SpecError, TexError
from .pipeline import WorkedExample, derive
from .spec import Spec, parse_spec

__all__ = ["derive", "parse_spec", "Options", "Spec", "WorkedExample", "DeriveError", "SpecError",
           "CheckFailed", "RenderError", "TexError"]
__version__ = "0.1.0"
