"""Bundled example studies (illnet.examples), made by `illnet generate`; see README.md here."""

from importlib.resources import files
from pathlib import Path

STUDIES = ("nwe", "euwise")


def mapping_path(study: str) -> Path:
    """Path of an example study's mapping file."""
    return Path(str(files(__name__).joinpath(study, "mapping.yaml")))
