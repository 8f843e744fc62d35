"""The package's metadata is what an index expects: an SPDX license with its file, classifiers."""
from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_license_is_an_spdx_string_with_its_file():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_classifiers_name_the_audience_the_python_versions_and_the_types():
    classifiers = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["classifiers"]
    assert "Intended Audience :: Education" in classifiers and "Typing :: Typed" in classifiers
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # the SPDX expression says it


def test_every_package_folder_is_listed_so_an_installed_derive_has_it():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "derive").rglob("__init__.py")}
    assert folders <= listed, folders - listed


def test_every_template_is_package_data_so_an_installed_derive_renders():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    templates = [p.relative_to(ROOT / "templates") for p in (ROOT / "templates").rglob("*.j2")]
    assert templates and all(any(t.match(pattern) and len(t.parts) == len(Path(pattern).parts)
                                 for pattern in patterns["derive.templates"]) for t in templates)
