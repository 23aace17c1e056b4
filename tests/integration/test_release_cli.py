"""`illnet query run --release` on the tiny hand-made study (tests/fixtures/tiny_study.cypher):
p1 (GB) names 5 members at wave 0, p2 (GB) 4, p3 (NL) 2."""

import csv
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from illnet import managed
from illnet.cli import IllnetGroup
from illnet.cli.query import query as query_group
from tests.fixture_graph import create_study

pytestmark = pytest.mark.neo4j

FIXTURE = Path(__file__).parents[1] / "fixtures" / "tiny_study.cypher"


@pytest.fixture
def tiny_cli(empty_db, settings, monkeypatch):
    create_study(empty_db, settings.database, FIXTURE)
    for name, value in (("NEO4J_URI", settings.uri), ("NEO4J_USERNAME", settings.user),
                        ("NEO4J_PASSWORD", settings.password), ("NEO4J_DATABASE", settings.database)):
        monkeypatch.setenv(name, value)


def run(*args):
    result = CliRunner().invoke(IllnetGroup("illnet", commands=[query_group]), ["query", "run", *args])
    assert result.exit_code == 0, result.output
    return result.output


def rows(output: str) -> list[dict]:
    return json.loads(output[output.index("["):])


def test_release_threshold_1_shows_everything(tiny_cli):
    out = rows(run("network_size", "-p", "study=tiny", "-p", "wave=0", "--release", "--min-count", "1",
                   "--format", "json"))
    assert [(r["stratum"], r["participants"], r["meanSize"], r["medianSize"], r["minSize"], r["maxSize"])
            for r in out] == [("GB", 2, 4.5, 4.5, 4, 5), ("NL", 1, 2.0, 2.0, 2, 2)]


def test_release_suppresses_one_person_and_the_stratum_that_would_give_them_away(tiny_cli):
    # NL has one participant (primary); GB's count would then give NL's as the study total
    # minus GB, so GB goes too (secondary); the statistics of both rows go with them.
    out = rows(run("network_size", "-p", "study=tiny", "-p", "wave=0", "--release", "--min-count", "2",
                   "--format", "json"))
    assert [r["stratum"] for r in out] == ["GB", "NL"]
    for row in out:
        assert [row[c] for c in ("participants", "meanSize", "medianSize", "minSize", "maxSize")] == [None] * 5
    default = run("network_size", "-p", "study=tiny", "-p", "wave=0", "--release", "--format", "json")
    assert "threshold 5" in default and all(r["participants"] is None for r in rows(default))


def test_release_replaces_participant_and_member_ids_by_keyed_pseudonyms(tiny_cli):
    output = run("work_concentration", "-p", "minShare=0.4", "-p", "study=tiny", "--release", "--format", "csv")
    key = bytes.fromhex((managed.home() / "release-keys" / "tiny.key").read_text().strip())

    def pseudonym(value):  # a member's id is keyed with its participant's: "p3\x1fm1"
        return "px" + hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]

    lines = output.splitlines()
    table = list(csv.DictReader(lines[next(i for i, line in enumerate(lines) if line.startswith("participantId,")):]))
    # the raw rows (tests/integration/test_runner.py): p3 m1 partner 3 4 0.75; p2 m1 child 3 7 3/7
    assert [(r["participantId"], r["topMemberId"], r["topFlows"]) for r in table] == [
        (pseudonym("p3"), pseudonym("p3\x1fm1"), "3"), (pseudonym("p2"), pseudonym("p2\x1fm1"), "3")]
    assert "p3," not in output and ",m1," not in output
