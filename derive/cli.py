"""The command line: parse arguments, call the library, write the files, set the exit code."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .core.names import STYLES
from .errors import DeriveError, NumericalError, SpecError
from .io.atomic import safe_stem, write_all
from .io.examples import example_lines, example_names, example_text
from .io.load import read_text
from .io.validate import DEFAULT_MAX_PARAMETERS, parse_spec
from .cli_exam import exam, new, run_drawn, shape_options
from .pipeline import derive
from .render.feedback import FEEDBACK_FORMATS
from .render.formats import FORMATS, build_files
from .render.md_math import MATH_STYLES
from .views.document import DETAILS, Options


def format_list(valid):
    """A --format callback: the comma-separated names parsed early, so a typo is reported before any work."""
    def parse(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
        names = tuple(f.strip() for f in value.split(",") if f.strip())
        bad = [f for f in names if f not in valid]
        if bad or not names:
            raise click.BadParameter(f"unknown format {', '.join(map(repr, bad)) or repr(value)}; "
                                     f"valid: {', '.join(valid)}")
        return names
    return parse


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
        click.option("--full-check-limit", default=None, type=click.IntRange(0),
                     help="Run the whole-expression SymPy check up to this many parameters x examples "
                          "(default 20)."),
        click.option("--max-parameters", default=DEFAULT_MAX_PARAMETERS, show_default=True,
                     type=click.IntRange(1), help="Refuse larger networks."),
        click.option("--template-dir", default=None, type=click.Path(file_okay=False, exists=True),
                     help="Folder of templates overriding the built-in ones (sandboxed)."),
    ]):
        command = option(command)
    return command


LONG_RUN = 1000  # steps from which a terminal shows the loss history's progress


def _derived(spec, source: str, full_check_limit: int | None = None):
    """derive(spec), its numerical errors naming the spec they came from; a long run's progress on a terminal."""
    try:
        if spec.steps >= LONG_RUN and sys.stderr.isatty():  # pipes, files and tests see no bar
            with click.progressbar(length=spec.steps, label=f"{source}: {spec.steps} steps", file=sys.stderr) as bar:
                return derive(spec, full_check_limit, lambda done: bar.update(done - bar.pos))
        return derive(spec, full_check_limit)
    except NumericalError as err:
        raise NumericalError(f"{source}: {err}") from None


def _produce(text: str, source: str, stem: str, kw: dict) -> list[Path]:
    """Parse, derive, render and write one worked example."""
    formats = kw["formats"]
    spec = parse_spec(text, source, kw["max_parameters"])
    notation = kw["notation"] or spec.notation or "layer"
    options = Options(kw["digits"], notation, kw["detail"], kw["math"], kw["with_code"])
    example = _derived(spec, source, kw["full_check_limit"])
    files, missing_tex = build_files(example, safe_stem(stem), formats, kw["template_dir"], options)
    written = write_all(Path(kw["output"]), files)
    if missing_tex:
        for path in written:
            click.echo(f"wrote {path}")
        raise missing_tex
    return written


class DeriveGroup(click.Group):
    """Turns every error, ours or a usage error, into one line on stderr and its exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as err:
            # `derive` alone asks what it can do: the help, on standard output, and success
            click.echo(err.ctx.get_help())
            sys.exit(0)
        except click.ClickException as err:
            _fail(err.format_message(), err.exit_code)
        except DeriveError as err:
            _fail(str(err), err.exit_code)
        except click.Abort:
            _fail("aborted", 1)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def _fail(message: str, code: int) -> None:
    click.echo(f"derive: error: {' '.join(message.split())}", err=True)
    sys.exit(code)


@click.group(cls=DeriveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="derive")
def main() -> None:
    """Write complete, cross-checked worked examples of backpropagation."""


@main.command()
@click.argument("spec_files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@output_options
@shape_options
@click.option("--seed", default=0, show_default=True, type=int, help="With --layers: the numbers drawn.")
def run(spec_files: tuple[str, ...], **kw) -> None:
    """Work an example from each SPEC_FILE (YAML or JSON; - reads standard input); writes DIR/<stem>.<format>.

    With --layers instead of a spec, the network is drawn as derive new draws it, then worked.
    """
    if not spec_files and not kw["layers"]:
        raise click.UsageError("give a spec file (or - for standard input), or --layers")
    if kw["layers"]:
        for path in run_drawn(spec_files, kw, _produce):
            click.echo(f"wrote {path}")
        return
    for spec_file in spec_files:
        if spec_file == "-":
            with click.open_file("-", encoding="utf-8") as stdin:
                paths = _produce(stdin.read(), "standard input", "stdin", kw)
        else:
            paths = _produce(read_text(spec_file), spec_file, Path(spec_file).stem, kw)
        for path in paths:
            click.echo(f"wrote {path}")


@main.command()
@click.argument("names", nargs=-1)
@click.option("--list", "list_", is_flag=True, help="List the built-in examples.")
@click.option("--all", "all_", is_flag=True, help="Write every built-in example.")
@click.option("--spec", "spec_", is_flag=True, help="Print the named examples' spec files (YAML) instead.")
@output_options
def example(names: tuple[str, ...], list_: bool, all_: bool, spec_: bool, **kw) -> None:
    """Write built-in examples (one per seed post) by name; the old names seed-000 ... still work."""
    if list_:
        for line in example_lines():
            click.echo(line)
        return
    if spec_:
        if all_ or len(names) != 1:
            raise click.UsageError("--spec prints one example's spec: name one example")
        click.echo(example_text(names[0]), nl=False)
        return
    chosen = example_names() if all_ else list(names)
    if not chosen:
        raise click.UsageError("name an example, or use --list or --all")
    for name in chosen:
        for path in _produce(example_text(name), f"example {name}", name, kw):
            click.echo(f"wrote {path}")


@main.command()
@click.argument("spec_file")
@click.argument("answer_files", nargs=-1, required=True)
@click.option("-o", "--output", default=None, type=click.Path(file_okay=False),
              help="Write a feedback document per answers file into this folder.")
@click.option("--format", "formats", default="md", show_default=True, callback=format_list(FEEDBACK_FORMATS),
              help="Feedback formats with -o: md, tex, pdf.")
@click.option("--json", "as_json", is_flag=True, help="Print the marks as JSON on stdout.")
@click.option("--csv", "csv_path", default=None, type=click.Path(dir_okay=False),
              help="Write a class table: one row per answers file, one column per quantity.")
@click.option("--notation", default=None, type=click.Choice(STYLES),
              help="Names in the feedback (default: the spec's, else layer).")
@click.option("--digits", default=6, show_default=True, type=click.IntRange(2, 15), help="Significant figures shown.")
def check(spec_file: str, answer_files: tuple[str, ...], output: str | None, formats: tuple[str, ...],
          as_json: bool, csv_path: str | None, notation: str | None, digits: int) -> int:
    """Mark hand-worked numbers in ANSWER_FILES against SPEC_FILE (a spec file or a built-in example).

    Exit code 0 when every number given is right, 1 when one is not, 2 for bad input.
    """
    import json

    from .check.marking import as_json as marks_json
    from .check.marking import mark
    from .check.summary import class_csv, summary
    from .io.answers import read_answers
    from .io.load import load

    if "md" != ",".join(formats) and not output:
        raise click.UsageError("--format chooses the feedback documents: give -o DIR for them")
    spec = load(spec_file)
    notation = notation or spec.notation or "layer"
    graph = _derived(spec, spec_file).graph
    # every file is read and marked first; a file that cannot be read is reported, the others marked
    markings, failures = [], []
    for path in answer_files:
        try:
            markings.append(mark(graph, read_answers(path, spec, notation)))
        except SpecError as err:
            failures.append(str(err))
    files: dict[str, bytes] = {}
    if output:
        from .render.feedback import feedback_files
        from .views.feedback import feedback_document
        for stem, marking in zip(_feedback_stems([m.source for m in markings]), markings):
            fb = feedback_document(graph, marking, notation, digits)
            files.update(feedback_files(fb, stem, formats))
    written = write_all(Path(output), files) if output and files else []
    if csv_path and markings:
        table = class_csv(markings, graph.index)
        written += write_all(Path(csv_path).parent, {Path(csv_path).name: table.encode()})
    if as_json:
        reports = {m.source: marks_json(m) for m in markings}
        if reports:
            click.echo(json.dumps(next(iter(reports.values())) if len(answer_files) == 1 else reports, indent=2))
    else:
        for marking in markings:
            for line in summary(marking, spec, notation):
                click.echo(line)
        for path in written:
            click.echo(f"wrote {path}")
    if failures:
        for message in failures[:-1]:
            click.echo(f"derive: error: {' '.join(message.split())}", err=True)
        raise SpecError(failures[-1])
    return 0 if all(m.passed for m in markings) else 1


def _feedback_stems(sources: list[str]) -> list[str]:
    """A feedback file name per answers file: its stem, or its whole path where stems would collide."""
    stems = [safe_stem(Path(s).stem) for s in sources]
    if len(set(stems)) < len(stems):
        stems = [safe_stem(str(Path(s).with_suffix("")).replace("/", "_").replace("\\", "_")) for s in sources]
    seen: dict[str, int] = {}
    unique = []
    for stem in stems:
        seen[stem] = seen.get(stem, 0) + 1
        unique.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
    return [f"{stem}-feedback" for stem in unique]


main.add_command(exam)
main.add_command(new)
