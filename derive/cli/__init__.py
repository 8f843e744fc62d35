"""The command line: parse arguments, call the library, write the files, set the exit code."""
from __future__ import annotations

import sys

import click

from ..errors import DeriveError
from .check import check
from .exam import exam, new
from .run import example, run


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


for command in (run, example, check, exam, new):
    main.add_command(command)
