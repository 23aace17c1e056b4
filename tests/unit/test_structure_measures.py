"""The structure a load stores on each HAS_MEMBER (illnet.model.structure.member_structure):
a tiny study worked out by hand, then many random networks checked against networkx."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from illnet.model.structure import STRUCTURE_COLUMNS, member_structure


def _ties(rows):
    return pd.DataFrame(rows, columns=["participant_id", "member_id", "wave"])


def _member_ties(rows):
    return pd.DataFrame(rows, columns=["participant_id", "member_a", "member_b", "wave", "type", "weight"])


def test_a_tiny_study_by_hand():
    # P1 at wave 0: a triangle a-b-c (a-b twice: two tie types), c-d, e isolated; a tie to z, who
    # is not named, and a self-loop are left out. P2: x-y. P1 at wave 1: no member ties recorded.
    ties = _ties([("P1", m, 0) for m in "abcde"] + [("P2", "x", 0), ("P2", "y", 0), ("P1", "a", 1), ("P1", "b", 1)])
    member_ties = _member_ties([("P1", "a", "b", 0, "close", 2.0), ("P1", "a", "b", 0, "knows", None),
                                ("P1", "a", "c", 0, "knows", None), ("P1", "b", "c", 0, "knows", 0.5),
                                ("P1", "c", "d", 0, "knows", 1.0), ("P1", "a", "z", 0, "knows", 1.0),
                                ("P1", "d", "d", 0, "knows", 1.0), ("P2", "x", "y", 0, "knows", 3.0)])
    got = member_structure(ties, member_ties)
    assert list(got.columns) == list(STRUCTURE_COLUMNS.values())
    assert got["degree"].tolist()[:7] == [2, 2, 3, 1, 0, 1, 1]
    # c: contacts a, b, d with one tie among them (a-b): effective size 3 - 2/3, brokered pairs 3 - 1
    assert got.loc[2, "effective_size"] == pytest.approx(3 - 2 / 3)
    assert got["brokered_pairs"].tolist()[:7] == [0, 0, 2, 0, 0, 0, 0]
    # a: p(a,b) = 1/2, and the path a-c-b adds p(a,c) p(c,b) = 1/2 * 1/3; p(a,c) = 1/2, and a-b-c
    # adds 1/2 * 1/2
    assert got.loc[0, "constraint"] == pytest.approx((1 / 2 + 1 / 6) ** 2 + (1 / 2 + 1 / 4) ** 2)
    assert got.loc[3, "constraint"] == pytest.approx(1.0)
    assert np.isnan(got.loc[4, "constraint"]) and np.isnan(got.loc[4, "effective_size"])
    # c lies on the one shortest path between d and each of a and b
    assert got["betweenness"].tolist()[:7] == [0, 0, 2, 0, 0, 0, 0]
    assert got["articulation_point"].tolist()[:7] == [False, False, True, False, False, False, False]
    assert got["component"].tolist()[:7] == [0, 0, 0, 0, 1, 0, 0]
    # a: 2 + 1 (close, knows) + 1 (a-c, no weight); c: 1 + 0.5 + 1
    assert got["strength"].tolist()[:7] == [4.0, 3.5, 2.5, 1.0, 0.0, 3.0, 3.0]
    # the participant's dyadic constraint by a (n = 5): (1/5 + 1/5 * (1/3 + 1/4))^2
    assert got.loc[0, "participant_constraint"] == pytest.approx((1 / 5 + (1 / 3 + 1 / 4) / 5) ** 2)
    assert got.loc[4, "participant_constraint"] == pytest.approx(1 / 25)
    assert got.loc[5, "participant_constraint"] == pytest.approx((1 / 2 + 1 / 2 / 2) ** 2)
    assert got.iloc[7:].isna().all().all()  # wave 1: not recorded, no value at all


def test_a_study_without_member_ties_gets_no_values():
    got = member_structure(_ties([("P1", "a", 0), ("P1", "b", 0)]), _member_ties([]))
    assert len(got) == 2 and got.isna().all().all()


def test_random_networks_agree_with_networkx():
    rng = np.random.default_rng(7)
    ties, member_ties, graphs = [], [], {}
    for number in range(60):
        participant, size = f"P{number:02d}", int(rng.integers(1, 9))
        members = [f"m{i}" for i in range(size)]
        graph = nx.Graph()
        graph.add_nodes_from(members)
        for i in range(size):
            for j in range(i + 1, size):
                if rng.random() < 0.4:
                    weight = float(rng.choice([0.5, 2.0, np.nan]))
                    graph.add_edge(members[i], members[j])
                    member_ties.append((participant, members[i], members[j], 0, "knows", weight))
        graphs[participant] = graph
        ties += [(participant, member, 0) for member in members]
    frame = _ties(ties)
    got = member_structure(frame, _member_ties(member_ties))
    for row, (participant, member, _) in zip(got.itertuples(), ties):
        graph = graphs[participant]
        assert row.degree == graph.degree(member)
        assert row.betweenness == pytest.approx(nx.betweenness_centrality(graph, normalized=False)[member])
        assert row.articulation_point == (member in set(nx.articulation_points(graph)))
        if graph.degree(member):
            assert row.constraint == pytest.approx(nx.constraint(graph, [member])[member])
            assert row.effective_size == pytest.approx(nx.effective_size(graph, [member])[member])
        with_participant = graph.copy()
        with_participant.add_edges_from(("ego", other) for other in graph.nodes)
        assert row.participant_constraint == pytest.approx(nx.local_constraint(with_participant, "ego", member))
    # components: the members networkx puts together, and numbers 0 to k-1 within each network
    for participant, graph in graphs.items():
        number = dict(zip(frame.loc[frame["participant_id"] == participant, "member_id"],
                          got.loc[frame["participant_id"] == participant, "component"]))
        assert sorted({frozenset(number[m] for m in part) for part in nx.connected_components(graph)},
                      key=min) == [frozenset([k]) for k in range(nx.number_connected_components(graph))]
    # strength: the plain sum of each member's tie weights (a missing one counts 1)
    weights = _member_ties(member_ties).assign(weight=lambda t: t["weight"].fillna(1.0))
    ends = pd.concat([weights.rename(columns={"member_a": "member_id"}), weights.rename(columns={"member_b": "member_id"})])
    sums = ends.groupby(["participant_id", "member_id"])["weight"].sum()
    expected = [sums.get((participant, member), 0.0) for participant, member, _ in ties]
    assert got["strength"].tolist() == pytest.approx(expected)


def test_the_values_do_not_depend_on_the_order_of_the_rows_or_on_categorical_ids():
    # the loader's tables hold categorical ids; ids read back from the database are text
    rng = np.random.default_rng(3)
    ties = _ties([(f"P{p}", f"m{m}", w) for p in range(30) for m in range(6) for w in (0, 1)])
    pairs = [(f"P{p}", f"m{a}", f"m{b}", w, "knows", float(rng.choice([0.5, 1 / 3, 2.0])))
             for p in range(30) for a in range(6) for b in range(a + 1, 6) for w in (0, 1) if rng.random() < 0.5]
    member_ties = _member_ties(pairs)
    expected = member_structure(ties, member_ties)
    shuffled, shuffled_ties = ties.sample(frac=1, random_state=1), member_ties.sample(frac=1, random_state=2)
    categorical = shuffled.astype({"participant_id": "category", "member_id": "category"})
    got = member_structure(categorical, shuffled_ties.astype({"member_a": "category"})).reindex(expected.index)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
