"""derive(spec) -> WorkedExample: compute and cross-check; documents and files are a separate call."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from os import PathLike
from pathlib import Path
from typing import Any, Callable

from .core.evaluate import Evaluation, evaluate
from .core.graph import StepGraph
from .core.naming import quantity_named
from .core.quantities import Quantity
from .core.spec import Spec
from .errors import OptionError
from .io.load import load
from .oracles.checks import CheckReport, require, run_checks
from .oracles.full_expression import FULL_EXPRESSION_LIMIT
from .render.environment import worded_notes
from .views.document import Options, build_document
from .views.report_json import json_quantities


@dataclass(frozen=True, eq=False)
class WorkedExample:
    """One computed and cross-checked gradient-descent step; shows itself as documents on request."""

    spec: Spec
    evaluation: Evaluation
    checks: CheckReport
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def graph(self) -> StepGraph:
        """The step graph: every quantity with its formula, inputs and value."""
        return self.evaluation.graph

    @property
    def data(self) -> dict[str, Any]:
        """Every number as plain JSON data (the format documented in the README)."""
        if "data" not in self._cache:
            data = json_quantities(self.spec, self.evaluation, self.checks)
            self._cache["data"] = {**data, "notes": worded_notes(data["notes"])}
        return self._cache["data"]

    def quantity(self, name: str, notation: str | None = None) -> Quantity:
        """The quantity a name (w5, dE/db2, a(2)_1[3], ...) or JSON path names in this network."""
        return quantity_named(name, self.spec, notation)

    def document(self, options: Options | None = None) -> dict[str, Any]:
        """The view model every template receives."""
        options = _options(options) or self.default_options()
        if options not in self._cache:
            self._cache[options] = build_document(self.spec, self.evaluation, self.checks,
                                                  self.data, options, self.explanations())
        return self._cache[options]

    def explanations(self) -> dict[tuple[int, int], dict[str, Any]]:
        """For each published number that differs, what explains it (check.claim_reasons)."""
        if "explanations" not in self._cache:
            from .check.claim_reasons import claim_reasons
            self._cache["explanations"] = claim_reasons(self.graph, self.spec.published) if self.spec.published else {}
        return self._cache["explanations"]

    def default_options(self) -> Options:
        """Display options: the spec's own notation, else the defaults."""
        return Options(notation=self.spec.notation or "layer")

    def markdown(self, options: Options | None = None, svg_name: str = "network.svg") -> str:
        """The worked example as Markdown; its picture is the SVG file svg_name beside it."""
        from .render.environment import render
        return render(self.document(options), "md", extra={"svg_name": svg_name})

    def latex(self, options: Options | None = None) -> str:
        """The worked example as a complete LaTeX article."""
        from .render.latex import render_tex
        return render_tex(self.document(options))

    def svg(self, options: Options | None = None) -> str:
        """The picture of the network, as SVG."""
        from .render.environment import render_svg
        return render_svg(self.document(options))

    def save(self, folder: str | Path, formats: str | tuple[str, ...] | list[str] = ("md", "json"),
             options: Options | None = None, stem: str | None = None, force: bool = False) -> list[Path]:
        """Write the chosen formats to folder/<stem>.<ext>, all or nothing; returns the paths written.

        stem defaults to the spec file's stem (net for net.yaml), as on the command line; a spec that
        came from no file (text, a mapping) is named after its name:. formats may be "md,pdf". As on the
        command line, a file derive did not write there (or that was changed since) is never overwritten
        unless force (OutputExists), and the stem's earlier formats not written again are removed.
        """
        from .io.atomic import output_stem, safe_stem
        from .io.outputs import write_outputs
        from .render.formats import build_files, chosen_formats
        if not isinstance(folder, (str, PathLike)) or not str(folder).strip():
            raise OptionError(f"save: expected a folder's path, got {folder!r}")
        if stem is not None and not (isinstance(stem, str) and stem.strip()):
            raise OptionError(f"save: stem must be a file name's stem (text), got {stem!r}")
        name = safe_stem(stem) if stem else output_stem(self.spec)
        files = build_files(self, name, chosen_formats(formats), options=_options(options))  # TexMissing: none written
        return write_outputs(Path(folder), {name: files}, force)[0]

    def _repr_markdown_(self) -> str:
        """Jupyter shows the worked example as Markdown with its maths rendered (picture inline)."""
        from .render.environment import render
        # Jupyter reads $...$ maths, not GitHub's $`...`$
        options = replace(self.default_options(), math="dollars")
        return render(self.document(options), "md", extra={"svg_name": _data_uri(self.svg())})


def _options(options: Any) -> Options | None:
    """Display options as given (None for the defaults), or an OptionError for anything else."""
    if options is not None and not isinstance(options, Options):
        raise OptionError(f"expected derive.Options(...) or None for the display options, got {type(options).__name__}")
    return options


def _data_uri(svg: str) -> str:
    """The SVG inline, so a notebook needs no file beside it."""
    import base64
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def derive(spec: Spec | str | Path | Mapping[str, Any], full_check_limit: int | None = None,
           progress: Callable[[int], None] | None = None) -> WorkedExample:
    """Work one gradient-descent step of the spec's network and cross-check every gradient.

    spec is a Spec or anything load() reads: a path, spec text, a mapping, a built-in example's name;
    full_check_limit caps parameters x examples for the whole-expression SymPy check (default 20);
    progress, if given, hears how many steps of the loss history are done as they run.
    """
    if full_check_limit is not None and (isinstance(full_check_limit, bool) or not isinstance(full_check_limit, int)
                                         or full_check_limit < 0):
        raise OptionError(f"full_check_limit must be a whole number of 0 or more, or None; got {full_check_limit!r}")
    if progress is not None and not callable(progress):
        raise OptionError(f"progress must be a function of the steps done, or None; got {progress!r}")
    spec = load(spec)
    evaluation = evaluate(spec, progress)
    checks = run_checks(spec, evaluation, FULL_EXPRESSION_LIMIT if full_check_limit is None else full_check_limit)
    require(checks)
    return WorkedExample(spec, evaluation, checks)
