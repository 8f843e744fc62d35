"""What the commands of the command line share: option parsing, refusing options that do not apply, warnings."""
from __future__ import annotations

import sys

import click
from click.core import ParameterSource

from ..errors import NumericalError
from ..pipeline import WorkedExample, derive

LONG_RUN = 1000  # steps from which a terminal shows the loss history's progress


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


def refuse_given(ctx: click.Context, names: tuple[str, ...], why: str) -> None:
    """A usage error for the first of these options given on the command line: here it would be ignored."""
    for param in ctx.command.params:
        if param.name in names and ctx.get_parameter_source(param.name) not in (ParameterSource.DEFAULT, None):
            raise click.UsageError(f"{max(param.opts, key=len)} {why}")


def warn(source: str, message: str) -> None:
    """One line on stderr that does not stop the run."""
    click.echo(f"derive: warning: {source}: {' '.join(message.split())}", err=True)


def derived(spec, source: str, full_check_limit: int | None = None) -> WorkedExample:
    """derive(spec), its numerical errors naming the spec they came from; a long run's progress on a terminal."""
    try:
        if spec.steps >= LONG_RUN and sys.stderr.isatty():  # pipes, files and tests see no bar
            with click.progressbar(length=spec.steps, label=f"{source}: {spec.steps} steps", file=sys.stderr) as bar:
                return derive(spec, full_check_limit, lambda done: bar.update(done - bar.pos))
        return derive(spec, full_check_limit)
    except NumericalError as err:
        raise NumericalError(f"{source}: {err}") from None
