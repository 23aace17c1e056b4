"""The GRASS style sheet covers the graph model of schema/graph.yaml (no database)."""

import re
from pathlib import Path

import yaml

from illnet.browser.style import TIE_CLASS_LABELS, grass_text

SCHEMA = Path(__file__).parents[2] / "schema"


def rules() -> dict[str, dict[str, str]]:
    found = re.findall(r"^([\w.]+)\s*\{([^}]*)\}", grass_text(), flags=re.MULTILINE)
    return {selector: dict(re.findall(r"([\w-]+):\s*\"?([^\";]+)\"?;", body)) for selector, body in found}


def test_every_label_and_relationship_type_has_a_rule():
    graph = yaml.safe_load((SCHEMA / "graph.yaml").read_text())
    selectors = set(rules())
    assert {f"node.{label}" for label in graph["nodes"]} <= selectors
    assert {f"relationship.{rel}" for rel in graph["relationships"]} <= selectors


def test_captions_name_properties_of_their_label_or_type():
    graph = yaml.safe_load((SCHEMA / "graph.yaml").read_text())
    for selector, props in rules().items():
        kind, _, name = selector.partition(".")
        for prop in re.findall(r"\{(\w+)\}", props.get("caption", "")):
            model = graph["nodes" if kind == "node" else "relationships"][name]
            assert prop in model["properties"], f"{selector} caption uses unknown property {prop}"


def test_each_tie_class_has_a_label_with_its_own_colour():
    vocab = yaml.safe_load((SCHEMA / "vocabularies.yaml").read_text())
    assert set(TIE_CLASS_LABELS) == set(vocab["tie_class"]["values"])
    colours = [rules()[f"node.{label}"]["color"] for label in TIE_CLASS_LABELS.values()]
    assert len(set(colours)) == len(colours)
    assert rules()["node.NetworkMember"]["color"] not in colours
