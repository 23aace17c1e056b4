"""Migration 006, which derives the work of studies loaded before, runs the loader's own Cypher
(illnet.load.derived)."""

from illnet.load import derived
from illnet.model.apply import migrations


def _words(text: str) -> list[str]:
    return text.split()


def test_migration_006_derives_the_work_with_the_loaders_statement():
    (migration,) = [m for m in migrations() if m["id"] == "006-derive-member-work"]
    (statement,) = migration["statements"]
    body = " ".join(_words(derived.WORK_OF_MEMBER))
    assert body in " ".join(_words(statement))
