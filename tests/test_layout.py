"""The package's import rules: core is pure, only render runs Jinja and subprocesses, only io reads YAML."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "derive"


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules a file imports (relative imports resolved inside derive)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = parts[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else ()
            module = ".".join((*base, *(node.module.split(".") if node.module else ())))
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def _modules() -> dict[str, set[str]]:
    return {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts): _imports(p)
            for p in PACKAGE.rglob("*.py")}


def _top(name: str) -> str:
    return name.split(".")[0]


def test_core_imports_nothing_of_derive_but_errors_and_itself():
    for module, names in _modules().items():
        if module.startswith("derive.core"):
            ours = {n for n in names if n.startswith("derive.")}
            assert all(n.startswith(("derive.core", "derive.errors")) for n in ours), (module, ours)
            assert not {_top(n) for n in names} & {"yaml", "jinja2", "click", "subprocess", "numpy"}, module


def test_only_the_cli_imports_click_and_only_render_imports_jinja2_or_runs_subprocesses():
    for module, names in _modules().items():
        tops = {_top(n) for n in names}
        if "click" in tops:
            assert module.startswith("derive.cli."), module
        if tops & {"jinja2", "subprocess"}:
            assert module.startswith("derive.render"), module
        if "yaml" in tops:
            assert module.startswith("derive.io"), module


def test_views_print_the_run_and_its_steps_not_the_per_layer_evaluation_or_the_chain_rule_rules():
    # a view reads every number and formula off the step graph by address, so that a new kind of layer
    # is shown by the views it has, not by views rewritten for it
    for module, names in _modules().items():
        if module.startswith("derive.views"):
            assert not {n for n in names if n.startswith(("derive.core.evaluate", "derive.core.gradients"))}, module


# exam draws variants on core's graph; views show them and render writes them; the top-level modules
# (pipeline, circuits, checking) use them all, and the command line uses everything
ORDER = ["errors", "core", "io", "oracles", "check", "exam", "views", "render", "pipeline", "circuits", "checking",
         "cli"]


def _layer(module: str) -> str | None:
    """The layer of derive.X or derive.X.Y: X (None for the package's own __init__ and __main__)."""
    part = module.split(".")[1] if module.count(".") >= 1 else None
    return part if part in ORDER else None


def test_every_module_imports_only_layers_below_its_own_so_nothing_forms_a_cycle():
    for module, names in _modules().items():
        own = _layer(module)
        if own is None:
            continue
        below = {_layer(n) for n in names if n.startswith("derive.")} - {own, None}
        assert all(ORDER.index(t) < ORDER.index(own) for t in below), (module, below)
    assert {_layer(m) for m in _modules()} - {None} == set(ORDER) - set(), "a layer without modules"


def test_modules_stay_small():
    for path in PACKAGE.rglob("*.py"):
        assert len(path.read_text().splitlines()) <= 300, path
