"""derive run on a circuit spec: work it, write its documents, refuse the options of layered networks."""
from __future__ import annotations

from pathlib import Path

import click

from ..circuits import derive_circuit
from ..core.circuit import Circuit
from ..errors import NumericalError, OptionError
from ..io.atomic import safe_stem
from ..io.outputs import write_outputs
from ..render.circuit_formats import CIRCUIT_FORMATS
from ..render.pdf import TexMissing

# the options of a layered network's documents, with the value that means "not given"
NETWORK_ONLY = {"notation": None, "detail": "auto", "with_code": False, "exercises": False}


def produce_circuit(circuit: Circuit, source: str, stem: str, kw: dict) -> list[Path]:
    """Work one circuit and write the chosen formats, all or nothing; returns the paths written."""
    for option, unset in NETWORK_ONLY.items():
        if kw.get(option, unset) != unset:
            raise OptionError(f"{source}: --{option.replace('_', '-')} applies to a layered network, not a circuit")
    unknown = [f for f in kw["formats"] if f not in CIRCUIT_FORMATS]
    if unknown:
        raise OptionError(f"{source}: a circuit is written as {', '.join(CIRCUIT_FORMATS)}, not {', '.join(unknown)}")
    try:
        example = derive_circuit(circuit)
    except NumericalError as err:
        raise NumericalError(f"{source}: {err}") from None
    try:
        files, missing_tex = example.files(safe_stem(stem), kw["formats"], kw["digits"], kw["template_dir"],
                                           kw["math"]), None
    except TexMissing as err:  # the other formats are good: write them, then report it
        files, missing_tex = err.files, err
    written, removed = write_outputs(Path(kw["output"]), {safe_stem(stem): files}, kw["force"])
    for path in removed:
        click.echo(f"removed {path} (an earlier output of {safe_stem(stem)} that this run does not write)")
    if missing_tex:
        for path in written:
            click.echo(f"wrote {path}")
        raise missing_tex
    return written
