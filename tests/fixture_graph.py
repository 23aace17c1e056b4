"""Hand-made fixture studies (tests/fixtures/*.cypher) created as a load leaves a study: the
CREATE statement, then the properties the loader derives (illnet.load.derived, illnet.model.structure)."""

from pathlib import Path

from illnet.load.derived import derive_work
from illnet.model import structure


def create_study(driver, database: str, fixture: Path) -> None:
    """Run a fixture's CREATE statement, then derive the load-time properties of every study."""
    driver.execute_query(fixture.read_text(encoding="utf-8"), database_=database)
    for record in driver.execute_query("MATCH (s:Study) RETURN s.studyId AS id", database_=database).records:
        derive_work(driver, record["id"], database)
        structure.derive(driver, record["id"], database)
