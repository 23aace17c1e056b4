"""`load_study` and `illnet load` against a real Neo4j: both layouts give one graph, bad
input writes nothing, --skip-invalid loads exactly the valid rows, re-runs change nothing,
a follow-up wave marks ties retained, lost or new, and a killed load resumes to the same
graph as an uninterrupted one."""

import shutil
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from illnet.errors import IllnetError, InputError
from illnet.synth.generate import generate, write_study
from illnet.load.pipeline import load_study
from illnet.load.tables import StudyTables
from tests.graph_state import snapshot
from tests.load_helpers import illnet_command, illnet_env, remove_loaded_data, run_illnet
from tests.malformed import CASES, FIXTURES

pytestmark = pytest.mark.neo4j

STUDY = "gen"
WAVE_TABLES = ("ties", "support", "member_ties", "participation", "resource_links")
# Properties that legitimately differ between two loads of the same study from other files:
# the provenance of every element (which run wrote it, from which file and row) and the
# LoadRun's own record of its input (its id is a digest of the mapping and the files, it
# lists the files, their SHA-256, the mapping text, per-file row counts and its timing).
PROVENANCE = ("loadRunId", "sourceFile", "sourceRow",
              "runId", "sources", "sha256", "mapping", "counts", "startedAt", "finishedAt")
RUN_TIMING = ("startedAt", "finishedAt")
CLI_CASES = ("unknown_code", "member_tie_to_unknown_member", "mapping_unknown_field")


@pytest.fixture(scope="module")
def study() -> StudyTables:
    """A small generated panel study with member ties and shared resources."""
    return generate(24, seed=11, waves=2, member_ties=True, resources=True, study_id=STUDY)


@pytest.fixture(scope="module")
def long_mapping(study, tmp_path_factory) -> Path:
    return write_study(study, tmp_path_factory.mktemp("long"), layout="long")


@pytest.fixture
def clean(driver, settings):
    """A database holding the schema and no study."""
    remove_loaded_data(driver, settings.database)
    return driver


def load(driver, settings, mapping, **options):
    return load_study(driver, mapping, database=settings.database, progress=False, **options)


def records(driver, settings, statement: str, **params) -> list[dict]:
    return [record.data() for record in driver.execute_query(statement, params, database_=settings.database).records]


def count(driver, settings, statement: str, **params) -> int:
    return driver.execute_query(statement, params, database_=settings.database).records[0][0]


def test_long_and_wide_layouts_load_to_the_same_graph(study, long_mapping, clean, driver, settings, tmp_path):
    wide_mapping = write_study(study, tmp_path / "wide", layout="wide")
    assert (wide_mapping.parent / "survey.csv").exists() and not (wide_mapping.parent / "members.csv").exists()
    load(driver, settings, long_mapping)
    from_long = snapshot(driver, settings.database, ignore=PROVENANCE)
    remove_loaded_data(driver, settings.database)
    load(driver, settings, wide_mapping)
    from_wide = snapshot(driver, settings.database, ignore=PROVENANCE)
    assert from_long["labels"]["NetworkMember"] == len(study["members"])
    assert from_long["types"]["KNOWS"] == len(study["member_ties"])
    assert from_long["types"]["PROVIDES"] == len(study["support"])
    assert from_wide == from_long


@pytest.fixture(scope="module")
def loaded_tiny(driver, settings):
    """A small non-empty database: the schema and the valid hand-made study (which the
    malformed cases break in one place each)."""
    remove_loaded_data(driver, settings.database)
    load(driver, settings, FIXTURES / "long" / "mapping.yaml")
    assert count(driver, settings, "MATCH (p:Participant {studyId: 'tiny'}) RETURN count(p)") == 2
    return driver


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_malformed_study_raises_and_writes_nothing(case, loaded_tiny, driver, settings, tmp_path):
    mapping = case.build(tmp_path)
    before = snapshot(driver, settings.database)
    with pytest.raises(InputError) as raised:
        load(driver, settings, mapping)
    where = [(p.file, p.row, p.column) for p in raised.value.problems]
    assert (case.file, case.row, case.column) in where, "\n".join(map(str, raised.value.problems))
    assert snapshot(driver, settings.database) == before


@pytest.mark.parametrize("case", [case for case in CASES if case.name in CLI_CASES], ids=lambda case: case.name)
def test_illnet_load_reports_malformed_input_in_one_line_per_problem(case, loaded_tiny, settings, tmp_path):
    mapping = case.build(tmp_path)
    result = run_illnet(settings, tmp_path / "home", "load", str(mapping))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert any(line.startswith(f"x {case.file}:{case.row}:") and f"column '{case.column}'" in line
               and "fix:" in line for line in output.splitlines()), output


def _members_named_once_and_nowhere_else(study: StudyTables) -> pd.DataFrame:
    """Tie rows (participant, member, wave) of members named in one wave only and absent
    from member_ties and resource_links: rejecting the row removes just that member."""
    ties = study["ties"]
    once = ties.groupby(["participant_id", "member_id"])["wave"].transform("size") == 1
    referenced = pd.concat([
        study["member_ties"][["participant_id", "member_a"]].set_axis(["participant_id", "member_id"], axis=1),
        study["member_ties"][["participant_id", "member_b"]].set_axis(["participant_id", "member_id"], axis=1),
        study["resource_links"][["participant_id", "member_id"]]])
    keys = pd.MultiIndex.from_frame(ties[["participant_id", "member_id"]])
    elsewhere = keys.isin(pd.MultiIndex.from_frame(referenced))
    return ties.loc[once & ~elsewhere, ["participant_id", "member_id", "wave"]]


def _break_one_participant_and_two_members(study: StudyTables, long_mapping: Path, folder: Path):
    """A copy of the long study with participant 6 given an unknown country and two members
    (named once, nowhere else, of two other participants) broken; returns
    (rejected participant id, the broken tie rows, their row numbers in members.csv - 2)."""
    shutil.copytree(long_mapping.parent, folder)
    participants = pd.read_csv(folder / "participants.csv", dtype=str, keep_default_na=False)
    members = pd.read_csv(folder / "members.csv", dtype=str, keep_default_na=False)
    rejected_pid = participants.loc[5, "pid"]
    participants.loc[5, "country"] = "XX"
    candidates = _members_named_once_and_nowhere_else(study)
    candidates = candidates[candidates["participant_id"] != rejected_pid]
    broken = candidates.iloc[[0, -1]]
    assert len(broken) == 2 and broken.iloc[0]["participant_id"] != broken.iloc[1]["participant_id"]
    row_of = {(r.pid, r.mid, int(r.wave)): i for i, r in members.iterrows()}
    bad_rows = [row_of[(r.participant_id, r.member_id, int(r.wave))] for r in broken.itertuples()]
    members.loc[bad_rows[0], "relation"] = "cousin"
    members.loc[bad_rows[1], "wave"] = "one"
    participants.to_csv(folder / "participants.csv", index=False)
    members.to_csv(folder / "members.csv", index=False)
    return rejected_pid, broken, bad_rows


def test_skip_invalid_loads_the_valid_rows_and_reconciles(study, long_mapping, clean, driver, settings, tmp_path):
    folder = tmp_path / "bad"
    rejected_pid, broken, bad_rows = _break_one_participant_and_two_members(study, long_mapping, folder)
    participants = pd.read_csv(folder / "participants.csv", dtype=str, keep_default_na=False)

    # one participant of 24 and its members is about 5% of some tables: allow up to 10%
    report = load(driver, settings, folder / "mapping.yaml", skip_invalid=True, max_skip=0.1)

    expected = {}  # file -> (rows read, rows rejected), worked out from the files
    for name in ("participants", "members", "member_ties", "resources", "participation", "resource_links"):
        frame = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        rejected = (frame["pid"] == rejected_pid).sum() if "pid" in frame else 0
        expected[f"{name}.csv"] = (len(frame), int(rejected) + (2 if name == "members" else 0))
    assert {r.file: (r.rows_read, r.rows_rejected) for r in report.reconciliation} == expected
    assert all(r.rows_read == r.rows_loaded + r.rows_rejected for r in report.reconciliation)
    assert {(p.file, p.row) for p in report.problems} >= {("participants.csv", 7),
                                                          ("members.csv", bad_rows[0] + 2),
                                                          ("members.csv", bad_rows[1] + 2)}

    assert count(driver, settings, "MATCH (n {studyId: $study, participantId: $pid}) RETURN count(n)",
                 study=STUDY, pid=rejected_pid) == 0
    for r in broken.itertuples():
        assert count(driver, settings, "MATCH (m:NetworkMember {studyId: $study, participantId: $pid, "
                     "memberId: $mid}) RETURN count(m)", study=STUDY, pid=r.participant_id, mid=r.member_id) == 0
    assert count(driver, settings, "MATCH (p:Participant {studyId: $study}) RETURN count(p)",
                 study=STUDY) == len(participants) - 1
    assert count(driver, settings, "MATCH (:Participant {studyId: $study})-[r:HAS_MEMBER]->() RETURN count(r)",
                 study=STUDY) == expected["members.csv"][0] - expected["members.csv"][1]


def test_skip_invalid_refuses_to_drop_more_than_max_skip_of_a_table(study, long_mapping, clean, driver, settings,
                                                                     tmp_path):
    folder = tmp_path / "bad"
    rejected_pid, _, _ = _break_one_participant_and_two_members(study, long_mapping, folder)
    # by hand from the file: the resource links dropped are the rejected participant's rows
    # (the two broken members have none)
    frame = pd.read_csv(folder / "resource_links.csv", dtype=str, keep_default_na=False)
    links = int((frame["pid"] == rejected_pid).sum()), len(frame)
    assert links[0] / links[1] > 0.05
    before = snapshot(driver, settings.database)
    refused = run_illnet(settings, tmp_path / "home", "load", str(folder / "mapping.yaml"), "--skip-invalid")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "nothing was written" in refused.stderr
    assert f"resource_links: {links[0]} of {links[1]} rows dropped ({links[0] / links[1]:.1%})" in refused.stdout
    assert snapshot(driver, settings.database) == before
    forced = run_illnet(settings, tmp_path / "home", "load", str(folder / "mapping.yaml"), "--skip-invalid",
                        "--max-skip", "1")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "skipped participants.csv:7: column 'country' value 'XX'" in forced.stdout
    assert count(driver, settings, "MATCH (p:Participant {studyId: $study}) RETURN count(p)",
                 study=STUDY) == len(study["participants"]) - 1


def test_strict_load_turns_warnings_into_problems_and_writes_nothing(clean, driver, settings, tmp_path):
    mapping = shutil.copy(FIXTURES / "long" / "mapping.yaml", tmp_path / "mapping.yaml")
    for name in ("participants", "members", "member_ties", "resources", "participation", "resource_links"):
        shutil.copy(FIXTURES / "long" / f"{name}.csv", tmp_path / f"{name}.csv")
    (tmp_path / "resources.csv").write_text("rid,type,name\nR1,gp_practice,Hill\nr1,pharmacy,Boots\n")
    before = snapshot(driver, settings.database)
    strict = run_illnet(settings, tmp_path / "home", "load", str(mapping), "--strict")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "x resources.csv:3: column 'rid' value 'r1': resource id differs from 'R1' (row 2) only by case" \
        in strict.stdout
    assert snapshot(driver, settings.database) == before
    lenient = run_illnet(settings, tmp_path / "home", "load", str(mapping))
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    assert "warning: resources.csv:3: column 'rid' value 'r1'" in lenient.stdout
    assert count(driver, settings, "MATCH (r:Resource {studyId: 'tiny'}) RETURN count(r)") == 2


def test_loading_the_same_files_again_changes_nothing(long_mapping, clean, driver, settings):
    first = load(driver, settings, long_mapping)
    before = snapshot(driver, settings.database)
    again = load(driver, settings, long_mapping)
    assert not first.skipped and again.skipped and again.run_id == first.run_id
    assert snapshot(driver, settings.database) == before
    assert count(driver, settings, "MATCH (r:LoadRun) RETURN count(r)") == 1


def _wave(study: StudyTables, wave: int) -> StudyTables:
    """The part of a study collected in one wave: every participant and resource, the
    members named in that wave, and that wave's rows of the per-wave tables."""
    part = StudyTables(study.study_id, study.name, study.design)
    for table in ("participants", "conditions", "resources"):
        part[table] = study[table]
    for table in WAVE_TABLES:
        part[table] = study[table][study[table]["wave"] == wave].reset_index(drop=True)
    named = part["ties"][["participant_id", "member_id"]]
    part["members"] = study["members"].merge(named, on=["participant_id", "member_id"])
    return part


def test_follow_up_wave_marks_ties_retained_lost_or_new(study, clean, driver, settings, tmp_path):
    load(driver, settings, write_study(_wave(study, 0), tmp_path / "wave0"))
    statuses = records(driver, settings, "MATCH (:Participant {studyId: $study})-[r:HAS_MEMBER]->() "
                      "RETURN DISTINCT r.status AS status, r.nextWaveStatus AS next", study=STUDY)
    assert statuses == [{"status": "baseline", "next": None}]

    load(driver, settings, write_study(_wave(study, 1), tmp_path / "wave1"))
    ties = study["ties"]
    baseline = set(ties.loc[ties["wave"] == 0, ["participant_id", "member_id"]].itertuples(index=False, name=None))
    follow_up = set(ties.loc[ties["wave"] == 1, ["participant_id", "member_id"]].itertuples(index=False, name=None))
    expected = {(pid, mid, 0): ("baseline", "retained" if (pid, mid) in follow_up else "lost")
                for pid, mid in baseline}
    expected |= {(pid, mid, 1): ("retained" if (pid, mid) in baseline else "new", None) for pid, mid in follow_up}
    graph = records(driver, settings, "MATCH (p:Participant {studyId: $study})-[r:HAS_MEMBER]->(m) "
                   "RETURN p.participantId AS pid, m.memberId AS mid, r.wave AS wave, r.status AS status, "
                   "r.nextWaveStatus AS next", study=STUDY)
    found = {(r["pid"], r["mid"], r["wave"]): (r["status"], r["next"]) for r in graph}
    assert found == expected
    assert set(expected.values()) >= {("baseline", "retained"), ("baseline", "lost"), ("retained", None),
                                      ("new", None)}
    assert count(driver, settings, "MATCH (s:Study {key: $study}) RETURN s.waves = [0, 1]", study=STUDY)


@pytest.fixture(scope="module")
def big_mapping(tmp_path_factory) -> tuple[Path, int]:
    """A study whose load takes several seconds, and its number of members."""
    big = generate(200, seed=3, study_id="big")
    return write_study(big, tmp_path_factory.mktemp("big")), len(big["members"])


def test_a_killed_load_resumes_to_the_same_graph_as_an_uninterrupted_one(big_mapping, clean, driver, settings,
                                                                          tmp_path):
    mapping, members = big_mapping
    members_written = "MATCH (m:NetworkMember {studyId: 'big'}) RETURN count(m)"
    # Small batches, so that the member nodes are written in many transactions.
    loader = subprocess.Popen(illnet_command("load", str(mapping), "--batch-size", "25"),
                              env=illnet_env(settings, tmp_path), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        while loader.poll() is None and not 0 < count(driver, settings, members_written) < members:
            time.sleep(0.02)
        interrupted = loader.poll() is None
    finally:
        loader.kill()  # SIGKILL: no clean-up code of the loader runs
        loader.wait()
    assert interrupted, "the load ended before it could be interrupted"
    assert 0 < count(driver, settings, members_written) < members
    assert count(driver, settings, "MATCH (r:LoadRun {studyId: 'big'}) RETURN r.status = 'running'")

    resumed_report = load(driver, settings, mapping)
    assert not resumed_report.skipped
    assert count(driver, settings, "MATCH (r:LoadRun {studyId: 'big'}) RETURN collect(r.status)") == ["completed"]
    resumed = snapshot(driver, settings.database, ignore=RUN_TIMING)
    remove_loaded_data(driver, settings.database)
    load(driver, settings, mapping)
    uninterrupted = snapshot(driver, settings.database, ignore=RUN_TIMING)
    assert resumed["labels"]["NetworkMember"] == members
    assert resumed == uninterrupted


def test_batches_sent_at_the_same_time_write_the_same_graph_as_one_at_a_time(big_mapping, clean, driver,
                                                                              settings):
    mapping, members = big_mapping
    load(driver, settings, mapping, batch_size=40, workers=1)
    one_at_a_time = snapshot(driver, settings.database, ignore=RUN_TIMING)
    remove_loaded_data(driver, settings.database)
    load(driver, settings, mapping, batch_size=40, workers=4)
    assert snapshot(driver, settings.database, ignore=RUN_TIMING) == one_at_a_time
    assert one_at_a_time["labels"]["NetworkMember"] == members


def test_a_load_that_meets_another_writing_the_same_study_stops_cleanly_and_resumes(study, long_mapping, clean,
                                                                                    driver, settings):
    # Another load has created a participant of the study but not yet its Study node.
    first = study["participants"]["participant_id"].iloc[0]
    driver.execute_query("CREATE (:Participant {key: $key, studyId: $study})", key=f"{STUDY}|{first}", study=STUDY,
                         database_=settings.database)
    with pytest.raises(IllnetError, match="another load is writing it at the same time"):
        load(driver, settings, long_mapping)
    resumed = load(driver, settings, long_mapping)
    assert resumed.written["Participant"] == len(study["participants"])
    assert count(driver, settings, "MATCH (p:Participant {studyId: $study}) RETURN count(p)",
                 study=STUDY) == len(study["participants"])
    assert count(driver, settings, "MATCH (r:LoadRun {studyId: $study}) RETURN collect(r.status)",
                 study=STUDY) == ["completed"]


def test_skip_invalid_with_a_broken_mapping_is_one_clean_error(settings, tmp_path):
    """A mapping that cannot be used has no valid rows to keep: --skip-invalid must not crash on it."""
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("study: {id: broken}\nlayout: long\nfiles: {participants: {path: missing.csv, spaceship: 1}}\n")
    result = run_illnet(settings, tmp_path / "home", "load", str(mapping), "--skip-invalid")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "AttributeError" not in result.stderr
    assert "cannot be used; nothing was written" in result.stderr


def _tie_class_labels(driver, settings) -> dict[str, tuple[str, list[str]]]:
    """memberId -> (tieClass, the member's labels besides NetworkMember), for participant 0's members."""
    found = records(driver, settings, "MATCH (m:NetworkMember {studyId: $study}) "
                    "RETURN m.key AS key, m.tieClass AS class, [l IN labels(m) WHERE l <> 'NetworkMember'] AS extra",
                    study=STUDY)
    return {r["key"]: (r["class"], sorted(r["extra"])) for r in found}


def test_members_carry_the_label_of_their_tie_class_and_lose_it_when_the_class_changes(
        study, long_mapping, clean, driver, settings, tmp_path):
    label_of = {"strong": ["StrongTie"], "weak": ["WeakTie"], "professional": ["ProfessionalTie"],
                "non_human": ["NonHumanTie"]}
    load(driver, settings, long_mapping)  # a new study: written with CREATE
    labelled = _tie_class_labels(driver, settings)
    assert len(labelled) == len(study["members"])
    assert all(extra == label_of[tie_class] for tie_class, extra in labelled.values())

    changed = StudyTables(study.study_id, study.name, study.design, dict(study.tables))
    members = study["members"].copy()
    partner = members.index[members["tie_class"] == "strong"][0]
    members.loc[partner, ["relationship_type", "tie_class", "kind"]] = ["neighbour", "weak", "person"]
    changed["members"] = members
    load(driver, settings, write_study(changed, tmp_path / "changed"))  # the study is there: MERGE
    relabelled = _tie_class_labels(driver, settings)
    key = f"{STUDY}|{members.loc[partner, 'participant_id']}|{members.loc[partner, 'member_id']}"
    assert relabelled[key] == ("weak", ["WeakTie"])
    assert {k: v for k, v in relabelled.items() if k != key} == {k: v for k, v in labelled.items() if k != key}
