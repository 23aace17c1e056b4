"""`illnet demo` on an empty database: the bundled studies reproduce the published figures
of /work/shared/domain.md (checked with Cypher written here, and through the canned queries
that examples/README.md names for them),
every loaded element carries its provenance, and a second run changes nothing."""

import hashlib
import statistics
from pathlib import Path

import pandas as pd
import pytest

from illnet import examples
from illnet.query import canned
from tests.graph_state import snapshot
from illnet.db import erase_all
from illnet.query import runner
from tests.load_helpers import run_illnet

pytestmark = pytest.mark.neo4j

# Relationship groups (domain.md, "Concepts": default tie classes by relationship type,
# with partners and close family split off the strong ties as the published finding names them).
GROUPS = {
    "partner_and_family": ["partner", "child", "parent", "sibling", "grandchild", "other_family"],
    "friends": ["friend"],
    "weak": ["neighbour", "colleague", "acquaintance", "group", "organisation"],
    "professional": ["gp", "practice_nurse", "other_health_professional", "social_care"],
    "non_human": ["pet", "other_non_human"],
}
STRONG = GROUPS["partner_and_family"] + GROUPS["friends"]
# Community organisations as the generator defines them (src/illnet/synth/calibration.py
# COMMUNITY_TYPES; used by generate._draw_resources): a participant takes part in community
# organisations when, at baseline, they PARTICIPATE_IN a Resource of one of these types.
# Only the participants the generator marks as community participants get such resources.
COMMUNITY_TYPES = ["community_group", "faith_group", "voluntary_organisation"]


@pytest.fixture(scope="module")
def demo(driver, settings, tmp_path_factory):
    """The output of a first `illnet demo` on an empty database."""
    erase_all(driver, settings.database)
    result = run_illnet(settings, tmp_path_factory.mktemp("illnet-home"), "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def one(driver, settings, statement: str, **params) -> dict:
    """The single record of a query, as a dict."""
    records = driver.execute_query(statement, params, database_=settings.database).records
    assert len(records) == 1, records
    return records[0].data()


def rows(driver, settings, statement: str, **params) -> pd.DataFrame:
    records, _, keys = driver.execute_query(statement, params, database_=settings.database)
    return pd.DataFrame([record.values() for record in records], columns=keys)


def test_demo_loads_both_studies(demo):
    assert "study 'nwe' loaded" in demo.stdout and "study 'euwise' loaded" in demo.stdout
    assert "Traceback" not in demo.stdout + demo.stderr


def test_nwe_has_300_participants_and_2544_members_at_baseline(demo, driver, settings):
    counts = one(driver, settings, "MATCH (p:Participant {studyId: 'nwe'}) WITH count(p) AS participants "
                 "MATCH (p:Participant {studyId: 'nwe'})-[:HAS_MEMBER {wave: 0}]->(m) "
                 "RETURN participants, count(m) AS baseline")
    assert counts == {"participants": 300, "baseline": 2544}  # Vassilev 2013: the baseline survey
    named = one(driver, settings, "MATCH (:Participant {studyId: 'nwe'})-[:HAS_MEMBER]->(m) WITH count(DISTINCT m) AS named "
                "MATCH (m:NetworkMember {studyId: 'nwe'}) RETURN named, count(m) AS members")
    assert named["named"] == named["members"] > 2544  # every member is named in some wave; some are new at follow-up


def test_nwe_composition_matches_the_published_shares_at_baseline(demo, driver, settings):
    shares = one(driver, settings, """
        MATCH (:Participant {studyId: 'nwe'})-[:HAS_MEMBER {wave: 0}]->(m:NetworkMember)
        RETURN count(m) AS members,
               count(CASE WHEN m.relationshipType IN $weak THEN 1 END) AS weak,
               count(CASE WHEN m.tieClass = 'weak' THEN 1 END) AS weakClass,
               count(CASE WHEN m.relationshipType IN $practice THEN 1 END) AS practice""",
                 weak=GROUPS["weak"], practice=["gp", "practice_nurse"])
    assert shares["weakClass"] == shares["weak"]  # the stored tie class follows the default mapping
    # quotas at baseline: within half a member of the published share (calibration.py)
    assert shares["weak"] == round(0.161 * 2544)  # Rogers 2014
    assert shares["practice"] == round(0.155 * 2544)  # Rogers 2016


def test_nwe_pet_owners_are_19_percent_at_baseline(demo, driver, settings):
    owners = one(driver, settings, """
        MATCH (p:Participant {studyId: 'nwe'})
        RETURN count(p) AS participants,
               count(CASE WHEN EXISTS { (p)-[:HAS_MEMBER {wave: 0}]->(:NetworkMember {relationshipType: 'pet'}) }
                          THEN 1 END) AS owners""")
    assert owners == {"participants": 300, "owners": 57}  # Brooks 2013: 19%


def test_canned_queries_at_their_default_wave_reproduce_the_published_baseline(demo, settings):
    """The figures examples/README.md quotes, each through the named query it names."""
    composition = runner.run("composition_by_tie_class", settings=settings, study="nwe").set_index("tieClass")
    assert composition["members"].sum() == 2544
    assert composition.loc["weak", "share"] == pytest.approx(0.161, abs=0.5 / 2544)
    relationships = runner.run("composition_by_relationship", settings=settings, study="nwe")
    practice = relationships[relationships["relationshipType"].isin(["gp", "practice_nurse"])]["share"].sum()
    assert practice == pytest.approx(0.155, abs=0.5 / 2544)
    pets = runner.run("pet_ownership", settings=settings, study="nwe").iloc[0]
    assert (pets["participants"], pets["participantsWithPet"]) == (300, 57)
    sizes = runner.run("network_size", settings=settings, study="nwe", wave=0).iloc[0]
    assert sizes["participants"] == 300 and sizes["meanSize"] == pytest.approx(2544 / 300)


def test_nwe_partners_and_close_family_do_most_work_per_member(demo, driver, settings):
    # Baseline: PROVIDES flows from a member to its participant, per member named at wave 0.
    work = rows(driver, settings, """
        MATCH (p:Participant {studyId: 'nwe'})-[:HAS_MEMBER {wave: 0}]->(m:NetworkMember)
        WITH p, m, [name IN keys($groups) WHERE m.relationshipType IN $groups[name]][0] AS grp
        RETURN grp, m.key AS member, COUNT { (m)-[:PROVIDES {wave: 0}]->(p) } AS flows""",
                groups=GROUPS)
    assert work["grp"].notna().all(), "a relationship type outside the test's groups"
    mean = work.groupby("grp")["flows"].mean()
    assert set(mean.index) == set(GROUPS)
    others = mean.drop("partner_and_family")
    assert mean["partner_and_family"] > others.max(), mean.to_dict()


def test_nwe_weak_ties_are_retained_more_often_than_strong_ties(demo, driver, settings):
    ties = rows(driver, settings, """
        MATCH (:Participant {studyId: 'nwe'})-[r:HAS_MEMBER {wave: 0}]->(m:NetworkMember)
        RETURN CASE WHEN m.relationshipType IN $weak THEN 'weak'
                    WHEN m.relationshipType IN $strong THEN 'strong' END AS class,
               r.nextWaveStatus AS next""", weak=GROUPS["weak"], strong=STRONG)
    assert set(ties["next"]) == {"retained", "lost"}
    retained = ties.dropna(subset=["class"]).assign(kept=lambda f: f["next"] == "retained") \
        .groupby("class")["kept"].mean()
    assert retained["weak"] > retained["strong"], retained.to_dict()


def test_euwise_median_support_connections_is_3(demo, driver, settings):
    sizes = rows(driver, settings, "MATCH (p:Participant {studyId: 'euwise'}) "
                 "RETURN COUNT { (p)-[:HAS_MEMBER {wave: 0}]->() } AS size")["size"]
    assert len(sizes) == 1800
    assert statistics.median(sizes) == 3  # Koetsenruijter 2015


def test_euwise_community_participation_is_about_34_6_percent(demo, driver, settings):
    share = one(driver, settings, """
        MATCH (p:Participant {studyId: 'euwise'})
        RETURN count(p) AS participants,
               count(CASE WHEN EXISTS { (p)-[:PARTICIPATES_IN {wave: 0}]->(r:Resource)
                                        WHERE r.resourceType IN $types } THEN 1 END) AS involved""",
                types=COMMUNITY_TYPES)
    assert 100 * share["involved"] / share["participants"] == pytest.approx(34.6, abs=2)  # Koetsenruijter 2015


@pytest.mark.parametrize("study", examples.STUDIES)
def test_every_loaded_node_and_relationship_points_to_a_completed_run(demo, driver, settings, study):
    nodes = rows(driver, settings, """
        MATCH (n) WHERE n.studyId = $study AND NOT n:LoadRun
        OPTIONAL MATCH (run:LoadRun {runId: n.loadRunId, status: 'completed'})
        RETURN [l IN labels(n) WHERE l IN ['Study', 'Participant', 'NetworkMember', 'Resource']][0] AS label,
               run IS NOT NULL AS hasRun, n.sourceFile IN run.sources AS fileOfRun,
               n.sourceRow AS sourceRow""", study=study)
    assert set(nodes["label"]) == {"Study", "Participant", "NetworkMember", "Resource"}
    assert nodes["hasRun"].all()
    data_nodes = nodes[nodes["label"] != "Study"]  # the Study node comes from the mapping, not a row
    assert data_nodes["fileOfRun"].eq(True).all()
    assert (data_nodes["sourceRow"] >= 2).all()  # spreadsheet rows: the header is row 1

    relationships = rows(driver, settings, """
        MATCH (n {studyId: $study})-[r]->() WHERE NOT n:LoadRun
        OPTIONAL MATCH (run:LoadRun {runId: r.loadRunId, status: 'completed'})
        RETURN type(r) AS type, run IS NOT NULL AS hasRun, r.sourceFile IN run.sources AS fileOfRun,
               r.sourceRow AS sourceRow""", study=study)
    assert len(relationships) > 0
    assert relationships["hasRun"].all() and relationships["fileOfRun"].eq(True).all()
    assert (relationships["sourceRow"] >= 2).all()


@pytest.mark.parametrize("study", examples.STUDIES)
def test_load_run_records_the_sha256_of_every_source(demo, driver, settings, study):
    run = one(driver, settings, "MATCH (r:LoadRun {studyId: $study}) RETURN r.status AS status, "
              "r.sources AS sources, r.sha256 AS sha256", study=study)
    folder = examples.mapping_path(study).parent
    expected = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.glob("*.csv")}
    assert run["status"] == "completed"
    assert dict(zip(run["sources"], run["sha256"])) == expected


def test_source_rows_point_at_the_rows_that_were_loaded(demo, driver, settings):
    folder = examples.mapping_path("nwe").parent
    participants = pd.read_csv(folder / "participants.csv", dtype=str)
    members = pd.read_csv(folder / "members.csv", dtype=str)
    loaded = rows(driver, settings, "MATCH (p:Participant {studyId: 'nwe'}) "
                  "RETURN p.participantId AS pid, p.sourceFile AS file, p.sourceRow AS row")
    assert (loaded["file"] == "participants.csv").all()
    assert participants.loc[loaded["row"] - 2, "pid"].tolist() == loaded["pid"].tolist()
    named = rows(driver, settings, "MATCH (:Participant {studyId: 'nwe'})-[r:HAS_MEMBER]->(m) "
                 "RETURN m.participantId AS pid, m.memberId AS mid, r.wave AS wave, r.sourceFile AS file, "
                 "r.sourceRow AS row")
    assert len(named) == len(members) and (named["file"] == "members.csv").all()
    source = members.loc[named["row"] - 2]
    assert source["pid"].tolist() == named["pid"].tolist() and source["mid"].tolist() == named["mid"].tolist()
    assert source["wave"].astype(int).tolist() == named["wave"].tolist()


def test_a_second_demo_changes_nothing(demo, driver, settings, tmp_path):
    before = snapshot(driver, settings.database)
    runs_before = one(driver, settings, "MATCH (r:LoadRun) RETURN count(r) AS runs")
    again = run_illnet(settings, tmp_path, "demo")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "study 'nwe' already loaded" in again.stdout and "study 'euwise' already loaded" in again.stdout
    assert snapshot(driver, settings.database) == before
    assert one(driver, settings, "MATCH (r:LoadRun) RETURN count(r) AS runs") == runs_before


def test_the_demo_writes_a_report_of_each_bundled_study(demo):
    reports = [Path(line.removeprefix("report: ")) for line in demo.stdout.splitlines() if line.startswith("report: ")]
    assert [path.name for path in reports] == [f"{study}.html" for study in examples.STUDIES]
    for path in reports:
        html = path.read_text(encoding="utf-8")
        assert html.count('class="question"') == len(canned.catalogue())
        assert 'class="egogram"' in html and "data:image/png;base64," in html
