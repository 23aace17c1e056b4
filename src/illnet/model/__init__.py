"""The illnet model as data: vocabularies, canonical tables and the graph (illnet.model)."""

from functools import cache

import yaml

from illnet import content


@cache
def load(name: str) -> dict:
    """Parse one of the schema files: 'vocabularies', 'tables' or 'graph'."""
    return yaml.safe_load((content.folder("schema") / f"{name}.yaml").read_text(encoding="utf-8"))


def vocabulary(name: str) -> dict:
    """Return the `values` mapping of one vocabulary (code -> attributes)."""
    return load("vocabularies")[name]["values"]


def default_tie_classes() -> dict[str, str]:
    """The default relationship_type -> tie_class mapping."""
    return dict(load("vocabularies")["tie_class"]["default_mapping"])


def tie_class_labels() -> dict[str, str]:
    """tie_class code -> the secondary label a NetworkMember of that class carries (graph.yaml)."""
    return dict(load("graph")["nodes"]["NetworkMember"]["tie_class_labels"])
