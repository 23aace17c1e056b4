"""A panel study whose ties take every derived value (tests/fixtures/long plus one row):
the facts a load derives for it, worked out by hand from its files.

P1 names M1 at waves 0 and 1 and M2 at wave 0; P2 names M1 and M2 (a pet, help_comfort "x")
at wave 0 and, in the added row, M3 at wave 1, who does no task. Tasks: help_medication
(illness) and help_comfort (emotional) from the member, helps_back (companionship) from the
participant."""

import shutil
from pathlib import Path

LONG = Path(__file__).resolve().parent / "fixtures" / "long"
ADDED_ROW = "P2,M3,1,neighbour,outer,weekly,0,0,0\n"

# (participant, member, wave): status, nextWaveStatus, memberTasks, memberWorkTypes, participantTasks
EXPECTED = {
    ("P1", "M1", 0): ("baseline", "retained", ["comfort", "medication"], ["emotional", "illness"], 0),
    ("P1", "M1", 1): ("retained", None, ["medication"], ["illness"], 1),   # medication "yes", helps back
    ("P1", "M2", 0): ("baseline", "lost", ["medication"], ["illness"], 0),
    ("P2", "M1", 0): ("baseline", "lost", ["comfort"], ["emotional"], 0),
    ("P2", "M2", 0): ("baseline", "lost", ["comfort"], ["emotional"], 0),
    ("P2", "M3", 1): ("new", None, [], [], 0),                            # no task either way
}


def write_study(folder: Path) -> Path:
    """The study's files in `folder`; returns its mapping file."""
    shutil.copytree(LONG, folder, dirs_exist_ok=True)
    with (folder / "members.csv").open("a", encoding="utf-8") as handle:
        handle.write(ADDED_ROW)
    return folder / "mapping.yaml"
