"""The per-participant measures (queries/measures): golden answers on the hand-made ego study
(tests/ego_golden.py), the same measures computed independently with networkx, python-igraph,
scipy and pandas from the raw graph (on the ego study and on the tiny study), and the checks of
`known:` parameters."""

import math

import igraph as ig
import networkx as nx
import pandas as pd
import pytest
from scipy.stats import entropy as scipy_entropy

from illnet.cli.output import records
from illnet.errors import QueryError
from illnet.queries import run
from illnet.query import canned as catalogue
from tests.ego_golden import GOLDEN, load_ego_and_tiny
from tests.golden import assert_rows
from tests.load_helpers import run_illnet

pytestmark = pytest.mark.neo4j

CASES = [(name, params, expected) for name, cases in GOLDEN.items() for params, expected in cases]


@pytest.fixture
def tiny_wave1_ties_removed(ego_db, settings):
    """The tiny study without its wave-1 member ties, for one test; everything reloaded after it."""
    ego_db.execute_query("MATCH (:NetworkMember {studyId: 'tiny'})-[k:KNOWS {wave: 1}]->() DELETE k",
                         database_=settings.database)
    yield ego_db
    load_ego_and_tiny(ego_db, settings.database)


def test_every_measures_query_has_a_golden_case():
    assert {name for name, query in catalogue.catalogue().items() if query.theme == "measures"} == set(GOLDEN)


@pytest.mark.parametrize(("name", "params", "expected"), CASES,
                         ids=[f"{name}-{index}" for name, cases in GOLDEN.items() for index in range(len(cases))])
def test_measures_answer_the_ego_study_as_worked_out_by_hand(ego_db, settings, name, params, expected):
    assert_rows(name, run(name, driver=ego_db, settings=settings, **params), expected)


# ---- independent computations from the raw graph -------------------------------------------------

def _frame(driver, database, statement, **params) -> pd.DataFrame:
    records_, _, keys = driver.execute_query(statement, params, database_=database)
    return pd.DataFrame([r.values() for r in records_], columns=keys)


def _members(driver, database, study, attribute="gender"):
    """Members per participant and wave with the attribute, the tie class, and who was observed."""
    return _frame(driver, database,
                  "MATCH (p:Participant {studyId: $study})-[h:HAS_MEMBER]->(m:NetworkMember) "
                  "RETURN p.participantId AS p, h.wave AS wave, m.memberId AS m, "
                  "coalesce(h[$attribute], m[$attribute]) AS value, coalesce(h.tieClass, m.tieClass) AS tieClass",
                  study=study, attribute=attribute)


def _ties(driver, database, study):
    return _frame(driver, database,
                  "MATCH (a:NetworkMember {studyId: $study})-[k:KNOWS]->(b:NetworkMember) "
                  "RETURN a.participantId AS p, k.wave AS wave, a.memberId AS a, b.memberId AS b, "
                  "coalesce(k.type, 'knows') AS type, k.weight AS weight", study=study)


def _graphs(members, ties, tie_type=None, min_weight=None):
    """(participant, wave) -> networkx Graph of its members and the selected ties."""
    graphs = {}
    for (p, wave), group in members.groupby(["p", "wave"]):
        graphs[(p, wave)] = nx.Graph()
        graphs[(p, wave)].add_nodes_from(group["m"])
    for tie in ties.itertuples():
        weight = 1.0 if pd.isna(tie.weight) else tie.weight
        if (tie_type is None or tie.type == tie_type) and (min_weight is None or weight >= min_weight):
            graphs[(tie.p, tie.wave)].add_edge(tie.a, tie.b)
    return graphs


def _ego_constraint_igraph(graph: nx.Graph) -> float:
    """igraph's constraint of an added ego vertex joined to every member (egor's ego_constraint)."""
    names = list(graph) + ["EGO"]
    index = {name: i for i, name in enumerate(names)}
    edges = [(index[a], index[b]) for a, b in graph.edges] + [(index[m], index["EGO"]) for m in graph]
    return ig.Graph(n=len(names), edges=edges).constraint([index["EGO"]])[0]


@pytest.mark.parametrize(("study", "params"), [
    ("ego", {}), ("ego", {"tieType": "close"}), ("ego", {"tieType": "work"}), ("ego", {"minWeight": 1.0}),
    ("tiny", {}),
])
def test_ego_measures_agree_with_networkx_and_igraph(ego_db, settings, study, params):
    members, ties = _members(ego_db, settings.database, study), _ties(ego_db, settings.database, study)
    graphs = _graphs(members, ties, params.get("tieType"), params.get("minWeight"))
    recorded = set(ties[ties["type"] == params["tieType"]]["wave"] if "tieType" in params else ties["wave"])
    graphs = {key: graph for key, graph in graphs.items() if key[1] in recorded}
    frame = run("ego_measures", driver=ego_db, settings=settings, study=study, **params)
    rows = {(r["participantId"], r["wave"]): r for r in records(frame) if r["size"] > 0 and r["tiesRecorded"]}
    assert rows.keys() == graphs.keys()
    for key, graph in graphs.items():
        row, n = rows[key], graph.number_of_nodes()
        with_ego = nx.Graph(graph)
        with_ego.add_edges_from(("EGO", m) for m in graph)
        effective = nx.effective_size(with_ego, nodes=["EGO"])["EGO"]
        degrees = [d for _, d in graph.degree]
        expected = {"size": n, "ties": graph.number_of_edges(), "components": nx.number_connected_components(graph),
                    "isolates": nx.number_of_isolates(graph), "maxDegree": max(degrees),
                    "meanDegree": sum(degrees) / n, "density": nx.density(graph) if n > 1 else None,
                    "constraint": nx.constraint(with_ego, nodes=["EGO"])["EGO"], "effectiveSize": effective,
                    "efficiency": effective / n}
        for column, value in expected.items():
            assert row[column] == pytest.approx(value), (key, column)
        assert row["constraint"] == pytest.approx(_ego_constraint_igraph(graph)), key
        classes = members[(members["p"] == key[0]) & (members["wave"] == key[1])]["tieClass"]
        assert (row["strongMembers"], row["weakMembers"], row["unclassifiedMembers"]) == (
            (classes == "strong").sum(), (classes == "weak").sum(), classes.isna().sum())


def test_weighted_density_agrees_with_pandas(ego_db, settings):
    ties = _ties(ego_db, settings.database, "ego")
    sums = ties.assign(weight=ties["weight"].fillna(1.0)).groupby(["p", "wave"])["weight"].sum()
    frame = run("ego_measures", driver=ego_db, settings=settings, study="ego")
    for row in records(frame):
        if row["size"] > 1:
            n = row["size"]
            assert row["weightedDensity"] == pytest.approx(sums.get((row["participantId"], row["wave"]), 0.0)
                                                           / (n * (n - 1) / 2))


@pytest.mark.parametrize(("study", "attribute"), [("ego", "gender"), ("ego", "support"), ("tiny", "relationshipType")])
def test_composition_and_diversity_agree_with_pandas_and_scipy(ego_db, settings, study, attribute):
    members = _members(ego_db, settings.database, study, attribute)
    composition = run("ego_composition", driver=ego_db, settings=settings, study=study, attribute=attribute)
    diversity = {(r["participantId"], r["wave"]): r for r in records(
        run("ego_diversity", driver=ego_db, settings=settings, study=study, attribute=attribute))}
    got = {(r["participantId"], r["wave"], r["value"]): (r["count"], r["share"], r["shareOfAll"])
           for r in records(composition) if r["size"] > 0}
    expected = {}
    for (p, wave), group in members.groupby(["p", "wave"]):
        counts = group["value"].value_counts(dropna=False)
        known = group["value"].notna().sum()
        for value, count in counts.items():
            value = None if pd.isna(value) else value
            expected[(p, wave, value)] = (count, count / known if value is not None else None, count / len(group))
        known_counts = group["value"].dropna().value_counts()
        row = diversity[(p, wave)]
        assert (row["size"], row["known"], row["distinctValues"]) == (len(group), known, len(known_counts))
        assert row["entropy"] == pytest.approx(scipy_entropy(known_counts.to_numpy(), base=2))
    assert got.keys() == expected.keys()
    for key, values in expected.items():
        assert got[key] == pytest.approx(values), key


def test_homophily_and_numeric_summary_agree_with_pandas(ego_db, settings):
    members = _members(ego_db, settings.database, "ego", "gender")
    egos = _frame(ego_db, settings.database, "MATCH (p:Participant {studyId: 'ego'}) RETURN p.participantId AS p, "
                                             "p.sex AS sex").set_index("p")["sex"]
    ties = _ties(ego_db, settings.database, "ego").drop_duplicates(["p", "wave", "a", "b"])
    value = members.set_index(["p", "wave", "m"])["value"]
    frame = run("ego_homophily", driver=ego_db, settings=settings, study="ego", egoAttribute="sex",
                memberAttribute="gender")
    for row in records(frame):
        group = members[(members["p"] == row["participantId"]) & (members["wave"] == row["wave"])].dropna(
            subset=["value"])
        same = (group["value"] == egos[row["participantId"]]).sum()
        assert (row["external"], row["internal"]) == (len(group) - same, same)
        pairs = ties[(ties["p"] == row["participantId"]) & (ties["wave"] == row["wave"])]
        va = [value[(t.p, t.wave, t.a)] for t in pairs.itertuples()]
        vb = [value[(t.p, t.wave, t.b)] for t in pairs.itertuples()]
        known = [(x, y) for x, y in zip(va, vb) if not pd.isna(x) and not pd.isna(y)]
        internal = sum(x == y for x, y in known)
        assert (row["tieExternal"], row["tieInternal"]) == (len(known) - internal, internal)
    ages = _members(ego_db, settings.database, "ego", "age")
    stats = ages.groupby(["p", "wave"])["value"].agg(["mean", "std", "count"])
    for row in records(run("ego_numeric_summary", driver=ego_db, settings=settings, study="ego", attribute="age")):
        if row["size"]:
            mean, std, count = stats.loc[(row["participantId"], row["wave"])]
            assert (row["mean"], row["known"]) == (pytest.approx(mean), count)
            assert row["sd"] == (None if count < 2 else pytest.approx(std))


# ---- honest answers: unknown names are errors, unrecorded ties are null -----------------------------

@pytest.mark.parametrize(("name", "params", "message", "hint"), [
    ("ego_composition", {"attribute": "gendr"}, "attribute 'gendr' is not a member attribute in study 'ego'",
     "known: gender"),
    ("ego_composition", {}, "query ego_composition needs parameter attribute", "-p attribute="),
    ("ego_numeric_summary", {"attribute": "gender"}, "attribute 'gender' is not numeric in study 'ego'",
     # in order, the structure a load stores among them
     "numeric ones: age, closeness, networkBetweenness, networkBrokeredPairs"),
    ("ego_measures", {"tieType": "clse"}, "tieType 'clse' is not a recorded member-member tie type", "known: close"),
    ("ego_measures", {"wave": 2}, "study 'ego' has no wave 2", "its waves are 0, 1"),
    ("ego_homophily", {"egoAttribute": "gender", "memberAttribute": "gender"},
     "egoAttribute 'gender' is not a participant attribute", "known: "),
])
def test_a_name_the_study_does_not_have_is_an_error_with_the_known_names(ego_db, settings, name, params, message,
                                                                        hint):
    with pytest.raises(QueryError) as error:
        run(name, driver=ego_db, settings=settings, study="ego", **params)
    assert message in error.value.message and hint in error.value.hint


def test_a_study_without_member_ties_gets_null_structure_not_zeros(tiny_wave1_ties_removed, settings):
    ego_db = tiny_wave1_ties_removed
    frame = run("ego_measures", driver=ego_db, settings=settings, study="tiny", wave=1)
    for row in records(frame):
        assert row["tiesRecorded"] is False and row["size"] > 0
        assert all(row[c] is None for c in ("ties", "density", "components", "isolates", "constraint"))
    note = run("ego_tie_summary", driver=ego_db, settings=settings, study="tiny", wave=1).attrs["note"]
    assert "no member-member ties (KNOWS) are recorded in study 'tiny' at wave 1" in note
    assert not math.isnan(run("ego_measures", driver=ego_db, settings=settings, study="tiny", wave=0)["ties"].sum())


def test_the_measures_run_by_name_from_the_command_line(ego_db, settings, tmp_path):
    result = run_illnet(settings, tmp_path, "query", "run", "ego_measures", "-p", "study=ego", "-p", "wave=0",
                        "-p", "tieType=close", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("studyId,participantId,wave,size,tiesRecorded,ties,density")
    assert [line.split(",")[:6] for line in lines[1:]] == [
        ["ego", "e1", "0", "0", "true", "0"], ["ego", "e2", "0", "1", "true", "0"],
        ["ego", "e3", "0", "2", "true", "0"], ["ego", "e4", "0", "5", "true", "2"]]
    result = run_illnet(settings, tmp_path, "query", "run", "ego_diversity", "-p", "study=ego", "-p", "attribute=sex")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == ("error: query ego_diversity: attribute 'sex' is not a member attribute "
                                             "in study 'ego'")
