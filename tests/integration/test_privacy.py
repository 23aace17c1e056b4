"""Privacy set per study and at load time: ids pseudonymised before they reach the graph
(`illnet load --pseudonymise`, or `privacy: {pseudonymise: true}` in the mapping), and a
study whose mapping sets `privacy: {release_min_count: N}` released in every result of
query run, export and report, asked for or not."""

from pathlib import Path

import pandas as pd
import pytest

from illnet.db import erase_all
from illnet.load.pipeline import load_study
from illnet.release import pseudonym
from tests.load_helpers import run_illnet

pytestmark = pytest.mark.neo4j
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "three_files"


@pytest.fixture
def study(three_files_copy) -> Path:
    """A scratch copy of the three-file example; its mapping."""
    return three_files_copy


def ids(driver, settings):
    rows = driver.execute_query("MATCH (p:Participant {studyId: 'three'}) OPTIONAL MATCH (p)-[:HAS_MEMBER]->(m) "
                                "RETURN p.participantId AS p, p.key AS key, collect(m.memberId) AS m",
                                database_=settings.database).records
    return {r["p"]: sorted(r["m"]) for r in rows}, [r["key"] for r in rows]


def test_load_time_pseudonyms_keep_raw_ids_out_of_the_graph(study, empty_db, settings, tmp_path):
    home = tmp_path / "home"
    loaded = run_illnet(settings, home, "load", str(study), "--pseudonymise")
    assert loaded.returncode == 0, loaded.stderr
    key_file = home / "release-keys" / "three.key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    key = bytes.fromhex(key_file.read_text().strip())
    found, keys = ids(empty_db, settings)
    # egos.csv / alters.csv: E1 named A1 A2 A3, E2 named A1 A2, E3 nobody; member ids keyed with the raw ego id
    assert found == {pseudonym(key, "E1"): sorted(pseudonym(key, m, "E1") for m in ("A1", "A2", "A3")),
                     pseudonym(key, "E2"): sorted(pseudonym(key, m, "E2") for m in ("A1", "A2")),
                     pseudonym(key, "E3"): []}
    raw = empty_db.execute_query("MATCH (n) WHERE any(k IN keys(n) WHERE n[k] IN ['E1', 'E2', 'E3', 'A1']) "
                                 "OR any(k IN keys(n) WHERE toStringOrNull(n[k]) CONTAINS '|E1') RETURN count(n) AS n",
                                 database_=settings.database).records[0]["n"]
    assert raw == 0 and all("E1" not in key for key in keys)
    ties = empty_db.execute_query("MATCH ()-[k:KNOWS]->() RETURN count(k) AS n", database_=settings.database)
    assert ties.records[0]["n"] == 4  # aaties.csv: 4 ties, still joining the pseudonymised members


def test_a_study_that_asks_for_release_is_released_in_every_result(study, empty_db, settings, tmp_path):
    text = study.read_text()
    study.write_text(text.replace("layout: long\n", "layout: long\nprivacy: {release_min_count: 5}\n"))
    load_study(empty_db, study, database=settings.database, progress=False)
    home = tmp_path / "home"
    # network_size by country: KE 1, DE 1 participant (E3 in Brazil named nobody), each below 5:
    # suppressed without --release
    shown = run_illnet(settings, home, "query", "run", "network_size", "-p", "study=three", "--format", "csv")
    assert shown.returncode == 0, shown.stderr
    table = pd.read_csv(pd.io.common.StringIO(shown.stdout))
    assert table["participants"].isna().all() and table["meanSize"].isna().all()
    members = run_illnet(settings, home, "export", "three", "--to", "members", "--out", str(tmp_path / "m.csv"))
    assert members.returncode == 0, members.stderr
    exported = pd.read_csv(tmp_path / "m.csv")
    assert not exported["participantId"].isin(["E1", "E2", "E3"]).any()
    assert exported["participantId"].str.startswith("px").all()
    refused = run_illnet(settings, home, "export", "three", "--to", "egor", "--out", str(tmp_path / "egor"))
    assert refused.returncode == 1 and "a release may not hold" in refused.stderr
    report = run_illnet(settings, home, "report", "three", "--out", str(tmp_path / "report"))
    assert report.returncode == 0, report.stderr
    html = (tmp_path / "report" / "three.html").read_text()
    assert "Released for sharing: counts below 5" in html and "draws no egogram" in html
    assert "<img class=\"egogram\"" not in html


def test_an_explicit_release_of_a_study_without_a_setting_still_works(study, empty_db, settings, tmp_path):
    load_study(empty_db, study, database=settings.database, progress=False)
    plain = run_illnet(settings, tmp_path / "home", "query", "run", "network_size", "-p", "study=three",
                       "--format", "csv")
    # BR (E3, who names nobody: size 0), DE, KE
    assert pd.read_csv(pd.io.common.StringIO(plain.stdout))["participants"].tolist() == [1, 1, 1]
    released = run_illnet(settings, tmp_path / "home", "query", "run", "network_size", "-p", "study=three",
                          "--release", "--format", "csv")
    assert pd.read_csv(pd.io.common.StringIO(released.stdout))["participants"].isna().all()
    erase_all(empty_db, settings.database)
