"""Bundled example studies (illnet.examples), made by `illnet generate`; see README.md here."""

from pathlib import Path

from illnet import content

STUDIES = ("nwe", "euwise")


def mapping_path(study: str) -> Path:
    """Path of an example study's mapping file."""
    return content.folder("examples") / study / "mapping.yaml"
