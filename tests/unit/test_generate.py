"""The calibrated generator: determinism, the published figures, structure, bundled files.

Expected values are the published figures (domain.md) or rules stated there; every
measure is computed here with plain pandas/networkx from the tables, not by the generator.
"""

import filecmp
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

from illnet import model
from illnet.errors import InputError
from illnet.synth.generate import EXAMPLES, build_examples, generate
from illnet.cli.generate import generate as generate_command
from illnet.synth.files import write_study

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
WEAK = {"neighbour", "colleague", "acquaintance", "group", "organisation"}
CLOSE_FAMILY = {"partner", "child", "parent", "sibling", "grandchild", "other_family"}
PROFESSIONAL = {"gp", "practice_nurse", "other_health_professional", "social_care"}
NON_HUMAN = {"pet", "other_non_human"}
COMMUNITY = {"community_group", "faith_group", "voluntary_organisation"}


@pytest.fixture(scope="module")
def nwe():
    return generate(**EXAMPLES["nwe"])


@pytest.fixture(scope="module")
def euwise():
    return generate(**EXAMPLES["euwise"])


@pytest.fixture(scope="module")
def small():
    return generate(60, 7, waves=2, member_ties=True, resources=True, study_id="small")


def _group(relationship: str) -> str:
    if relationship in CLOSE_FAMILY:
        return "close_family"
    if relationship in WEAK:
        return "weak"
    if relationship in PROFESSIONAL:
        return "professional"
    return "non_human" if relationship in NON_HUMAN else "friend"


def _member_waves(study) -> pd.DataFrame:
    """One row per member x wave with the number of tasks the member does (to_participant)."""
    given = study["support"][study["support"]["direction"] == "to_participant"]
    rows = study["ties"].merge(study["members"], on=["participant_id", "member_id"])
    for column, flows in (("tasks", given), ("illness", given[given["work_type"] == "illness"])):
        counts = flows.groupby(["participant_id", "member_id", "wave"]).size().rename(column).reset_index()
        rows = rows.merge(counts, how="left").fillna({column: 0})
    return rows.assign(group=rows["relationship_type"].map(_group))


def test_same_seed_gives_the_same_tables_and_another_seed_differs(small):
    again = generate(60, 7, waves=2, member_ties=True, resources=True, study_id="small")
    for table, frame in small.tables.items():
        pd.testing.assert_frame_equal(frame, again[table], obj=table)
    other = generate(60, 8, waves=2, member_ties=True, resources=True, study_id="small")
    assert not small["members"].equals(other["members"])


def test_every_table_is_filled_and_synthetic(small):
    assert all(len(frame) for frame in small.tables.values())
    for table in ("participants", "members", "resources"):
        assert small[table]["synthetic"].all()


def _baseline(study) -> pd.DataFrame:
    """The members named at wave 0 (the published figures describe the baseline survey)."""
    return study["ties"][study["ties"]["wave"] == 0].merge(study["members"], on=["participant_id", "member_id"])


def test_members_total_is_exact_at_baseline(nwe):
    assert len(_baseline(nwe)) == 2544
    assert len(nwe["participants"]) == 300
    assert len(_baseline(generate(50, 3, members_total=421))) == 421
    assert len(_baseline(generate(50, 3, members_total=421, waves=3))) == 421


def test_published_composition_of_north_west_england_at_baseline(nwe):
    members, people = _baseline(nwe), nwe["participants"]
    weak = members["relationship_type"].isin(WEAK).mean() * 100
    gp_nurse = members["relationship_type"].isin({"gp", "practice_nurse"}).mean() * 100
    pet_owners = members.loc[members["relationship_type"] == "pet", "participant_id"].nunique() / len(people) * 100
    # quotas, so as close as whole members allow: 410 / 2544, 394 / 2544, 57 / 300
    assert weak == pytest.approx(16.1, abs=0.05)
    assert gp_nurse == pytest.approx(15.5, abs=0.05)
    assert pet_owners == pytest.approx(19, abs=0.5)


def test_the_follow_up_wave_is_the_baseline_kept_plus_new_members(nwe):
    ties = nwe["ties"]
    key = ["participant_id", "member_id"]
    baseline = ties[ties["wave"] == 0][key]
    follow_up = ties[ties["wave"] == 1][key].merge(baseline, how="left", indicator=True)
    kept, new = (follow_up["_merge"] == "both").sum(), (follow_up["_merge"] == "left_only").sum()
    assert 0.75 * 2544 < kept < 2544  # retention 80-90% by tie class
    assert new == round(0.06 * 2544)  # new_member_share of the baseline members
    assert len(nwe["members"]) == 2544 + new  # every member is named at baseline or is new at follow-up


def test_partners_and_close_family_do_the_most_work_per_member(nwe):
    mean_work = _member_waves(nwe).groupby("group")["tasks"].mean()
    others = mean_work.drop("close_family")
    assert mean_work["close_family"] > others.max(), mean_work


def test_members_of_participants_without_partner_do_more_illness_work(nwe):
    rows = _member_waves(nwe).merge(nwe["participants"][["participant_id", "has_partner"]], on="participant_id")
    rows = rows[(rows["relationship_type"] != "partner") & ~rows["group"].isin(["professional", "non_human"])]
    illness = rows.groupby("has_partner")["illness"].mean()
    assert illness[False] > illness[True] * 1.2, illness


def test_weak_ties_do_similar_kinds_of_work_but_less(nwe):
    rows = _member_waves(nwe)
    strong = rows[rows["group"].isin(["close_family", "friend"])]
    weak = rows[rows["group"] == "weak"]
    assert weak["tasks"].mean() < strong["tasks"].mean()
    given = nwe["support"][nwe["support"]["direction"] == "to_participant"].merge(nwe["members"])
    shares = given[given["relationship_type"].isin(WEAK)]["work_type"].value_counts(normalize=True)
    assert set(shares.index) == {"illness", "everyday", "emotional"} and shares.min() > 0.15, shares


def test_work_profiles_of_professionals_and_pets(nwe):
    given = nwe["support"][nwe["support"]["direction"] == "to_participant"].merge(nwe["members"])
    professional = given[given["relationship_type"].isin(PROFESSIONAL)]["work_type"].value_counts(normalize=True)
    assert professional["illness"] > 0.6 and professional["everyday"] < 0.15
    assert professional["illness"] > professional["emotional"]
    pets = given[given["relationship_type"] == "pet"]["work_type"].value_counts(normalize=True)
    assert pets["emotional"] > 0.6 and pets["everyday"] > 0.1 and "illness" not in pets


def test_weak_ties_are_lost_less_often_than_strong_ties(nwe):
    ties, members = nwe["ties"], nwe["members"]
    key = ["participant_id", "member_id"]
    baseline = ties[ties["wave"] == 0][key].merge(members)
    follow_up = ties[ties["wave"] == 1][key].assign(kept=True)
    kept = baseline.merge(follow_up, how="left").fillna({"kept": False})
    retention = kept.groupby(kept["relationship_type"].map(_group))["kept"].mean()
    strong = kept[kept["relationship_type"].map(_group).isin(["close_family", "friend"])]["kept"].mean()
    assert retention["weak"] > strong + 0.03, retention
    assert 0.5 < strong < 1
    new = follow_up.merge(baseline[key], how="left", indicator=True)
    assert (new["_merge"] == "left_only").sum() > 0


def test_circles_follow_tie_strength(nwe):
    rows = _member_waves(nwe)
    circles = pd.crosstab(rows["group"], rows["circle"], normalize="index")
    assert circles.loc["close_family", "inner"] > 0.5
    assert circles.loc["weak", ["middle", "outer"]].sum() > 0.8
    pets = rows[rows["relationship_type"] == "pet"]["circle"].value_counts(normalize=True)
    assert pets[["inner", "unplaced"]].sum() > 0.7
    partners = rows[rows["relationship_type"] == "partner"]
    assert (partners["distance_band"].dropna() == "same_household").all()


def test_participants_help_some_strong_ties_back(nwe):
    back = nwe["support"][nwe["support"]["direction"] == "to_member"].merge(nwe["members"])
    helped = back.groupby("relationship_type")["member_id"].nunique()
    groups = set(back["relationship_type"].map(_group))
    assert groups <= {"close_family", "friend", "weak"} and "close_family" in groups
    assert helped.get("partner", 0) > 0


def test_member_ties_stay_within_a_network_and_never_involve_non_humans(nwe):
    ties, members = nwe["member_ties"], nwe["members"]
    assert (ties["member_a"] < ties["member_b"]).all()
    for side in ("member_a", "member_b"):
        ends = ties.merge(members, left_on=["participant_id", side], right_on=["participant_id", "member_id"])
        assert len(ends) == len(ties)  # both ends are members of the same participant
        assert not ends["relationship_type"].isin(NON_HUMAN).any()
        present = ends.merge(nwe["ties"], on=["participant_id", "member_id", "wave"])
        assert len(present) == len(ties)  # stored only in waves where both were named


def test_member_ties_make_bridges_and_articulation_points(nwe):
    baseline = nwe["member_ties"][nwe["member_ties"]["wave"] == 0]
    cut_points = bridges = 0
    for _, edges in baseline.groupby("participant_id"):
        graph = nx.from_pandas_edgelist(edges, "member_a", "member_b")
        cut_points += len(list(nx.articulation_points(graph)))
        bridges += len(list(nx.bridges(graph)))
    assert cut_points > 30 and bridges > 30
    kinds = baseline.merge(nwe["members"], left_on=["participant_id", "member_a"],
                           right_on=["participant_id", "member_id"])
    family_pairs = kinds.merge(nwe["members"], left_on=["participant_id", "member_b"],
                               right_on=["participant_id", "member_id"], suffixes=("_a", "_b"))
    both_family = family_pairs[family_pairs["relationship_type_a"].isin(CLOSE_FAMILY)
                               & family_pairs["relationship_type_b"].isin(CLOSE_FAMILY)]
    both_weak = family_pairs[family_pairs["relationship_type_a"].isin(WEAK)
                             & family_pairs["relationship_type_b"].isin(WEAK)]
    assert len(both_family) > 5 * len(both_weak)


def test_every_participant_has_one_gp_practice_that_their_gps_link_to(nwe):
    resources = nwe["resources"]
    assert (resources["resource_type"] == "gp_practice").sum() == 19
    practice_of = (nwe["participation"].merge(resources, on=["study_id", "resource_id"])
                   .query("resource_type == 'gp_practice'"))
    per_wave = practice_of.groupby(["participant_id", "wave"]).size()
    assert len(per_wave) == 300 * 2 and (per_wave == 1).all()
    links = nwe["resource_links"].merge(nwe["members"], on=["participant_id", "member_id"])
    gp_links = links[links["relationship_type"].isin({"gp", "practice_nurse"})].merge(
        practice_of[["participant_id", "wave", "resource_id"]], on=["participant_id", "wave"], suffixes=("", "_own"))
    assert len(gp_links) > 0 and (gp_links["resource_id"] == gp_links["resource_id_own"]).all()
    groups = nwe["members"][nwe["members"]["relationship_type"].isin({"group", "organisation"})]
    assert groups.merge(links[["participant_id", "member_id"]]).drop_duplicates().shape[0] == len(groups)
    shared = nwe["participation"].groupby("resource_id")["participant_id"].nunique()
    assert (shared > 5).sum() > 19  # shared across personal communities


def test_euwise_median_network_size_and_community_participation(euwise):
    people = euwise["participants"]
    size = euwise["members"].groupby("participant_id").size().reindex(people["participant_id"], fill_value=0)
    assert size.median() == 3
    baseline = euwise["participation"][euwise["participation"]["wave"] == 0].merge(euwise["resources"])
    community = baseline[baseline["resource_type"].isin(COMMUNITY)]["participant_id"].nunique()
    assert community / len(people) * 100 == pytest.approx(34.6, abs=2)
    assert set(euwise["conditions"]["condition"]) == {"diabetes_type2"}
    cells = people.groupby(["country", "area_type"]).size()
    assert len(cells) == 18 and (cells == 100).all()


def test_euwise_countries_differ_and_all_five_network_types_appear(euwise):
    members = euwise["members"].merge(euwise["participants"][["participant_id", "country"]])
    members["group"] = members["relationship_type"].map(_group)
    family = members[members["group"] == "close_family"].groupby("country").size() / 300
    assert min(family[["ES", "BG", "GR"]]) > max(family[["GB", "NL", "NO"]])
    profile = pd.crosstab(members["participant_id"], members["group"])
    size = profile.sum(axis=1)
    share = profile.div(size, axis=0)
    kinds = {
        "restricted": size <= 2,
        "minimal family": (size.between(2, 3)) & (share["close_family"] >= 0.6),
        "family": (size >= 4) & (share["close_family"] >= 0.6),
        "weak ties": share["weak"] >= 0.5,
        "diverse": (size >= 5) & (profile.gt(0).sum(axis=1) >= 3),
    }
    for kind, mask in kinds.items():
        assert mask.mean() > 0.03, kind


def _count_files(folder: Path) -> dict[str, int]:
    """Members, tie rows and support rows counted from the written files."""
    if (folder / "members.csv").exists():
        rows = pd.read_csv(folder / "members.csv", dtype=str)
        flags = rows.filter(regex=r"^(help|gives)_").astype(int)
        return {"members": len(rows[["pid", "mid"]].drop_duplicates()), "ties": len(rows),
                "support": int(flags.to_numpy().sum())}
    survey = pd.read_csv(folder / "survey.csv", dtype=str, keep_default_na=False)
    ids = survey.filter(regex=r"^m\d+_id$")
    slots = [column.removesuffix("_id") for column in ids.columns]
    named = [(row["id"], row[f"{s}_id"]) for _, row in survey.iterrows() for s in slots if row[f"{s}_id"]]
    task_columns = [c for c in survey.columns if c.split("_", 1)[0] in slots
                    and c.split("_", 1)[1] not in {"id", "rel", "reltxt", "circle", "contact", "travel"}]
    support = sum(int(v) for v in survey[task_columns].to_numpy().ravel() if v)
    return {"members": len(set(named)), "ties": len(named), "support": support}


def test_long_and_wide_files_carry_the_same_rows(small, tmp_path):
    write_study(small, tmp_path / "long")
    write_study(small, tmp_path / "wide", layout="wide")
    expected = {"members": len(small["members"]), "ties": len(small["ties"]), "support": len(small["support"])}
    assert _count_files(tmp_path / "long") == expected
    assert _count_files(tmp_path / "wide") == expected
    for name in ("member_ties.csv", "resources.csv", "participation.csv", "resource_links.csv"):
        assert filecmp.cmp(tmp_path / "long" / name, tmp_path / "wide" / name, shallow=False)


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_written_files_read_back_to_the_same_tables(small, tmp_path, layout):
    from illnet.load.read import read_study

    result = read_study(write_study(small, tmp_path, layout=layout))
    assert result.ok, result.problems[:5]
    for table, frame in small.tables.items():
        canonical = [c for c in frame.columns if c not in ("source_file", "source_row")]
        keys = [name for name, spec in model.load("tables")[table]["fields"].items() if spec.get("key")]
        back = result.tables[table][canonical].sort_values(keys).reset_index(drop=True)
        mine = frame[canonical].sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(mine.astype(str), back.astype(str), obj=table)


def test_bundled_examples_equal_a_fresh_regeneration(tmp_path):
    build_examples(tmp_path)
    for study in EXAMPLES:
        fresh = sorted(p.name for p in (tmp_path / study).iterdir())
        assert fresh == sorted(p.name for p in (EXAMPLES_DIR / study).iterdir())
        _, mismatch, errors = filecmp.cmpfiles(tmp_path / study, EXAMPLES_DIR / study, fresh, shallow=False)
        assert not mismatch and not errors, f"{study}: {mismatch or errors} differ; regenerate (examples/README.md)"


def test_bad_arguments_are_reported():
    with pytest.raises(InputError, match="XX"):
        generate(10, 1, countries=("XX",))
    with pytest.raises(InputError, match="members_total"):
        generate(10, 1, members_total=5000)
    with pytest.raises(InputError, match="no_such_parameter"):
        generate(10, 1, no_such_parameter=1)


def test_generate_command_writes_a_study(tmp_path):
    result = CliRunner().invoke(generate_command, [
        "--participants", "12", "--seed", "3", "--out", str(tmp_path), "--waves", "2",
        "--member-ties", "--resources", "--layout", "wide", "--study-id", "cli"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mapping.yaml").exists() and (tmp_path / "survey.csv").exists()
    assert "members" in result.output
    bad = CliRunner().invoke(generate_command, ["--participants", "5", "--seed", "1", "--out", str(tmp_path),
                                                "--countries", "GB,XX"])
    assert bad.exit_code != 0 and "XX" in bad.output


def test_streamed_files_equal_the_study_in_memory_over_several_chunks(tmp_path, monkeypatch):
    from illnet.synth import generate as generator

    monkeypatch.setattr(generator, "CHUNK", 7)  # 30 participants in 5 chunks
    arguments = dict(waves=2, member_ties=True, resources=True, members_total=250, study_id="chunks")
    study = generate(30, 5, **arguments)
    write_study(study, tmp_path / "memory")
    _, counts = generator.stream_study(30, 5, tmp_path / "stream", **arguments)
    names = sorted(p.name for p in (tmp_path / "memory").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "stream").iterdir())
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "memory", tmp_path / "stream", names, shallow=False)
    assert not mismatch and not errors
    assert counts == study.counts()
    baseline = _baseline(study)  # quotas split over the chunks stay exact for the study
    assert len(baseline) == 250
    assert baseline["relationship_type"].isin(WEAK).sum() == round(0.161 * 250)
    assert baseline["relationship_type"].isin({"gp", "practice_nurse"}).sum() == round(0.155 * 250)
    assert study["participants"]["participant_id"].is_monotonic_increasing


def test_participant_ids_keep_number_order_as_text():
    from illnet.synth.people import participant_ids

    assert list(participant_ids(3)) == ["P0001", "P0002", "P0003"]
    ids = participant_ids(12_000)
    assert ids[0] == "P00001" and ids[-1] == "P12000" and list(ids) == sorted(ids)
