"""The library takes what a script has (a path, a mapping, text, a name) and raises derive's own errors."""
from __future__ import annotations

import pytest
import yaml

import derive
from derive import AddressError, DeriveError, OptionError, Options, Quantity, SpecError, recompute
from tests.conftest import MAZUR

MAZUR_LOSS = 0.298371109  # the published total error of the classic 2-2-2 post


def test_derive_takes_a_path_a_mapping_text_or_an_example_name(tmp_path):
    path = tmp_path / "net.yaml"
    path.write_text(MAZUR)
    for source in (str(path), path, yaml.safe_load(MAZUR), MAZUR, "classic-2-2-2", derive.load(MAZUR)):
        assert float(derive.derive(source).data["loss"]) == pytest.approx(MAZUR_LOSS, abs=5e-10), source


@pytest.mark.parametrize("kw, named", [
    ({"digits": 0}, "digits"), ({"digits": 16}, "digits"), ({"digits": 2.5}, "digits"),
    ({"detail": "max"}, "detail"), ({"math": "x"}, "math"), ({"notation": "greek"}, "notation"),
    ({"with_code": "yes"}, "with_code"), ({"exercises": 1}, "exercises"),
])
def test_options_are_checked_when_made(kw, named):
    with pytest.raises(OptionError, match=f"^Options: {named} must be"):
        Options(**kw)


def test_save_refuses_unknown_formats_and_takes_a_string(tmp_path):
    ex = derive.derive("classic-2-2-2")
    for formats in ("docx", ["md", "docx"], "", []):
        with pytest.raises(OptionError, match="valid: md, json, tex, pdf"):
            ex.save(tmp_path / "bad", formats=formats)
    assert not (tmp_path / "bad").exists()
    assert [p.name for p in ex.save(tmp_path / "one", formats="json")] == ["classic-2-2-2.json"]
    assert sorted(p.name for p in ex.save(tmp_path / "two", formats="md,json")) == \
        ["classic-2-2-2.json", "classic-2-2-2.md", "classic-2-2-2.svg"]


def test_save_names_files_as_the_command_line_does(tmp_path):
    path = tmp_path / "my-net.yaml"
    path.write_text(MAZUR)
    assert [p.name for p in derive.derive(str(path)).save(tmp_path / "a", formats="json")] == ["my-net.json"]
    # no file: the spec's name, made safe for a file name
    assert [p.name for p in derive.derive(MAZUR).save(tmp_path / "b", formats="json")] == ["two-two-two.json"]
    assert [p.name for p in derive.derive(MAZUR).save(tmp_path / "c", "json", stem="x")] == ["x.json"]


def test_load_tells_a_path_from_text_by_an_explicit_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SpecError, match="^empty spec"):
        derive.load("")
    with pytest.raises(SpecError, match="is a folder, not a spec file"):
        derive.load(str(tmp_path))
    (tmp_path / "a:b.yaml").write_text(MAZUR)
    assert derive.load("a:b.yaml").stem == "a:b"  # a one-line string is a path, even with a colon
    with pytest.raises(SpecError, match="no such file"):
        derive.load("name: x")
    one_line = "{" + ", ".join(f"{k}: {v}" for k, v in (
        ("inputs", "[[1]]"), ("targets", "[[0]]"), ("loss", "half_sse"), ("learning_rate", 0.1),
        ("layers", "[{units: 1, activation: identity, weights: [[2]], bias: [0]}]"))) + "}"
    assert derive.load(one_line).layers[0].weights == ((2.0,),)  # a {...} mapping is text
    with pytest.raises(SpecError, match="^unknown example 'seed-999'; valid: "):
        derive.load("seed-999")


def test_graph_addresses_it_lacks_are_address_errors():
    graph = derive.derive("classic-2-2-2").graph
    with pytest.raises(AddressError, match="no quantity 'x'"):
        recompute(graph, {"x": 1})
    with pytest.raises(AddressError, match="is not a quantity of this network"):
        graph.step(Quantity("dW", layer=9))
    with pytest.raises(AddressError, match="is not a quantity of this network"):
        graph.value(Quantity("nonsense"))
    with pytest.raises(SpecError, match="expected a finite number"):
        recompute(graph, {"w5": "abc"})


def test_recompute_takes_names_and_carries_the_change_forward():
    graph = derive.derive("classic-2-2-2").graph
    w5 = derive.derive("classic-2-2-2").quantity("w5")
    by_name, by_address = recompute(graph, {"w5": 0.5}), recompute(graph, {w5: 0.5})
    assert by_name.value(Quantity("loss")) == by_address.value(Quantity("loss")) != graph.value(Quantity("loss"))


def test_every_library_error_is_a_derive_error():
    for error in (OptionError, SpecError, AddressError):
        assert issubclass(error, DeriveError) and error.exit_code == 2
