"""Jobs across participants (resource communities, bridging resources) leave out a study that
records no resources at the wave, with a note, instead of reporting every participant as its own
component and community."""

import pytest

from illnet.db import erase_all
from illnet.query.algorithms import run_job
from illnet.synth.graph import build

pytestmark = pytest.mark.neo4j

WITH, WITHOUT = "with_resources", "without_resources"


@pytest.fixture(scope="module")
def studies(driver, settings):
    erase_all(driver, settings.database)
    build(driver, 12, seed=3, database=settings.database, study_id=WITH)
    build(driver, 12, seed=4, database=settings.database, study_id=WITHOUT, resources=0)
    return settings


@pytest.mark.parametrize("job", ["resource_communities", "bridging_resources"])
def test_a_study_without_resources_gives_an_empty_result_and_a_note(studies, driver, job):
    frame = run_job(job, studies, driver=driver, study=WITHOUT)
    assert frame.empty
    assert f"study {WITHOUT} records none at wave 0" in frame.attrs["note"]


def test_pooled_resource_communities_leave_out_the_study_without_resources(studies, driver):
    frame = run_job("resource_communities", studies, driver=driver)
    participants = frame[frame["label"] == "Participant"]["key"]
    assert len(participants) == 12 and participants.str.startswith(f"{WITH}|").all()
    assert f"study {WITHOUT} records none" in frame.attrs["note"]
