"""What the golden tests of canned queries share: comparing a result frame with rows worked out by hand."""

import math

from illnet.cli.output import records
from illnet.query import canned as catalogue

ANY_ID = object()  # stands for an algorithm's arbitrary integer id (a community id)


def same(actual, expected) -> bool:
    """Equal values of the same type; floats within 1e-9; ANY_ID matches any integer."""
    if expected is ANY_ID:
        return type(actual) is int
    if isinstance(expected, float) or isinstance(actual, float):
        return actual is not None and math.isclose(actual, expected, abs_tol=1e-9)
    return actual == expected and type(actual) is type(expected)


def assert_rows(name, frame, expected):
    """The frame has the query's declared columns, no note, and exactly the expected rows in order."""
    assert list(frame.columns) == [column.name for column in catalogue.get(name).returns]
    actual = [tuple(row.values()) for row in records(frame)]
    assert len(actual) == len(expected), actual
    for got, want in zip(actual, expected, strict=True):
        assert len(got) == len(want)
        assert all(same(a, e) for a, e in zip(got, want, strict=True)), f"{got} != {want}"
    arbitrary_ids = [[got[i] for got, want in zip(actual, expected) if want[i] is ANY_ID]
                     for i in range(len(frame.columns))]
    assert all(len(set(ids)) == len(ids) for ids in arbitrary_ids), "each row is a different community"
    assert "note" not in frame.attrs


def bridges_by_networkx(ties) -> dict[tuple[str, str], tuple]:
    """structural_bridges computed by networkx from (participant, member a, member b) ties:
    (participant, member) -> (degree, effectiveSize, constraint, brokeredPairs, betweenness, articulationPoint)."""
    import networkx as nx

    graphs: dict[str, nx.Graph] = {}
    for participant, a, b in ties:
        graphs.setdefault(participant, nx.Graph()).add_edge(a, b)
    expected = {}
    for participant, graph in graphs.items():
        effective, constraint = nx.effective_size(graph), nx.constraint(graph)
        betweenness = nx.betweenness_centrality(graph, normalized=False)
        cut_points = set(nx.articulation_points(graph))
        for member in graph:
            degree = graph.degree(member)
            brokered = degree * (degree - 1) // 2 - graph.subgraph(graph[member]).number_of_edges()
            expected[(participant, member)] = (degree, effective[member], constraint[member], brokered,
                                               betweenness[member], member in cut_points)
    return expected


def bridges_of(rows) -> dict[tuple[str, str], tuple]:
    """The rows of structural_bridges in the shape of bridges_by_networkx."""
    return {(r["participantId"], r["memberId"]): (r["degree"], r["effectiveSize"], r["constraint"], r["brokeredPairs"],
                                                  r["betweenness"], r["articulationPoint"]) for r in rows}
