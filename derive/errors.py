"""The one error hierarchy of derive; only the CLI turns these into messages."""
from __future__ import annotations


class DeriveError(Exception):
    """Base of every error derive raises on purpose; its message is one line for the user."""

    exit_code = 1


class SpecError(DeriveError):
    """Raised when a spec file is missing, malformed or describes an invalid network."""

    exit_code = 2


class LimitError(SpecError):
    """Raised when a spec is valid but too large to be a worked example."""


class NumericalError(SpecError):
    """Raised when a spec's numbers make the loss or a gradient infinite or undefined (saturation, divergence)."""


class DrawsRefused(SpecError):
    """Raised when an exam's number ranges give no further acceptable variant: every draw in a row was refused."""


class CheckFailed(DeriveError):
    """Raised when an independent cross-check disagrees with the chain-rule gradients."""

    exit_code = 3


class RenderError(DeriveError):
    """Raised when a template is missing or fails to render."""

    exit_code = 4


class TexError(DeriveError):
    """Raised when LaTeX is missing or fails to compile a document."""

    exit_code = 5


class AddressError(DeriveError):
    """Raised when a quantity's address (a JSON path or a name) is malformed or out of range."""

    exit_code = 2


class OptionError(DeriveError):
    """Raised when an option (of the command line, of Options or of a library call) has a value it cannot take."""

    exit_code = 2


class OutputExists(DeriveError):
    """Raised when writing would overwrite a file, or mix with an earlier output, that the user did not ask to replace."""

    exit_code = 2
