"""What the renderers need of a worked example, so render depends on views and not on the pipeline above it."""
from __future__ import annotations

from typing import Any, Protocol

from .options import Options


class Derived(Protocol):
    """A worked example as render sees it: every number as JSON data, and its document for display options."""

    data: dict[str, Any]

    def document(self, options: Options) -> dict[str, Any]:
        """The view model of the worked example, shown with these options."""
        ...
