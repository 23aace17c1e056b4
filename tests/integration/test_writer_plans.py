"""Every batched write of a load, MERGE and CREATE, is planned without an Eager operator (which would buffer
a whole batch before writing): checked with EXPLAIN on the statements of a real study."""

from pathlib import Path

import pytest

from illnet.load.read import read_study
from illnet.load.writer import Writer

pytestmark = pytest.mark.neo4j
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "three_files" / "mapping.yaml"


def operators(plan: dict) -> list[str]:
    return [plan["operatorType"].split("@")[0]] + [op for child in plan.get("children", []) for op in operators(child)]


def test_no_write_statement_of_a_load_is_eager(driver, settings):
    tables = read_study(EXAMPLE).tables
    steps = Writer(driver, settings.database, progress=False).steps(tables, "run-explain")
    assert {step.name for step in steps if step.rows} >= {"Participant", "NetworkMember", "HAS_MEMBER", "KNOWS",
                                                          "Attribute", "DECLARES"}
    for step in steps:
        for statement in (step.statement, step.create):
            with driver.session(database=settings.database) as session:
                plan = session.run("EXPLAIN " + statement, rows=step.rows[:1]).consume().plan
            assert "Eager" not in operators(plan), f"{step.name}: {statement}"
