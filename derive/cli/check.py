"""derive check: mark hand-worked numbers against a spec or an exam, as a summary, feedback, JSON or a class table."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import derived, format_list, refuse_given
from ..core.symbol_names import STYLES
from ..errors import OutputExists, SpecError
from ..io.atomic import safe_stem, write_all
from ..io.outputs import write_outputs
from ..render.feedback import FEEDBACK_FORMATS

if TYPE_CHECKING:  # marking is imported by the command that marks: derive run starts sooner without it
    from ..checking import Checker


@click.command()
@click.argument("spec_file")
@click.argument("answer_files", nargs=-1)
@click.option("-o", "--output", default=None, type=click.Path(file_okay=False),
              help="Write a feedback document per answers file into this folder.")
@click.option("--format", "formats", default="md", show_default=True, callback=format_list(FEEDBACK_FORMATS),
              help="Feedback formats with -o: md, tex, pdf.")
@click.option("--json", "as_json", is_flag=True, help="Print the marks as JSON on stdout.")
@click.option("--csv", "csv_path", default=None, type=click.Path(dir_okay=False),
              help="Write a class table: one row per answers file (for an exam: a mark per question and a grade).")
@click.option("--notation", default=None, type=click.Choice(STYLES),
              help="Names in the feedback (default: the spec's, else layer).")
@click.option("--digits", default=6, show_default=True, type=click.IntRange(2, 15), help="Significant figures shown.")
@click.option("--blank", is_flag=True, help="Print an answers file to fill in: every quantity by name, null.")
@click.option("--variant", default=None, help="With --blank and an exam folder: the variant, e.g. v07.")
@click.option("--force", is_flag=True, help="Overwrite the --csv file if it exists, and feedback files derive did not write (or that were changed).")
@click.pass_context
def check(ctx: click.Context, spec_file: str, answer_files: tuple[str, ...], output: str | None,
          formats: tuple[str, ...], as_json: bool, csv_path: str | None, notation: str | None, digits: int,
          blank: bool, variant: str | None, force: bool) -> int:
    """Mark hand-worked numbers in ANSWER_FILES against SPEC_FILE (a spec file, a built-in example, or an
    exam folder that derive exam wrote, each answers file naming its variant: variant: v07).

    Exit code 0 when every number given is right, 1 when one is not, 2 for bad input.
    """
    from ..checking import Checker
    if blank:
        refuse_given(ctx, ("output", "formats", "as_json", "csv_path", "digits", "force"), "does not apply to --blank")
        if answer_files:
            raise click.UsageError("--blank prints an answers file to fill in: give no answers files")
        source = Checker(spec_file, notation)  # reads the spec or the exam folder, as marking does
        if source.exam is None:
            refuse_given(ctx, ("variant",), "chooses an exam's variant: give the exam folder derive exam wrote")
        _print_blank(source.exam, source.spec, variant, notation)
        return 0
    refuse_given(ctx, ("variant",), "chooses the variant of --blank: an answers file names its own")
    if not answer_files:
        raise click.UsageError("give answers files to mark (or --blank for one to fill in)")
    if not output:
        refuse_given(ctx, ("formats", "digits"), "chooses how the feedback documents look: give -o DIR for them")
    if csv_path:
        _check_table(Path(csv_path), (spec_file, *answer_files), force)
    marker = Checker(spec_file, notation, derived)
    markings, failures = marker.mark_all(answer_files)
    written = _write(marker, markings, output, formats, digits, csv_path, force)
    _report(marker, markings, written, as_json, len(answer_files))
    if failures:
        for message in failures[:-1]:
            click.echo(f"derive: error: {' '.join(message.split())}", err=True)
        raise SpecError(failures[-1])
    return 0 if all(m.passed for m in markings) else 1


def _check_table(table: Path, inputs: tuple[str, ...], force: bool) -> None:
    """The class table may not land on a spec or answers file, nor on an existing file unless forced."""
    if any(Path(p).exists() and table.resolve() == Path(p).resolve() for p in inputs):
        raise OutputExists(f"--csv {table} is one of the files being marked; name another file")
    if table.exists() and not force:
        raise OutputExists(f"--csv {table} already exists; name another file, or --force to overwrite it")


def _write(marker: Checker, markings, output, formats, digits, csv_path, force: bool) -> list[Path]:
    """The feedback documents and the class table, each written atomically."""
    from ..check.exam_marking import exam_csv
    from ..check.summary import class_csv
    runs: dict[str, dict[str, bytes]] = {}
    if output:
        from ..render.feedback import feedback_files
        from ..views.feedback import feedback_document
        for stem, marking in zip(_feedback_stems([m.source for m in markings]), markings):
            spec = marker.spec_of(marking)
            fb = feedback_document(marker.graph_of(marking), marking, marker.notation_of(spec), digits)
            runs[stem] = feedback_files(fb, stem, formats)
    files = {name for run in runs.values() for name in run}
    if csv_path and output and (Path(output) / Path(csv_path).name).resolve() == Path(csv_path).resolve() \
            and Path(csv_path).name in files:
        raise OutputExists(f"--csv {csv_path} is a feedback document this run writes; name another file")
    written = write_outputs(Path(output), runs, force)[0] if output and runs else []
    if csv_path and markings:
        table = (exam_csv([marker.exam_marks[m.source] for m in markings]) if marker.exam else
                 class_csv(markings, marker.graph_of(markings[0]).index, marker.spec))
        written += write_all(Path(csv_path).parent, {Path(csv_path).name: table.encode()})
    return written


def _report(marker: Checker, markings, written: list[Path], as_json: bool, n_files: int) -> None:
    """The marks on stdout: JSON, or a few lines per file and the files written."""
    from ..check.marking import as_json as marks_json
    from ..render.check_summary import summary
    if as_json:
        reports = {m.source: marks_json(m, marker.spec_of(m), marker.notation_of(marker.spec_of(m)))
                   for m in markings}
        if reports:
            click.echo(json.dumps(next(iter(reports.values())) if n_files == 1 else reports, indent=2))
        return
    for marking in markings:
        spec = marker.spec_of(marking)
        exam_mark = marker.exam_marks[marking.source] if marker.exam else None
        for line in summary(marking, spec, marker.notation_of(spec), exam_mark):
            click.echo(line)
    for path in written:
        click.echo(f"wrote {path}")


def _print_blank(exam, spec, variant: str | None, notation: str | None) -> None:
    """An answers file with every quantity the checker reads, by the document's names, all null."""
    from ..views.blank_answers import blank_answers
    if exam is None and not hasattr(spec, "layers"):  # a circuit: every number it computes
        from ..circuits import derive_circuit
        from ..core.circuit import grad_of
        from ..io.circuit_answers import blank_circuit_answers
        graph = derive_circuit(spec).graph
        output = graph.index[grad_of(spec.node(spec.output))]  # df/df = 1 is no number to work out
        click.echo(blank_circuit_answers(spec, [s.quantity for i, s in enumerate(graph.steps)
                                                if not s.given and i != output]), nl=False)
        return
    if exam is not None:
        if variant is None:
            raise click.UsageError(f"--blank on an exam: choose the variant with --variant, e.g. "
                                   f"{next(iter(exam.variants))}")
        spec = exam.spec(variant, "--variant")
        asked = [q.path for q in exam.questions[variant]]
    else:
        asked = []
    click.echo(blank_answers(spec, notation or spec.notation or "layer", variant, asked), nl=False)


def _feedback_stems(sources: list[str]) -> list[str]:
    """A feedback file name per answers file: its stem, or its whole path where stems would collide."""
    stems = [safe_stem(Path(s).stem) for s in sources]
    if len(set(stems)) < len(stems):
        stems = [safe_stem(str(Path(s).with_suffix("")).replace("/", "_").replace("\\", "_")) for s in sources]
    unique: list[str] = []
    for stem in stems:
        name, n = stem, 1
        while name in unique or (name != stem and name in stems):  # x-2 may be a file's own stem
            n += 1
            name = f"{stem}-{n}"
        unique.append(name)
    return [f"{stem}-feedback" for stem in unique]
