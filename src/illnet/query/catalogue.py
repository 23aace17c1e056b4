"""What canned queries and algorithm jobs share as catalogues: every entry parsed from its
content folder once, looked up by name (an unknown name gets the closest names), listed.
How one entry is parsed is the kind's own business (illnet.query.canned, illnet.query.jobs).
"""

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from illnet.errors import CatalogueError, QueryError

Entry = TypeVar("Entry")
SHORT_LIST = 10  # an unknown name with nothing close lists the names of a catalogue this short


def close_names(name: str, known) -> list[str]:
    """Up to three known names close to `name` (by spelling, or containing it)."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    close += [k for k in known if name and name in k and k not in close][: 3 - len(close)]
    return close


class Catalogue(Generic[Entry]):
    """Entries of one kind, parsed from the files of a folder on first use."""

    def __init__(self, kind: str, list_command: str, root: Callable[[], Path],
                 parse_all: Callable[[list[Path]], list[Entry]], pattern: str):
        self.kind, self.list_command, self.root = kind, list_command, root
        self._parse_all, self._pattern = parse_all, pattern
        self._entries: dict[str, Entry] | None = None

    def load(self, root: Path | None = None) -> dict[str, Entry]:
        """Parse every entry under root (default: the installed content), by name; two
        entries with one name are a CatalogueError."""
        entries: dict[str, Entry] = {}
        for entry in self._parse_all(sorted((root or self.root()).glob(self._pattern))):
            if entry.name in entries:
                raise CatalogueError(f"{entry.path}:1: {self.kind} name {entry.name!r} is also used by "
                                     f"{entries[entry.name].path}")
            entries[entry.name] = entry
        return entries

    def all(self) -> dict[str, Entry]:
        """The installed entries, parsed once."""
        if self._entries is None:
            self._entries = self.load()
        return self._entries

    def get(self, name: str) -> Entry:
        """The entry called `name`; an unknown name raises QueryError suggesting close names."""
        entries = self.all()
        if name in entries:
            return entries[name]
        close = close_names(name, entries)
        if close:
            hint = f"did you mean {', '.join(close)}?"
        elif len(entries) <= SHORT_LIST:
            hint = f"the names are {', '.join(entries)} (`{self.list_command}` describes them)"
        else:
            hint = f"run `{self.list_command}` to see the names"
        raise QueryError(f"no {self.kind} called {name!r}", hint=hint)
