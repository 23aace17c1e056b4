"""Unit tests (no database) of the algorithm-job catalogue and the measures computed in Python."""

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from illnet import model
from illnet.errors import CatalogueError, QueryError
from illnet.query import jobs as job_catalogue
from illnet.query.measures import (
    burt_measures, is_gds_procedure, label_centroids, normalise_within_networks, set_targets)
from illnet.query.canned import parameters_used

RUNNER_PARAMS = {"graphName", "config", "rows", "partition", "skippedStudies"}


def documented() -> dict[str, set[str]]:
    """'Label.property' -> jobs, from schema/algorithms.yaml."""
    entries = model.load("algorithms")["properties"]
    return {f"{e['label']}.{e['property']}": {job.strip() for job in e["job"].split(",")} for e in entries}


def test_catalogue_has_the_required_jobs():
    assert {"bridging_members", "member_bridges", "resource_communities", "bridging_resources",
            "similar_networks", "network_types"} <= set(job_catalogue.catalogue())


@pytest.mark.parametrize("job", job_catalogue.catalogue().values(), ids=lambda job: job.name)
def test_parameters_used_are_declared(job):
    projection = job.projection
    texts = [projection.match, projection.data, *(call.then for call in job.calls), job.write or "",
             projection.needs.check if projection.needs else "", projection.partition.units if projection.partition else ""]
    used = set().union(*(parameters_used(text) for text in texts))
    used |= {value[1:] for call in job.calls for value in call.config.values()
             if isinstance(value, str) and value.startswith("$")}
    used -= RUNNER_PARAMS | {f"arg{i}" for call in job.calls for i in range(len(call.args))}
    assert used == set(job.params)


@pytest.mark.parametrize("job", job_catalogue.catalogue().values(), ids=lambda job: job.name)
def test_every_written_property_is_documented_for_its_job(job):
    docs = documented()
    for target in job.written_properties():
        assert target in docs, f"{job.name} writes {target}, missing from schema/algorithms.yaml"
        assert job.name in docs[target]


def test_every_documented_property_is_written_by_its_jobs():
    written = {(target, job.name) for job in job_catalogue.catalogue().values() for target in job.written_properties()}
    for target, jobs in documented().items():
        for job in jobs:
            assert (target, job) in written, f"schema/algorithms.yaml: {job} does not write {target}"


def test_write_statements_send_values_as_parameters():
    for job in job_catalogue.catalogue().values():
        if job.write:
            assert job.write.lstrip().startswith("UNWIND $rows AS row")


def test_set_targets_reads_labels_from_patterns():
    statement = ("UNWIND $rows AS row MATCH (m:NetworkMember {key: row.key})-[k:KNOWS]-() "
                 "SET m.a = row.a, k.b = true")
    assert set_targets(statement) == ["NetworkMember.a", "KNOWS.b"]


def test_procedure_names_are_checked():
    assert is_gds_procedure("gds.betweenness.stream")
    assert not is_gds_procedure("gds.betweenness.stream() YIELD x; MATCH (n) DETACH DELETE n //")
    assert not is_gds_procedure("apoc.do.it")


def test_unknown_job_names_the_jobs():
    with pytest.raises(QueryError) as caught:
        job_catalogue.get("no_such_job")
    assert "bridging_members" in caught.value.hint


def _write_job(folder, name, text):
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


def test_bad_job_files_are_reported_with_the_file(tmp_path):
    _write_job(tmp_path, "broken", "name: broken\nconcept: a: b\n")
    with pytest.raises(CatalogueError, match="broken.yaml: not valid YAML"):
        job_catalogue.load(tmp_path)


def test_job_calling_a_non_gds_procedure_is_refused(tmp_path):
    _write_job(tmp_path, "evil", """
name: evil
question: q?
concept: c
projection: {orientation: natural, match: "MATCH (source) WITH source, null AS target"}
calls:
  - {name: x, procedure: "dbms.killTransactions", then: "YIELD x RETURN x"}
""")
    with pytest.raises(CatalogueError, match="not a gds"):
        job_catalogue.load(tmp_path)


def test_a_default_that_does_not_fit_its_type_is_refused(tmp_path):
    _write_job(tmp_path, "typed", """
name: typed
question: q?
concept: c
params:
  wave: {type: integer, default: "zero", description: wave}
projection: {orientation: natural, match: "MATCH (source {wave: $wave}) WITH source, null AS target"}
calls: [{name: x, procedure: gds.wcc.stream, then: "YIELD nodeId RETURN nodeId"}]
""")
    with pytest.raises(CatalogueError, match="typed.yaml: param wave: default 'zero' is not a integer"):
        job_catalogue.load(tmp_path)


def test_job_name_must_match_file(tmp_path):
    _write_job(tmp_path, "one", """
name: two
question: q?
concept: c
projection: {orientation: natural, match: "MATCH (source) WITH source, null AS target"}
calls: [{name: x, procedure: gds.wcc.stream, then: "YIELD nodeId RETURN nodeId"}]
""")
    with pytest.raises(CatalogueError, match="differs from the file name"):
        job_catalogue.load(tmp_path)


def _random_pooled_graph(seed: int) -> nx.Graph:
    """Several disjoint random networks with isolates, as the pooled projection holds them."""
    rng = np.random.default_rng(seed)
    graph = nx.Graph()
    for network in range(15):
        size = int(rng.integers(1, 11))
        nodes = [f"n{network}-{i}" for i in range(size)]
        graph.add_nodes_from(nodes)
        graph.add_edges_from((a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:] if rng.random() < 0.35)
    return graph


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_burt_measures_equal_networkx(seed):
    graph = _random_pooled_graph(seed)
    edges = list(graph.edges())
    sources = np.array([a for a, _ in edges] + [b for _, b in edges[:5]], dtype=object)  # some both ways
    targets = np.array([b for _, b in edges] + [a for a, _ in edges[:5]], dtype=object)
    ours = burt_measures(pd.Index(list(graph.nodes())), sources, targets)
    expected_constraint, expected_size = nx.constraint(graph), nx.effective_size(graph)
    for node in graph.nodes():
        assert ours.loc[node, "degree"] == graph.degree(node)
        for ours_value, expected in ((ours.loc[node, "constraint"], expected_constraint[node]),
                                     (ours.loc[node, "effectiveSize"], expected_size[node])):
            if math.isnan(expected):
                assert math.isnan(ours_value)
            else:
                assert ours_value == pytest.approx(expected, abs=1e-9)


def test_normalisation_within_networks_equals_networkx():
    graph = _random_pooled_graph(4)
    raw = nx.betweenness_centrality(graph, normalized=False)
    network = pd.Series({node: node.split("-")[0] for node in graph.nodes()})
    ours = normalise_within_networks(pd.Series(raw), network)
    for name in set(network):
        members = network.index[network == name]
        expected = nx.betweenness_centrality(graph.subgraph(members), normalized=True)
        for node in members:
            assert ours[node] == pytest.approx(expected[node], abs=1e-12)


def test_label_centroids_follows_the_documented_rule():
    # columns: sizeScaled, weakShare, partnerShare, familyShare (worked out by hand below)
    centroids = pd.DataFrame({
        "sizeScaled":   [0.9, 0.1, 0.5, 0.4, 0.3],
        "weakShare":    [0.2, 0.9, 0.6, 0.1, 0.1],
        "partnerShare": [0.1, 0.5, 0.1, 0.2, 0.3],
        "familyShare":  [0.2, 0.4, 0.1, 0.6, 0.2],
    }, index=[10, 11, 12, 13, 14])
    # smallest size: 11 -> restricted (though its weak share is highest); largest weak share of
    # the rest: 12; largest partner+family of the rest (10: 0.3, 13: 0.8, 14: 0.5): 13; larger size of
    # 10 and 14: 10 -> diverse; 14 -> minimal_family
    assert label_centroids(centroids) == {11: "restricted", 12: "weak_ties", 13: "family", 10: "diverse",
                                          14: "minimal_family"}


def test_uniform_networks_get_no_network_type_rather_than_a_misleading_one():
    """Issue 12: uniform 45-member networks were labelled "restricted". Identical centroids (or a
    single cluster) cannot be ranked, so none is named."""
    import pandas as pd

    same = pd.DataFrame({"sizeScaled": [1.0, 1.0], "weakShare": [0.2, 0.2], "partnerShare": [0.1, 0.1],
                         "familyShare": [0.5, 0.5]}, index=[0, 1])
    assert label_centroids(same) == {}
    assert label_centroids(same.iloc[:1]) == {}
    differing = same.assign(sizeScaled=[0.1, 0.9])
    assert label_centroids(differing)[0] == "restricted"  # the smaller networks, by hand
