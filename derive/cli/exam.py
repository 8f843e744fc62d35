"""The exam commands of the command line: derive exam, derive new, and the --layers of derive run."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Callable

import click
from click.core import ParameterSource

from .common import format_list, refuse_given, warn
from ..core.losses import LOSSES
from ..core.symbol_names import STYLES
from ..errors import NumericalError, SpecError
from ..exam.generate import MAX_VARIANTS
from ..core.tolerance import Digits
from ..exam.questions import DEFAULT_KINDS, QUESTION_KINDS, parse_kinds, parse_points
from ..io.atomic import write_folder, write_new
from ..io.validate import DEFAULT_MAX_PARAMETERS
from ..pipeline import derive
from ..views.document import Options

# The exam's drawing and its files are imported by the commands that use them: derive run starts
# sooner without them (about 0.04 s of imports).


def shape_options(command):
    """The options that give a network's shape instead of a spec file."""
    for option in reversed([
        click.option("--layers", default=None, help="Widths, inputs first, e.g. 2,2,1 (instead of a spec)."),
        click.option("--activations", "--activation", "activations", default="sigmoid", show_default=True,
                     help="One activation for every layer, one per layer, or two: hidden, output."),
        click.option("--loss", default=None, help=f"The loss: {' | '.join(LOSSES)} "
                                                  "(default: cross_entropy after softmax, else half_sse)."),
        click.option("--learning-rate", default=None, type=float, help="The learning rate (default 0.5)."),
        click.option("--shared-bias", is_flag=True, default=False,
                     help="One bias per layer, shared by its units (instead of one per unit)."),
    ]):
        command = option(command)
    return command


def run_drawn(spec_files: tuple[str, ...], kw: dict, produce: Callable) -> list[Path]:
    """derive run --layers ...: the network drawn by derive new, worked by produce and written as net-<widths>.*."""
    from ..exam.shape import new_spec
    from ..io.spec_yaml import spec_yaml
    if spec_files:
        raise click.UsageError("give spec files or --layers, not both")
    shape, _ = _shape(click.get_current_context(), None, kw)
    widths = "-".join(map(str, shape.widths))
    text = spec_yaml(new_spec(shape, kw["seed"], f"A {widths} network"))
    return produce(text, "--layers", f"net-{widths}", kw)


def _shape(ctx: click.Context, spec_file: str | None, kw: dict):
    """The shape to draw from: a spec file or built-in example, or the --layers flags; and how to name it."""
    from ..exam.shape import shape_from_flags
    from ..io.load import load
    if bool(spec_file) == bool(kw["layers"]):
        raise click.UsageError("give a spec file (or a built-in example's name) or --layers, not both or neither")
    if spec_file:
        refuse_given(ctx, ("activations", "loss", "learning_rate", "shared_bias"),
                     "applies only with --layers (a spec file gives its own network)")
        return load(spec_file, kw.get("max_parameters", DEFAULT_MAX_PARAMETERS)), f"derive exam {spec_file}"
    limit = kw.get("max_parameters", DEFAULT_MAX_PARAMETERS)  # derive run's and derive new's, for the drawn shape
    shape = shape_from_flags(kw["layers"], kw["activations"], kw["loss"], kw["learning_rate"], kw["shared_bias"], limit)
    recipe = (f"derive exam --layers {kw['layers']} --activations {kw['activations']} --loss {shape.loss} "
              f"--learning-rate {shape.learning_rate:g}" + (" --shared-bias" if kw["shared_bias"] else ""))
    return shape, recipe


class _Progress:
    """A progress bar on stderr, started by the first report of a piece of work."""

    def __init__(self):
        self.bar = None

    def __call__(self, what: str, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=what, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)
        if done >= total:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    """--format of derive exam: the comma-separated names checked before any work (as derive run checks its own)."""
    from ..render.exam_files import EXAM_FORMATS
    return format_list(EXAM_FORMATS)(ctx, param, value)


@click.command()
@click.argument("spec_file", required=False)
@shape_options
@click.option("--variants", default=30, show_default=True, type=click.IntRange(1, MAX_VARIANTS), help="How many variants.")
@click.option("--seed", default=0, show_default=True, type=int, help="The same seed draws the same variants.")
@click.option("--questions", default=",".join(DEFAULT_KINDS), show_default=True,
              help=f"Comma-separated question kinds: {', '.join(QUESTION_KINDS)}.")
@click.option("--decimals", default=None, type=click.IntRange(1, 8),
              help="Decimals every intermediate is rounded to by hand (default 4); tolerances follow from it.")
@click.option("--significant", default=None, type=click.IntRange(2, 8),
              help="Instead of --decimals: significant figures every intermediate is rounded to.")
@click.option("--points", default=None, help="Points per question kind, e.g. gradient=2,update=1 (others 1).")
@click.option("--format", "formats", default="md,json,moodle,qti,pdf", show_default=True,
              callback=_formats, help="Comma-separated: md, json, moodle, qti, pdf.")
@click.option("-o", "--output", default="exam", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the exam's files.")
@click.option("--only", default=None, help="Write one variant, e.g. v07 (drawn as in the whole exam).")
@click.option("--stress", default=None, type=click.IntRange(1, 100000),
              help="Draw this many variants, write nothing, and report their answers and the refused draws.")
@click.option("--notation", default=None, type=click.Choice(STYLES), help="Names in the documents.")
@click.option("--digits", default=6, show_default=True, type=click.IntRange(2, 15),
              help="Significant figures in the worked solutions.")
@click.option("--template-dir", default=None, type=click.Path(file_okay=False, exists=True),
              help="Folder of templates overriding the built-in ones (sandboxed).")
@click.option("--full-check-limit", default=0, show_default=True, type=click.IntRange(0),
              help="Run the slow whole-expression SymPy check of each variant up to this many parameters x examples.")
@click.option("--force", is_flag=True, help="Replace the earlier exam in the output folder (its files only).")
@click.option("--max-parameters", default=DEFAULT_MAX_PARAMETERS, show_default=True, type=click.IntRange(1),
              help="Refuse larger networks.")
@click.pass_context
def exam(ctx: click.Context, spec_file: str | None, variants: int, seed: int, questions: str,
         decimals: int | None, significant: int | None, points: str | None, formats: tuple[str, ...], output: str, only: str | None, stress: int | None, notation: str | None,
         digits: int, template_dir: str | None, full_check_limit: int, force: bool, **kw) -> None:
    """Draw exam variants of a network (SPEC_FILE, a built-in example, or --layers): questions and answer keys.

    The output folder must be new or empty; --force replaces an earlier exam there, so two never mix.
    """
    from ..exam.generate import make_exam, variant_ids
    from ..exam.stress import report
    from ..render.exam_files import ExamJob, exam_files, is_exam_file
    from ..render.tex_warning import spec_tex_warning

    if stress:
        refuse_given(ctx, ("variants", "formats", "output", "only", "notation", "digits", "template_dir",
                           "full_check_limit", "force", "points"), "does not apply to --stress, which writes nothing")
    if not {"md", "pdf"} & set(formats):
        refuse_given(ctx, ("digits", "notation"), "shows the worked solutions: give --format md or pdf")
    if not {"md", "pdf", "moodle", "qti"} & set(formats):
        refuse_given(ctx, ("template_dir",), "renders documents: --format json writes none")
    if only is not None and not only.strip():
        raise click.UsageError("--only: name a variant, e.g. v01")
    if decimals is not None and significant is not None:
        raise click.UsageError("give --decimals or --significant, not both")
    rounding = Digits(significant, significant=True) if significant else Digits(decimals or 4)
    from ..io.circuit_spec import circuit_source
    circuit = circuit_source(spec_file) if spec_file else None
    if circuit is not None:
        refuse_given(ctx, ("stress", "points", "notation", "digits", "template_dir", "full_check_limit",
                           "activations", "loss", "learning_rate", "shared_bias"), "applies to a network's exam, not a circuit's")
        if ctx.get_parameter_source("formats") in (ParameterSource.DEFAULT, None):
            formats = ("md", "json", "moodle", "qti")
        return _circuit_exam(circuit, spec_file, variants, seed, questions, rounding, formats, output, only, force,
                             (f" --significant {significant}" if significant else "")
                             + (f" --decimals {decimals}" if decimals not in (None, 4) else ""))
    shape, recipe = _shape(ctx, spec_file, kw)
    kinds = parse_kinds(questions, shape)
    worth = parse_points(points, kinds)
    name = shape.name or f"A {'-'.join(map(str, shape.widths))} network"
    if stress:
        drawn = make_exam(shape, stress, seed, kinds, rounding, name, distinct_answers=False, limit=100000)
        for line in report(drawn):
            click.echo(line)
        return
    recipe += "".join([f" --questions {','.join(kinds)}" if kinds != DEFAULT_KINDS else "",
                       f" --significant {significant}" if significant else "",
                       f" --decimals {decimals}" if decimals not in (None, 4) else "",
                       f" --points {','.join(f'{k}={p:g}' for k, p in worth.items())}" if worth else "",
                       f" --variants {variants}"])
    ids = variant_ids(variants)
    if only and only not in ids:
        raise SpecError(f"--only: no variant {only!r} among {ids[0]}..{ids[-1]}")
    drawn = make_exam(shape, variants, seed, kinds, rounding, name, stop=ids.index(only) + 1 if only else None,
                      points=worth)
    if only:
        drawn = replace(drawn, variants=drawn.variants[-1:])
    notation = notation or shape.notation or "layer"
    examples = [_derived(v, full_check_limit) for v in drawn.variants]
    job = ExamJob(drawn, examples, Options(digits, notation, "auto"), recipe, template_dir, _Progress())
    files = exam_files(job, formats)
    written = write_folder(Path(output), files, is_exam_file, force)
    unsettable = spec_tex_warning(drawn.variants[0].spec) if "pdf" in formats else None
    if unsettable:
        warn(spec_file or "--layers", unsettable)
    click.echo(f"wrote {len(drawn.variants)} variant{'s' if len(drawn.variants) != 1 else ''} "
               f"({drawn.draws} draws) and {len(written)} files to {output}")


def _circuit_exam(circuit, spec_file: str, n: int, seed: int, questions: str, rounding: Digits,
                  formats: tuple[str, ...], output: str, only: str | None, force: bool, rounding_flags: str) -> None:
    """derive exam on a circuit: its given numbers drawn per variant, questions on its values and gradients."""
    from ..exam.circuit_exam import CIRCUIT_KINDS, circuit_kinds, make_circuit_exam
    from ..exam.generate import variant_ids
    from ..render.circuit_exam_files import CIRCUIT_EXAM_FORMATS, CircuitExamJob, circuit_exam_files
    from ..render.exam_files import is_exam_file
    unknown = [f for f in formats if f not in CIRCUIT_EXAM_FORMATS]
    if unknown:
        raise SpecError(f"{spec_file}: a circuit's exam is written as {', '.join(CIRCUIT_EXAM_FORMATS)}, "
                        f"not {', '.join(unknown)}")
    asked = questions if questions != ",".join(DEFAULT_KINDS) else ",".join(
        k for k in CIRCUIT_KINDS if k != "update" or circuit.learning_rate is not None)
    kinds = circuit_kinds(asked, circuit)
    ids = variant_ids(n)
    if only and only not in ids:
        raise SpecError(f"--only: no variant {only!r} among {ids[0]}..{ids[-1]}")
    name = circuit.name or "A circuit"
    drawn = make_circuit_exam(circuit, ids.index(only) + 1 if only else n, seed, kinds, rounding, name)
    if only:
        drawn = replace(drawn, variants=drawn.variants[-1:])
    recipe = f"derive exam {spec_file}{rounding_flags} --questions {','.join(kinds)} --variants {n}"
    written = write_folder(Path(output), circuit_exam_files(CircuitExamJob(drawn, recipe), formats), is_exam_file,
                           force)
    click.echo(f"wrote {len(drawn.variants)} variant{'s' if len(drawn.variants) != 1 else ''} "
               f"({drawn.draws} draws) and {len(written)} files to {output}")


def _derived(v, full_check_limit: int):
    """A variant worked and cross-checked (finite differences, numpy, ...), its errors naming the variant."""
    try:
        return derive(v.spec, full_check_limit)
    except NumericalError as err:
        raise NumericalError(f"variant {v.id}: {err}") from None


@click.command()
@shape_options
@click.option("--seed", default=0, show_default=True, type=int, help="The same seed draws the same numbers.")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="The spec file to write (default: standard output); an existing file is kept.")
@click.option("--force", is_flag=True, help="Overwrite the file -o names if it exists.")
@click.option("--max-parameters", default=DEFAULT_MAX_PARAMETERS, show_default=True, type=click.IntRange(1),
              help="Refuse larger networks (derive run takes the same option).")
@click.pass_context
def new(ctx: click.Context, seed: int, output: str | None, force: bool, **kw) -> None:
    """Write a complete spec of a network given by --layers, its numbers drawn to work (a wide one's scaled)."""
    from ..exam.shape import new_spec
    from ..io.spec_yaml import spec_yaml

    if not kw["layers"]:
        raise click.UsageError("give the network's widths with --layers, e.g. --layers 2,2,1")
    shape, recipe = _shape(ctx, None, kw)
    name = f"A {'-'.join(map(str, shape.widths))} network"
    limit = kw["max_parameters"]
    recipe = recipe.replace("derive exam", "derive new")
    recipe += f" --max-parameters {limit}" if limit != DEFAULT_MAX_PARAMETERS else ""
    text = spec_yaml(new_spec(shape, seed, name), f"drawn by {recipe} --seed {seed}")
    if output is None:
        refuse_given(ctx, ("force",), "overwrites the file -o names: give -o")
        click.echo(text, nl=False)
        return
    click.echo(f"wrote {write_new(Path(output), text.encode(), force)}")
