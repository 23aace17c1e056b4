"""The query runner against a real Neo4j: read-only transactions, parameters as values,
graceful degradation when the data lacks what a question needs, and the CLI commands."""

import json
import re

import pytest

from illnet.errors import NoteWarning, QueryError
from illnet.queries import cypher, run
from illnet.query import canned as catalogue
from tests.conftest import invoke_query_commands as invoke
from tests.graph_state import REMOVE_STRUCTURE

pytestmark = pytest.mark.neo4j

INJECTION = "x' }) DETACH DELETE n //"


def graph_size(driver, settings) -> tuple[int, int]:
    """(nodes, relationships) in the database."""
    records, _, _ = driver.execute_query(
        "MATCH (n) RETURN count(n) AS nodes, COUNT { ()-[]->() } AS rels", database_=settings.database)
    return records[0]["nodes"], records[0]["rels"]


def test_writing_cypher_is_refused_and_the_graph_is_unchanged(tiny_db, settings):
    before = graph_size(tiny_db, settings)
    with pytest.raises(QueryError, match="writes to the graph"):
        cypher("CREATE (:X)", driver=tiny_db, settings=settings)
    with pytest.raises(QueryError, match="writes to the graph"):
        cypher("MATCH (n) DETACH DELETE n", driver=tiny_db, settings=settings)
    assert graph_size(tiny_db, settings) == before


def test_writing_cypher_runs_with_write(tiny_db, settings):
    nodes, rels = graph_size(tiny_db, settings)
    frame = cypher("CREATE (x:X {name: $name}) RETURN x.name AS name", driver=tiny_db, settings=settings,
                   write=True, name="scratch")
    assert frame.to_dict("records") == [{"name": "scratch"}]
    assert graph_size(tiny_db, settings) == (nodes + 1, rels)


def test_cli_cypher_write_is_refused_with_one_line_and_exit_1(tiny_db, settings, cli_env):
    before = graph_size(tiny_db, settings)
    result = invoke("cypher", "CREATE (:X)")
    assert result.exit_code == 1
    assert "writes to the graph" in result.output and "Traceback" not in result.output
    assert graph_size(tiny_db, settings) == before


def test_injected_parameter_stays_a_value(tiny_db, settings):
    before = graph_size(tiny_db, settings)
    with pytest.raises(QueryError) as refused:  # looked up as a value: there is no such study
        run("composition_by_tie_class", driver=tiny_db, settings=settings, study=INJECTION)
    assert refused.value.message == f"there is no study {INJECTION!r}"
    echoed = cypher("RETURN $value AS value", driver=tiny_db, settings=settings, value=INJECTION)
    assert echoed.iloc[0]["value"] == INJECTION
    assert graph_size(tiny_db, settings) == before


def test_cli_injected_parameter_stays_a_value(tiny_db, settings, cli_env):
    before = graph_size(tiny_db, settings)
    result = invoke("query", "run", "network_size", "-p", f"study={INJECTION}", "--format", "json")
    assert result.exit_code == 1 and f"there is no study {INJECTION!r}" in result.output
    assert graph_size(tiny_db, settings) == before


def test_parameter_errors_name_the_valid_parameters(tiny_db, settings):
    with pytest.raises(QueryError) as error:
        run("work_concentration", driver=tiny_db, settings=settings, minshare=0.4)
    assert "minshare" in error.value.message
    assert "minShare (float, default 0.5)" in error.value.hint and "wave (integer, default 0)" in error.value.hint
    with pytest.raises(QueryError, match="must be a integer"):
        run("network_size", driver=tiny_db, settings=settings, wave="0")


def test_cli_run_converts_parameters_and_writes_csv_to_a_file(tiny_db, cli_env, tmp_path):
    out = tmp_path / "concentration.csv"
    result = invoke("query", "run", "work_concentration", "-p", "minShare=0.4", "-p", "study=tiny",
                    "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines() == [
        "participantId,topMemberId,topRelationship,topFlows,totalFlows,topShare",
        "p3,m1,partner,3,4,0.75",
        f"p2,m1,child,3,7,{3 / 7}",
    ]


def test_cli_run_reports_a_bad_value_and_an_unknown_name(tiny_db, cli_env):
    bad_value = invoke("query", "run", "work_concentration", "-p", "minShare=most")
    assert bad_value.exit_code == 1 and "'most' is not a float" in bad_value.output
    unknown = invoke("query", "run", "work_concentraton")
    assert unknown.exit_code == 1 and "did you mean work_concentration" in unknown.output


def test_cli_cypher_reads_stdin_and_files_with_json_parameters(tiny_db, cli_env, tmp_path):
    statement = ("MATCH (p:Participant {studyId: $study}) WHERE p.hasPartner = $partner "
                 "RETURN p.participantId AS id ORDER BY id")
    from_stdin = invoke("cypher", "-", "-p", "study=tiny", "-p", "partner=true", "--format", "json", input=statement)
    assert from_stdin.exit_code == 0, from_stdin.output
    assert json.loads(from_stdin.output) == [{"id": "p1"}, {"id": "p3"}]
    script = tmp_path / "q.cypher"
    script.write_text(statement)
    from_file = invoke("cypher", "-f", str(script), "-p", "study=tiny", "-p", "partner=false", "--format", "markdown")
    assert from_file.exit_code == 0, from_file.output
    assert from_file.output.splitlines() == ["| id |", "| --- |", "| p2 |"]


def test_cli_list_and_show(cli_env):
    listed = invoke("query", "list", "--format", "json")
    assert {row["name"] for row in json.loads(listed.output)} == set(catalogue.catalogue())
    shown = invoke("query", "show", "unmet_work")
    assert shown.output == catalogue.get("unmet_work").text


def test_nodes_come_back_as_property_dicts(tiny_db, settings):
    frame = cypher("MATCH (r:Resource {resourceId: 'r1'}) RETURN r", driver=tiny_db, settings=settings)
    node = frame.iloc[0]["r"]
    assert node["_labels"] == ["Resource"] and node["name"] == "Riverside Surgery"


# Degraded data: each case removes what some questions need, then every query declaring that need
# must come back empty with a note (runner) and its body alone must also return no rows (Browser).
# The tiny study has no algorithm results until a job runs, so the job needs are unmet as it is.
DEGRADATIONS = {
    # as a load leaves a study without member ties: none, and no structure on HAS_MEMBER
    "member_ties": ("MATCH ()-[k:KNOWS]->() DELETE k WITH count(*) AS deleted " + REMOVE_STRUCTURE,
                    "no member-member ties (KNOWS) are recorded"),
    "next_wave": ("MATCH ()-[r {wave: 1}]->() DELETE r", "no members are named at the wave after wave 0"),
    "resources": ("MATCH (r:Resource) DETACH DELETE r", "no groups, organisations or services"),
    # as a load leaves a study without flows: none, and the work a load derives from them empty
    "support_flows": ("MATCH ()-[w:PROVIDES]->() DELETE w WITH count(*) AS deleted MATCH ()-[h:HAS_MEMBER]->() "
                      "SET h.memberTasks = [], h.memberWorkTypes = [], h.participantTasks = 0",
                      "no support flows (who does which task) are recorded"),
    "circles": ("MATCH ()-[h:HAS_MEMBER]->() REMOVE h.circle", "no circles (inner, middle, outer) are recorded"),
    "job:bridging_members": ("RETURN 1", "run `illnet algo run bridging_members -p wave=0 --mode write` first"),
    "job:network_types": ("RETURN 1", "run `illnet algo run network_types -p wave=0 --mode write` first"),
    "job:resource_communities": ("RETURN 1",
                                 "run `illnet algo run resource_communities -p wave=0 --mode write` first"),
}


@pytest.mark.parametrize("need", sorted(DEGRADATIONS))
def test_queries_on_data_without_what_they_need_return_empty_with_a_note(tiny_db, settings, need):
    degrade, note = DEGRADATIONS[need]
    tiny_db.execute_query(degrade, database_=settings.database)
    needing = [q for q in catalogue.catalogue().values()
               if any(n.name == need and n.param is None for n in q.needs)]
    assert needing, f"no query declares needs: {need}"
    for query in needing:
        with pytest.warns(NoteWarning, match=re.escape(note)):
            frame = run(query.name, driver=tiny_db, settings=settings)
        assert frame.empty, query.name
        assert list(frame.columns) == [column.name for column in query.returns]
        assert frame.attrs["note"].startswith(f"{query.name}: ") and note in frame.attrs["note"], frame.attrs
        defaults = {name: param.default for name, param in query.params.items()}
        raw, _, _ = tiny_db.execute_query(query.body, defaults, database_=settings.database)
        assert raw == [], f"{query.name} body returns rows without {need}: {raw}"


def test_the_study_without_support_flows_gets_notes_not_numbers(tiny_db, settings):
    tiny_db.execute_query(DEGRADATIONS["support_flows"][0], database_=settings.database)
    for name in ("unmet_work", "coverage_and_redundancy", "contributor_cohesion", "work_share_by_tie_class"):
        with pytest.warns(NoteWarning, match="no support flows"):
            frame = run(name, driver=tiny_db, settings=settings, study="tiny")
        assert frame.empty and "in study 'tiny' at wave 0" in frame.attrs["note"], name


@pytest.mark.parametrize(("definition", "degrade", "note"), [
    ("circle", "MATCH ()-[h:HAS_MEMBER]->() REMOVE h.circle", "no circles"),
    ("contact", "MATCH ()-[h:HAS_MEMBER]->() REMOVE h.contactFrequency", "no contact frequencies"),
])
def test_a_tie_definition_needs_its_tie_attribute(tiny_db, settings, definition, degrade, note):
    assert len(run("composition_by_tie_class", driver=tiny_db, settings=settings, tieDefinition=definition)) == 4
    tiny_db.execute_query(degrade, database_=settings.database)
    for name in ("composition_by_tie_class", "work_per_member_by_tie_class", "work_share_by_tie_class"):
        with pytest.warns(NoteWarning, match=note):
            frame = run(name, driver=tiny_db, settings=settings, tieDefinition=definition)
        assert frame.empty, name
    assert len(run("composition_by_tie_class", driver=tiny_db, settings=settings)) == 4  # tieClass needs neither


def test_single_wave_note_names_the_wave_and_study(tiny_db, settings):
    with pytest.warns(NoteWarning):
        frame = run("tie_durability", driver=tiny_db, settings=settings, study="tiny", wave=1)
    assert frame.empty
    assert frame.attrs["note"].startswith(
        "tie_durability: no members are named at the wave after wave 1 in study 'tiny'")


def test_queries_without_needs_still_answer_when_member_ties_are_missing(tiny_db, settings):
    tiny_db.execute_query(DEGRADATIONS["member_ties"][0], database_=settings.database)
    frame = run("functional_bridges", driver=tiny_db, settings=settings)
    assert len(frame) == 5 and "note" not in frame.attrs
