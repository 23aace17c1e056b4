"""The facts a load derives from a new study's tables (illnet.load.derived.tie_facts),
against the values worked out by hand in tests/derived_study.py."""

import pandas as pd

from illnet.load import derived
from illnet.load.read import read_study
from tests.derived_study import EXPECTED, write_study


def test_each_tie_gets_its_status_and_work_from_the_tables(tmp_path):
    result = read_study(write_study(tmp_path))
    assert not result.problems
    ties = result.tables["ties"]
    facts = derived.tie_facts(result.tables)
    assert list(facts.index) == list(ties.index)
    got = {(row.participant_id, row.member_id, int(row.wave)): (
        fact.status, fact.next_wave_status, list(fact.member_tasks), list(fact.member_work_types),
        int(fact.participant_tasks))
        for row, fact in zip(ties.itertuples(), facts.itertuples())}
    assert got == EXPECTED
    assert derived.study_facts(result.tables) == (["GB", "NL"], [0, 1])


def test_duplicate_flows_count_once_and_a_study_of_one_wave_has_no_next_status(tmp_path):
    tables = read_study(write_study(tmp_path)).tables
    tables["ties"] = tables["ties"][tables["ties"]["wave"] == 0]
    support = tables["support"]
    tables["support"] = pd.concat([support, support[support["direction"] == "to_participant"].head(1)])
    facts = derived.tie_facts(tables)
    assert facts["next_wave_status"].isna().all() and set(facts["status"]) == {"baseline"}
    assert [list(tasks) for tasks in facts["member_tasks"]] == [["comfort", "medication"], ["medication"], ["comfort"],
                                                                   ["comfort"]]
