"""Misuse run: bad spec files, options that do not apply, outputs onto existing work, bad library calls.

Run: python bench/misuse.py [--verbose]
Each case runs in a fresh folder. Counted: tracebacks (an exception other than derive's own, or a
multi-line error), silent overwrites (a file the user wrote changed without --force), ignored
options (a misuse that exits 0), and half-written outputs (a failed run that left files behind).
Exits 1 if any count is not zero.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import derive  # noqa: E402
from derive.cli import main  # noqa: E402
from derive.errors import DeriveError  # noqa: E402
from tests.conftest import MAZUR  # noqa: E402

USER = "a file the user wrote\n"
BAD_VALUES = [None, True, "", "x", -1, 0, 10**400, 1e400, float("nan"), [], {}, [[]], [[1, "a"]], "1e999", [1, 2, 3]]


@dataclass
class Case:
    """One misuse: the command, the files it finds, whether it must be refused, what must survive."""

    name: str
    argv: list[str]
    files: dict[str, str] = field(default_factory=dict)
    refuse: bool = True
    protected: tuple[str, ...] = ()
    stdin: str | None = None


def _spec(change) -> str:
    spec = yaml.safe_load(MAZUR)
    change(spec)
    return yaml.safe_dump(spec)


def spec_cases() -> list[Case]:
    """Every field of a valid spec replaced by each bad value, run to Markdown and JSON."""
    cases = []
    paths = [("inputs",), ("targets",), ("loss",), ("learning_rate",), ("name",), ("layers",), ("layers", 0, "units"),
             ("layers", 0, "activation"), ("layers", 0, "weights"), ("layers", 0, "bias"), ("layers", 1, "weights"),
             ("layers", 1, "bias"), ("layers", 1, "activation")]
    for path in paths:
        for value in BAD_VALUES:
            def change(spec, path=path, value=value):
                node = spec
                for key in path[:-1]:
                    node = node[key]
                node[path[-1]] = copy.deepcopy(value)
            text = _spec(change)
            cases.append(Case(f"spec {'.'.join(map(str, path))}={value!r:.20}", ["run", "net.yaml", "-o", "out"],
                              {"net.yaml": text}, refuse=False))
    for junk in ["", "{", "[1, 2]", "- a\n- b", "inputs: [[1]]\n" * 2, "\x00\x01", "layers: !!python/object:os.system x",
                 "a: &x [*x]", "---\n...\n---\ninputs: 1"]:
        cases.append(Case(f"junk {junk[:12]!r}", ["run", "net.yaml", "-o", "out"], {"net.yaml": junk}))
    return cases


def option_cases() -> list[Case]:
    """Options that do not apply, out of range, or contradict each other: each must be refused."""
    net = {"net.yaml": MAZUR}
    argvs = [
        ["run", "net.yaml", "--activations", "relu"], ["run", "net.yaml", "--seed", "3"], ["run", "net.yaml", "--loss", "sse"],
        ["run", "net.yaml", "--learning-rate", "0.1"], ["run", "net.yaml", "--shared-bias"],
        ["run", "net.yaml", "--format", "json", "--digits", "4"], ["run", "net.yaml", "--format", "json", "--math", "dollars"],
        ["run", "net.yaml", "--format", "tex", "--math", "dollars"], ["run", "net.yaml", "--format", "docx"],
        ["run", "net.yaml", "--format", ""], ["run", "net.yaml", "--digits", "1"], ["run", "net.yaml", "--digits", "99"],
        ["run", "net.yaml", "--detail", "max"], ["run", "--layers", "2,x,2"], ["run", "--layers", "2,2", "--learning-rate", "-1"],
        ["run", "--layers", "2,2", "--learning-rate", "nan"], ["run", "--layers", "2,2", "--path-names"],
        ["run", "--layers", "2,2", "--activations", "a,b,c,d"], ["run", "--layers", "9999,9999"], ["run"],
        ["run", "-", "-"], ["run", "net.yaml", "--max-parameters", "3"], ["run", "no-such-example"],
        ["example", "seed-999"], ["example", "--list", "--digits", "4"], ["example", "--all", "classic-2-2-2"],
        ["example", "classic-2-2-2", "classic-2-2-2"], ["example", "--spec"], ["example"],
        ["exam", "net.yaml", "--variants", "10000"], ["exam", "net.yaml", "--variants", "0"],
        ["exam", "net.yaml", "--stress", "10", "--only", "v01"], ["exam", "net.yaml", "--only", "v99", "--variants", "3"],
        ["exam", "net.yaml", "--questions", "nonsense"], ["exam", "net.yaml", "--format", "docx"],
        ["exam", "net.yaml", "--decimals", "0"], ["exam", "net.yaml", "--layers", "2,2"],
        ["exam", "net.yaml", "--significant", "4", "--decimals", "3"], ["exam", "net.yaml", "--significant", "1"],
        ["exam", "net.yaml", "--points", "nonsense"], ["exam", "net.yaml", "--points", "delta=2"],
        ["exam", "net.yaml", "--points", "gradient=-1"], ["exam", "net.yaml", "--points", "gradient=1e9"],
        ["new", "--layers", "2,2", "--format", "md"], ["new"], ["new", "--layers", "0,2"],
        ["check", "net.yaml"], ["check", "net.yaml", "missing.yaml"], ["check", "net.yaml", "--blank", "--digits", "4"],
        ["check", "net.yaml", "--variant", "v01", "--blank"], ["check", "net.yaml", "a.yaml", "--format", "tex"],
        ["check", "net.yaml", "a.yaml", "--format", "docx", "-o", "fb"], ["check", "net.yaml", "empty.yaml"],
        ["check", "net.yaml", "nulls.yaml"], ["check", "net.yaml", "typo.yaml"], ["no-such-command"],
    ]
    files = {**net, "a.yaml": "out_o1: 0.75\n", "empty.yaml": "", "nulls.yaml": "out_o1: null\n",
             "typo.yaml": "out_o9: 0.1\n"}
    return [Case("options " + " ".join(argv), argv, files) for argv in argvs]


def overwrite_cases() -> list[Case]:
    """Outputs that would land on work: each must be refused and the work kept."""
    net = {"net.yaml": MAZUR}
    return [
        Case("user file in output", ["run", "net.yaml", "-o", "out"], {**net, "out/net.md": USER}, protected=("out/net.md",)),
        Case("user json in output", ["run", "net.yaml", "-o", "out", "--format", "json"], {**net, "out/net.json": USER},
             protected=("out/net.json",)),
        Case("output onto the spec", ["run", "net.json", "-o", ".", "--format", "json"],
             {"net.json": json.dumps(yaml.safe_load(MAZUR))}, protected=("net.json",)),
        Case("two specs one stem", ["run", "a/net.yaml", "b/net.yaml", "-o", "out"], {"a/net.yaml": MAZUR, "b/net.yaml": MAZUR}),
        Case("new over a file", ["new", "--layers", "2,2", "-o", "n.yaml"], {"n.yaml": USER}, protected=("n.yaml",)),
        Case("exam into a folder of work", ["exam", "net.yaml", "--variants", "2", "-o", "ex", "--format", "json"],
             {**net, "ex/notes.txt": USER}, protected=("ex/notes.txt",)),
        Case("exam --force over work", ["exam", "net.yaml", "--variants", "2", "-o", "ex", "--format", "json", "--force"],
             {**net, "ex/notes.txt": USER}, protected=("ex/notes.txt",)),
        Case("exam over an earlier exam", ["exam", "net.yaml", "--variants", "2", "-o", "ex", "--format", "json"],
             {**net, "ex/answers.json": USER}, protected=("ex/answers.json",)),
        Case("csv over a table", ["check", "net.yaml", "a.yaml", "--csv", "marks.csv"],
             {**net, "a.yaml": "out_o1: 0.75\n", "marks.csv": USER}, protected=("marks.csv",)),
        Case("csv onto the answers", ["check", "net.yaml", "a.yaml", "--csv", "a.yaml", "--force"],
             {**net, "a.yaml": "out_o1: 0.75\n"}, protected=("a.yaml",)),
        Case("feedback over a user file", ["check", "net.yaml", "a.yaml", "-o", "fb"],
             {**net, "a.yaml": "out_o1: 0.75\n", "fb/a-feedback.md": USER}, protected=("fb/a-feedback.md",)),
        Case("second standard input", ["run", "-", "-", "-o", "out"], {}, stdin=MAZUR),
        Case("template over a spec", ["run", "net.yaml", "-o", ".", "--format", "md"], {**net, "net.md": USER},
             protected=("net.md",)),
    ]


LIBRARY = [
    ("derive(42)", lambda: derive.derive(42)), ("derive('')", lambda: derive.derive("")),
    ("derive('nope.yaml')", lambda: derive.derive("nope.yaml")), ("derive({})", lambda: derive.derive({})),
    ("derive('seed-999')", lambda: derive.derive("seed-999")), ("load(None)", lambda: derive.load(None)),
    ("load('a:b.yaml')", lambda: derive.load("a:b.yaml")),
    ("Options(digits=0)", lambda: derive.Options(digits=0)), ("Options(detail='max')", lambda: derive.Options(detail="max")),
    ("Options(math='x')", lambda: derive.Options(math="x")), ("Options(notation=3)", lambda: derive.Options(notation=3)),
    ("save formats=docx", lambda: derive.derive("classic-2-2-2").save(tempfile.mkdtemp(), formats=["md", "docx"])),
    ("save formats=''", lambda: derive.derive("classic-2-2-2").save(tempfile.mkdtemp(), formats="")),
    ("save folder=None", lambda: derive.derive("classic-2-2-2").save(None)),
    ("save stem=''", lambda: derive.derive("classic-2-2-2").save(tempfile.mkdtemp(), stem="")),
    ("markdown(options=1)", lambda: derive.derive("classic-2-2-2").markdown(options=1)),
]


def run_case(case: Case, base: Path) -> dict[str, bool]:
    """Run one case in its own folder; which of the four faults it shows."""
    folder = Path(tempfile.mkdtemp(dir=base))
    for name, text in case.files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    before = {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}
    here = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, case.argv, input=case.stdin)
    finally:
        os.chdir(here)
    after = {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}
    crashed = (result.exception is not None and not isinstance(result.exception, SystemExit)) or \
        "Traceback" in result.output or (result.exit_code > 1 and len(result.stderr.strip().splitlines()) > 1)
    # a protected file survives even --force: the forced cases are those --force must not reach
    overwritten = any(not (folder / p).is_file() or (folder / p).read_text(errors="replace") != case.files[p]
                      for p in case.protected)
    return {"traceback": crashed, "silent overwrite": overwritten,
            "ignored option": case.refuse and result.exit_code == 0,
            "half-written": result.exit_code not in (0, 1) and bool(after - before), "output": result.output}


def main_() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="Print every case's outcome.")
    args = parser.parse_args()
    counts = {"cases": 0, "traceback": 0, "silent overwrite": 0, "ignored option": 0, "half-written": 0}
    with tempfile.TemporaryDirectory() as base:
        for case in spec_cases() + option_cases() + overwrite_cases():
            faults = run_case(case, Path(base))
            counts["cases"] += 1
            for fault in ("traceback", "silent overwrite", "ignored option", "half-written"):
                if faults[fault]:
                    counts[fault] += 1
                    print(f"{fault}: {case.name}: {faults['output'].strip()[-300:]}")
            if args.verbose:
                print(f"{case.name}: {faults['output'].strip().splitlines()[-1:] or ['(no output)']}")
    for name, call in LIBRARY:
        counts["cases"] += 1
        try:
            call()
            counts["ignored option"] += 1
            print(f"ignored option: library {name} raised nothing")
        except DeriveError as err:
            if args.verbose:
                print(f"library {name}: {type(err).__name__}: {err}")
        except Exception as err:  # the fault being counted: anything but derive's own errors
            counts["traceback"] += 1
            print(f"traceback: library {name}: {type(err).__name__}: {err}")
    print(", ".join(f"{name} {count}" for name, count in counts.items()))
    return 1 if any(count for name, count in counts.items() if name != "cases") else 0


if __name__ == "__main__":
    sys.exit(main_())
