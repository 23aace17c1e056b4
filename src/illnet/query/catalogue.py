"""What canned queries and algorithm jobs share as catalogues: every entry parsed from its
content folder once, looked up by name (an unknown name gets the closest names), listed.
How one entry is parsed is the kind's own business (illnet.query.canned, illnet.query.jobs).

An entry's name is its file's name, so a kind whose entries parse on their own (`parse_one`:
canned queries; not jobs, which borrow projections from each other) looks a name up by
parsing that one file; an unknown name, or one that two files share, parses them all (for the
close names, or the error).
"""

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from illnet.errors import CatalogueError, QueryError

Entry = TypeVar("Entry")
SHORT_LIST = 10  # an unknown name with nothing close lists the names of a catalogue this short
_FILE_NAME = re.compile(r"^\w+$")  # names looked up by their one file (no glob or path characters)


def close_names(name: str, known) -> list[str]:
    """Up to three known names close to `name` (by spelling, or containing it)."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    close += [k for k in known if name and name in k and k not in close][: 3 - len(close)]
    return close


class Catalogue(Generic[Entry]):
    """Entries of one kind, parsed from the files of a folder on first use."""

    def __init__(self, kind: str, list_command: str, root: Callable[[], Path],
                 parse_all: Callable[[list[Path]], list[Entry]], pattern: str,
                 parse_one: Callable[[Path], Entry] | None = None):
        self.kind, self.list_command, self.root = kind, list_command, root
        self._parse_all, self._pattern, self._parse_one = parse_all, pattern, parse_one
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

    def _one(self, name: str) -> Entry | None:
        """The entry called `name` parsed from its one file, or None (no such single file)."""
        if self._parse_one is None or self._entries is not None or not _FILE_NAME.match(name):
            return None
        paths = list(self.root().glob(str(Path(self._pattern).with_stem(name))))
        return self._parse_one(paths[0]) if len(paths) == 1 else None

    def get(self, name: str) -> Entry:
        """The entry called `name`; an unknown name raises QueryError suggesting close names."""
        one = self._one(name)
        if one is not None:
            return one
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
