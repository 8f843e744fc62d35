"""derive run and derive example: work examples from spec files or by name, and write their documents."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from .circuit import produce_circuit
from .common import derived, format_list, refuse_given, warn
from .exam import run_drawn, shape_options
from ..core.symbol_names import STYLES
from ..errors import OutputExists, SpecError
from ..io.atomic import safe_stem
from ..io.examples import circuit_example_names, example_lines, example_names, example_text
from ..io.load import spec_source
from ..io.outputs import write_outputs
from ..io.sources import STDIN, run_stems
from ..io.circuit_spec import circuit_from_data, is_circuit
from ..io.expression_gates import expression_spec
from ..io.specfile import parse_document
from ..io.validate import DEFAULT_MAX_PARAMETERS, spec_from_data
from ..render.formats import FORMATS, build_files
from ..render.pdf import TexMissing
from ..render.tex_warning import spec_tex_warning
from ..views.notes import note_warnings
from ..views.options import DETAILS, MATH_STYLES, Options


def output_options(command):
    """The options every command that writes a worked example shares."""
    for option in reversed([
        click.option("-o", "--output", "output", default="reports", show_default=True,
                     type=click.Path(file_okay=False), help="Folder for the output files."),
        click.option("--format", "formats", default="md,json", show_default=True, callback=format_list(FORMATS),
                     help=f"Comma-separated formats: {', '.join(FORMATS)}."),
        click.option("--digits", default=6, show_default=True, type=click.IntRange(2, 15),
                     help="Significant figures shown."),
        click.option("--notation", default=None, type=click.Choice(STYLES),
                     help="layer: w^(l)_jk; numbered: w_1, w_2, ... (default: the spec's, else layer)"),
        click.option("--detail", default="auto", show_default=True, type=click.Choice(("auto",) + DETAILS),
                     help="full: every weight's chain rule; layer: per-layer vectors; summary: tables."),
        click.option("--math", "math", default="github", show_default=True, type=click.Choice(MATH_STYLES),
                     help="Markdown maths: github (```math blocks, $`...`$) or dollars ($$...$$, $...$ for "
                          "pandoc, VS Code, Jupyter)."),
        click.option("--with-code", is_flag=True,
                     help="Add a numpy listing that computes the same step and prints its numbers."),
        click.option("--exercises", is_flag=True,
                     help="Add questions for the reader about this example, with their answers."),
        click.option("--full-check-limit", default=None, type=click.IntRange(0),
                     help="Run the whole-expression SymPy check up to this many parameters x examples "
                          "(default 20)."),
        click.option("--max-parameters", default=DEFAULT_MAX_PARAMETERS, show_default=True,
                     type=click.IntRange(1), help="Refuse larger networks."),
        click.option("--template-dir", default=None, type=click.Path(file_okay=False, exists=True),
                     help="Folder of templates overriding the built-in ones (sandboxed)."),
        click.option("--force", is_flag=True,
                     help="Overwrite output files derive did not write, or that were changed since it wrote them."),
    ]):
        command = option(command)
    return command


def _produce(text: str, source: str, stem: str, kw: dict) -> list[Path]:
    """Parse, derive, render and write one worked example; its teaching notes are warnings on stderr."""
    data, lines = parse_document(text, source)
    if is_circuit(data):
        return produce_circuit(circuit_from_data(data, source, lines), source, stem, kw)
    spec = spec_from_data(data, source, lines, kw["max_parameters"])
    notation = kw["notation"] or spec.notation or "layer"
    options = Options(kw["digits"], notation, kw["detail"], kw["math"], kw["with_code"], kw["exercises"])
    example = derived(spec, source, kw["full_check_limit"])
    try:
        files, missing_tex = build_files(example, safe_stem(stem), kw["formats"], kw["template_dir"], options), None
    except TexMissing as err:  # the other formats are good: write them, then report it
        files, missing_tex = err.files, err
    spec_path = Path(source)
    for name in files:
        if spec_path.is_file() and (Path(kw["output"]) / name).resolve() == spec_path.resolve():
            raise OutputExists(f"{source}: the output {Path(kw['output']) / name} would overwrite the spec itself; "
                               f"write to another folder with -o")
    written, removed = write_outputs(Path(kw["output"]), {safe_stem(stem): files}, kw["force"])
    for path in removed:
        click.echo(f"removed {path} (an earlier output of {safe_stem(stem)} that this run does not write)")
    for line in note_warnings(example.data["notes"]):  # once the files are there to read them in
        warn(source, line)
    unsettable = spec_tex_warning(spec) if {"tex", "pdf"} & set(kw["formats"]) else None
    if unsettable:
        warn(source, unsettable)
    if missing_tex:
        for path in written:
            click.echo(f"wrote {path}")
        raise missing_tex
    return written


def _stdin() -> str:
    """Standard input as text, or a one-line error when it is not UTF-8."""
    with click.open_file("-", "rb") as stdin:
        data = stdin.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError("standard input: not UTF-8 text") from None


DISPLAY_OPTIONS = ("digits", "notation", "detail", "math", "with_code", "exercises", "template_dir")


def refuse_display(ctx: click.Context, formats: tuple[str, ...]) -> None:
    """Refuse the options of how documents look where no document is written (JSON only), or no Markdown."""
    if set(formats) <= {"json"}:
        refuse_given(ctx, DISPLAY_OPTIONS, "chooses how the documents look: --format json writes none")
    if "md" not in formats:
        refuse_given(ctx, ("math",), "chooses the Markdown's maths: give --format md")


SHAPE_OPTIONS = ("activations", "loss", "learning_rate", "shared_bias")


def _expression(ctx: click.Context, spec_files: tuple[str, ...], expr: str | None, at: str | None,
                kw: dict) -> list[Path]:
    """derive run --expr TEXT --at x=1,...: the expression's circuit, gate by gate, written as expression.*."""
    if expr is None:
        raise click.UsageError("--at gives the numbers of --expr: give the expression with --expr")
    if spec_files or kw["layers"]:
        raise click.UsageError("--expr works one expression: give no spec file or --layers with it")
    refuse_given(ctx, SHAPE_OPTIONS + ("seed", "path_names"), "applies to layered networks, not to --expr")
    circuit = circuit_from_data(expression_spec(expr, at or ""), "--expr")
    return produce_circuit(replace(circuit, expression=expr.strip()), "--expr", "expression", kw)


@click.command()
@click.argument("spec_files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@output_options
@shape_options
@click.option("--seed", default=0, show_default=True, type=int, help="With --layers: the numbers drawn.")
@click.option("--path-names", is_flag=True,
              help="Name each output after its spec's path (a/net.yaml -> a_net.*), to keep specs of one name apart.")
@click.option("--expr", default=None,
              help="Instead of a spec: one expression, broken into gates (one per operation), e.g. \"(x + y) * z\".")
@click.option("--at", "at", default=None, help="With --expr: the given numbers, e.g. x=-2,y=5,z=-4.")
@click.pass_context
def run(ctx: click.Context, spec_files: tuple[str, ...], path_names: bool, expr: str | None, at: str | None,
        **kw) -> None:
    """Work an example from each SPEC_FILE (YAML or JSON, a built-in example's name; - reads standard input).

    Writes DIR/<stem>.<format>, the stem being the spec file's. With --layers instead of a spec, the
    network is drawn as derive new draws it, then worked; with --expr, one expression's circuit is
    worked (DIR/expression.<format>).
    """
    if expr is not None or at is not None:
        for path in _expression(ctx, spec_files, expr, at, kw):
            click.echo(f"wrote {path}")
        return
    if not spec_files and not kw["layers"]:
        raise click.UsageError("give a spec file (or - for standard input), --layers, or --expr")
    refuse_display(ctx, kw["formats"])
    if kw["layers"]:
        refuse_given(ctx, ("path_names",), "names spec files' outputs: it does not apply to --layers")
        for path in run_drawn(spec_files, kw, _produce):
            click.echo(f"wrote {path}")
        return
    refuse_given(ctx, SHAPE_OPTIONS + ("seed",), "applies only with --layers (a spec file gives its own network)")
    # every output's name is known, and told apart, before anything is read or written
    for spec_file, stem in zip(spec_files, run_stems(spec_files, kw["output"], path_names)):
        if spec_file == STDIN:
            text, source = _stdin(), "standard input"
        else:
            text, source, _ = spec_source(spec_file)
        for path in _produce(text, source, stem, kw):
            click.echo(f"wrote {path}")


@click.command()
@click.argument("names", nargs=-1)
@click.option("--list", "list_", is_flag=True, help="List the built-in examples.")
@click.option("--all", "all_", is_flag=True, help="Write every built-in example.")
@click.option("--spec", "spec_", is_flag=True, help="Print the named examples' spec files (YAML) instead.")
@output_options
@click.pass_context
def example(ctx: click.Context, names: tuple[str, ...], list_: bool, all_: bool, spec_: bool, **kw) -> None:
    """Write built-in examples (one per seed post) by name; the old names seed-000 ... still work."""
    if list_ or spec_:
        refuse_given(ctx, tuple(kw), f"writes worked examples: it does not apply to {'--list' if list_ else '--spec'}")
    refuse_display(ctx, kw["formats"])
    if list_:
        if names or all_ or spec_:
            raise click.UsageError("--list lists the built-in examples: give no names, --all or --spec with it")
        for line in example_lines():
            click.echo(line)
        return
    if spec_:
        if all_ or len(names) != 1:
            raise click.UsageError("--spec prints one example's spec: name one example")
        click.echo(example_text(names[0]), nl=False)
        return
    chosen = example_names() + circuit_example_names() if all_ else list(names)
    if not chosen:
        raise click.UsageError("name an example, or use --list or --all")
    if all_ and names:
        raise click.UsageError("--all writes every example: give no names with it")
    twice = [name for i, name in enumerate(chosen) if name in chosen[:i]]
    if twice:
        raise click.UsageError(f"example {twice[0]!r} is named twice: name each once")
    for name in chosen:
        for path in _produce(example_text(name), f"example {name}", name, kw):
            click.echo(f"wrote {path}")
