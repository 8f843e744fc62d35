"""The spec files of one run: each with the stem its outputs are named after, refused where two would collide."""
from __future__ import annotations

from pathlib import Path

from ..errors import OutputExists, SpecError
from .atomic import safe_stem
from .load import spec_source

STDIN = "-"


def run_stems(args: tuple[str, ...], folder: str, by_path: bool = False) -> list[str]:
    """Each spec argument's output stem (a file's stem, an example's name, stdin for -), all told apart.

    by_path names each output after its spec's whole path (a/net.yaml -> a_net), which keeps specs of
    one name in different folders apart. Nothing is read here but what tells a file from a name.
    """
    if args.count(STDIN) > 1:
        raise SpecError("standard input (-) is given more than once: it can be read only once")
    stems = [_stem(arg, by_path) for arg in args]
    first: dict[str, str] = {}
    for arg, stem in zip(args, stems):
        if stem in first:
            other = "standard input" if first[stem] == STDIN else first[stem]
            remedy = ("give each spec once" if Path(first[stem]) == Path(arg) else
                      "write them to different folders (-o), or name outputs after their paths with --path-names")
            raise OutputExists(f"{other} and {arg} would both write {Path(folder) / stem}.*; {remedy}")
        first[stem] = arg
    return stems


def _stem(arg: str, by_path: bool) -> str:
    """One argument's stem; a missing file or an unknown example fails here, before anything is written."""
    if arg == STDIN:
        return "stdin"
    path = Path(arg)
    if not path.exists():
        return spec_source(arg)[2]  # a built-in example, named as given
    if by_path:
        return safe_stem("_".join(p for p in path.with_suffix("").parts if p not in ("/", "..", ".")))
    return safe_stem(path.stem)
