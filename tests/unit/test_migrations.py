"""Migration 006, which derives the work of studies loaded before, runs the loader's own Cypher
(illnet.load.derived); migration 007 runs the loader's own network structure
(illnet.model.structure); a migration naming no known derivation is refused when read."""

import pytest

from illnet import content
from illnet.load import derived
from illnet.model import apply, structure
from illnet.model.apply import migrations


def _words(text: str) -> list[str]:
    return text.split()


def test_migration_006_derives_the_work_with_the_loaders_statement():
    (migration,) = [m for m in migrations() if m["id"] == "006-derive-member-work"]
    (statement,) = migration["statements"]
    body = " ".join(_words(derived.WORK_OF_MEMBER))
    assert body in " ".join(_words(statement))


def test_migration_007_runs_the_loaders_network_structure():
    (migration,) = [m for m in migrations() if m["id"] == "007-member-structure"]
    assert migration["rewrites_data"] and apply.DERIVATIONS[migration["derive"]] is structure.derive


def test_a_migration_naming_an_unknown_derivation_is_refused(tmp_path, monkeypatch):
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "001-x.yaml").write_text("description: x\nstatements: []\nderive: member_structur\n")
    monkeypatch.setattr(content, "folder", lambda name: tmp_path)
    with pytest.raises(ValueError, match="derive 'member_structur' is none of member_structure"):
        migrations()
