"""derive check: mark hand-worked numbers against a spec, as a summary, feedback documents, JSON or a class table."""
from __future__ import annotations

from pathlib import Path

import click

from .cli_common import derived, format_list
from .core.names import STYLES
from .errors import SpecError
from .io.atomic import safe_stem, write_all
from .render.feedback import FEEDBACK_FORMATS


@click.command()
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
    graph = derived(spec, spec_file).graph
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
