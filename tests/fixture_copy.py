"""Copy a valid study (a hand-made fixture of tests/fixtures, or a bundled example) into a scratch directory."""

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def copy_fixture(directory: Path, layout: str = "long", pattern: str = "*", root: Path = FIXTURES) -> Path:
    """Copy the files of fixture `layout` (a folder of `root`) matching `pattern` into `directory`;
    returns the path of the copied mapping.yaml (which exists only when `pattern` matches it)."""
    for source in (root / layout).glob(pattern):
        shutil.copy(source, directory / source.name)
    return directory / "mapping.yaml"
