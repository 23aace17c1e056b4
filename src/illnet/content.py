"""Where the content an analyst reads and edits lives: the top-level folders `schema/`
(the model, vocabularies, migrations), `queries/` (the .cypher questions and job YAML),
`loaders/` (the mapping format and presets) and `examples/` (the bundled studies).

A wheel ships them inside the package as illnet/_content/<folder> (pyproject.toml,
hatchling's force-include); in a source checkout, editable install or not, they are
the folders next to src/. This module is the one place that knows both.
"""

from functools import cache
from importlib.resources import files
from pathlib import Path

FOLDERS = ("schema", "queries", "loaders", "examples")


@cache
def folder(name: str) -> Path:
    """The content folder `name` (one of FOLDERS), packaged or in the source tree."""
    if name not in FOLDERS:
        raise ValueError(f"unknown content folder {name!r}; use one of {', '.join(FOLDERS)}")
    packaged = Path(str(files("illnet"))) / "_content" / name
    if packaged.is_dir():
        return packaged
    source = Path(__file__).resolve().parents[2] / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"illnet content folder {name!r} is missing (looked in {packaged} and {source}); "
                            "reinstall illnet")
