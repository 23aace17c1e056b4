"""The illnet model as data: vocabularies, canonical tables and the graph (illnet.model)."""

from functools import cache

import yaml

from illnet import content


@cache
def load(name: str) -> dict:
    """Parse one of the schema files: 'vocabularies', 'tables' or 'graph'."""
    return yaml.safe_load((content.folder("schema") / f"{name}.yaml").read_text(encoding="utf-8"))


@cache
def vocabulary(name: str) -> dict:
    """Return the `values` mapping of one vocabulary (code -> attributes). A vocabulary
    with `source: iso3166` is open: every ISO 3166-1 alpha-2 code of pycountry (the
    Debian iso-codes data, kept up to date upstream), plus the labels written here."""
    spec = load("vocabularies")[name]
    values = dict(spec.get("values") or {})
    if spec.get("source") == "iso3166":
        import pycountry  # only the country vocabulary needs it

        values = {country.alpha_2: {"label": country.name} for country in pycountry.countries} | values
    return values


def default_tie_classes() -> dict[str, str]:
    """The default relationship_type -> tie_class mapping."""
    return dict(load("vocabularies")["tie_class"]["default_mapping"])


def tie_class_labels() -> dict[str, str]:
    """tie_class code -> the secondary label a NetworkMember of that class carries (graph.yaml)."""
    return dict(load("graph")["nodes"]["NetworkMember"]["tie_class_labels"])
