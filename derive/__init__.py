"""derive: complete, checked, step-by-step worked examples of backpropagation."""
from __future__ import annotations

from .core.spec import Spec
from .errors import CheckFailed, DeriveError, RenderError, SpecError, TexError
from .io.validate import parse_spec
from .pipeline import WorkedExample, derive
from .views.document import Options

__all__ = ["derive", "parse_spec", "Options", "Spec", "WorkedExample", "DeriveError", "SpecError",
           "CheckFailed", "RenderError", "TexError"]
__version__ = "0.1.0"
