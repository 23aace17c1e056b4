"""Copy a valid hand-made fixture study (tests/fixtures/long or wide) into a scratch directory."""

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def copy_fixture(directory: Path, layout: str = "long", pattern: str = "*") -> Path:
    """Copy the files of fixture `layout` matching `pattern` into `directory`; returns the path of
    the copied mapping.yaml (which exists only when `pattern` matches it)."""
    for source in (FIXTURES / layout).glob(pattern):
        shutil.copy(source, directory / source.name)
    return directory / "mapping.yaml"
