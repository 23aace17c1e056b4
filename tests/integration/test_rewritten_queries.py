"""The canned queries rewritten for speed (they read the per-member work that illnet.load.derived
writes at load, or compute per-network measures from lists), checked on a small generated study
loaded by the real loader against pandas and networkx computations from the raw graph: support
flows (PROVIDES), members (HAS_MEMBER), member ties (KNOWS) and resources pulled with plain Cypher,
never the derived properties nor the queries' own output."""

import math
import warnings

import pandas as pd
import pytest

from illnet.cli.output import records
from illnet.db import erase_all
from illnet.errors import NoteWarning, ServerWarning
from illnet.load.pipeline import load_study
from illnet.queries import run
from illnet.synth.generate import stream_study
from tests.golden import bridges_by_networkx, bridges_of

pytestmark = pytest.mark.neo4j

STUDY = "synthetic"
WORK_TYPES = ["emotional", "everyday", "illness"]
FAMILY = {"partner", "child", "parent", "sibling", "grandchild", "other_family"}
COMMUNITY = {"community_group", "faith_group", "voluntary_organisation", "leisure_centre"}


@pytest.fixture(scope="module")
def raw(driver, settings, tmp_path_factory):
    """Load a generated study (two waves, member ties, resources); return its raw tables."""
    erase_all(driver, settings.database)
    mapping, _ = stream_study(60, 5, tmp_path_factory.mktemp("study"), waves=2, member_ties=True, resources=True)
    load_study(driver, mapping, database=settings.database, progress=False)

    def frame(statement):
        found, _, keys = driver.execute_query(statement, database_=settings.database)
        return pd.DataFrame([r.values() for r in found], columns=keys)

    return {
        "participants": frame("MATCH (p:Participant) RETURN p.participantId AS p, p.country AS country, "
                              "p.areaType AS areaType, p.hasPartner AS hasPartner"),
        "members": frame("MATCH (p:Participant)-[h:HAS_MEMBER]->(m) RETURN p.participantId AS p, h.wave AS wave, "
                         "m.memberId AS m, m.relationshipType AS relationshipType, m.tieClass AS tieClass, h.circle AS circle"),
        "given": frame("MATCH (m:NetworkMember)-[w:PROVIDES]->(p:Participant) RETURN p.participantId AS p, "
                       "w.wave AS wave, m.memberId AS m, w.task AS task, w.workType AS workType"),
        "received": frame("MATCH (p:Participant)-[w:PROVIDES]->(m:NetworkMember) RETURN p.participantId AS p, "
                          "w.wave AS wave, m.memberId AS m"),
        "ties": frame("MATCH (a:NetworkMember)-[k:KNOWS]->(b) RETURN a.participantId AS p, k.wave AS wave, "
                      "a.memberId AS a, b.memberId AS b"),
        "links": frame("MATCH (m:NetworkMember)-[l:LINKS_TO]->(r:Resource) RETURN m.participantId AS p, "
                       "l.wave AS wave, m.memberId AS m, r.resourceId AS r"),
        "joins": frame("MATCH (p:Participant)-[j:PARTICIPATES_IN]->(r:Resource) RETURN p.participantId AS p, "
                       "j.wave AS wave, r.resourceId AS r, r.resourceType AS resourceType"),
    }


def answer(driver, settings, name, **params) -> list[dict]:
    with warnings.catch_warnings():
        for category in (NoteWarning, ServerWarning):  # no note, no server warning
            warnings.simplefilter("error", category)
        return records(run(name, driver=driver, settings=settings, study=STUDY, **params))


def same(got, want) -> bool:
    """Equal, floats within 1e-9 (rows as dicts, lists compared item by item)."""
    if isinstance(want, dict):
        return isinstance(got, dict) and got.keys() == want.keys() and all(same(got[k], want[k]) for k in want)
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(map(same, got, want))
    if want is None or got is None:
        return got is None and want is None
    if isinstance(want, float) or isinstance(got, float):
        return math.isclose(got, want, abs_tol=1e-9)
    return got == want


def check(got: list[dict], want: list[dict]) -> None:
    assert len(got) == len(want) > 0, (len(got), len(want))
    for row, expected in zip(got, want, strict=True):
        assert same(row, expected), (row, expected)


def at(table: pd.DataFrame, wave: int) -> pd.DataFrame:
    return table[table["wave"] == wave]


def flows(raw, wave=0) -> pd.DataFrame:
    """Support flows from members named at the wave, with the member's and participant's fields."""
    named = at(raw["members"], wave)
    return at(raw["given"], wave).merge(named, on=["p", "wave", "m"]).merge(raw["participants"], on="p")


def per_member(raw, wave=0) -> pd.DataFrame:
    """Members named at the wave with the number of flows they give and receive."""
    named = at(raw["members"], wave).copy()
    named["gives"] = [len(g) for g in _groups(at(raw["given"], wave), named)]
    named["receives"] = [len(g) for g in _groups(at(raw["received"], wave), named)]
    return named


def _groups(table, named):
    index = table.groupby(["p", "m"]).groups
    return [index.get((row.p, row.m), []) for row in named.itertuples()]


def test_the_study_has_what_the_queries_look_at(raw):
    assert len(raw["given"]) > 500 and len(raw["received"]) > 10 and len(raw["ties"]) > 100
    assert set(raw["members"]["wave"]) == {0, 1} and len(raw["links"]) > 10


def test_coverage_unmet_work_and_multiplex(raw, driver, settings):
    work = per_member(raw).merge(flows(raw).groupby(["p", "m"])["workType"].agg(set).rename("types").reset_index(),
                                 on=["p", "m"], how="left")
    work["types"] = work["types"].apply(lambda t: t if isinstance(t, set) else set())
    providers = {(p, t): sum(t in types for types in group["types"]) for p, group in work.groupby("p")
                 for t in WORK_TYPES}
    participants = sorted(work["p"].unique())
    expected = []
    for t in sorted(WORK_TYPES):
        counts = [providers[(p, t)] for p in participants]
        covered = sum(c > 0 for c in counts)
        expected.append({"workType": t, "participants": len(participants), "participantsCovered": covered,
                         "coverage": covered / len(participants), "meanProviders": sum(counts) / len(participants),
                         "participantsWithRedundancy": sum(c >= 2 for c in counts)})
    check(answer(driver, settings, "coverage_and_redundancy"), expected)
    unmet = [{"participantId": p, "workType": t} for p in participants for t in sorted(WORK_TYPES)
             if providers[(p, t)] == 0]
    check(answer(driver, settings, "unmet_work"), unmet)
    multiplex = [{"participantId": row.p, "memberId": row.m, "relationshipType": row.relationshipType,
                  "tieClass": row.tieClass, "workTypeCount": len(row.types), "workTypes": sorted(row.types)}
                 for row in work.sort_values(["p", "m"]).itertuples() if len(row.types) >= 2]
    check(answer(driver, settings, "multiplex_members"), multiplex)


def test_work_by_tie_class_reciprocity_and_concentration(raw, driver, settings):
    members = per_member(raw)
    expected = []
    for tie_class, group in sorted(members.groupby("tieClass")):
        expected.append({"tieClass": tie_class, "members": len(group), "membersWorking": int((group["gives"] > 0).sum()),
                         "flows": int(group["gives"].sum()), "flowsPerMember": group["gives"].sum() / len(group)})
    check(answer(driver, settings, "work_per_member_by_tie_class"), expected)
    reciprocity = []
    for tie_class, group in sorted(members.groupby("tieClass")):
        both = int(((group["gives"] > 0) & (group["receives"] > 0)).sum())
        reciprocity.append({"tieClass": tie_class, "members": len(group),
                            "membersGiving": int((group["gives"] > 0).sum()),
                            "membersReceiving": int((group["receives"] > 0).sum()), "reciprocal": both,
                            "reciprocalShare": both / len(group)})
    check(answer(driver, settings, "reciprocity_by_tie_class"), reciprocity)
    concentration = []
    for p, group in members[members["gives"] > 0].groupby("p"):
        top = group.sort_values(["gives", "m"], ascending=[False, True]).iloc[0]
        total = int(group["gives"].sum())
        if top["gives"] / total >= 0.5:
            concentration.append({"participantId": p, "topMemberId": top["m"],
                                  "topRelationship": top["relationshipType"], "topFlows": int(top["gives"]),
                                  "totalFlows": total, "topShare": top["gives"] / total})
    concentration.sort(key=lambda row: (-row["topShare"], row["participantId"]))
    check(answer(driver, settings, "work_concentration"), concentration)


def test_work_shares_comparison_and_professional_niche(raw, driver, settings):
    given = flows(raw)
    counts = given.groupby(["tieClass", "workType"]).size()
    expected = [{"grp": g, "workType": t, "flows": int(n), "shareOfWorkType": n / counts.xs(t, level=1).sum(),
                 "shareOfGroup": n / counts[g].sum()} for (g, t), n in counts.items()]
    check(answer(driver, settings, "work_share_by_tie_class"), expected)
    by_country = given.groupby("country")["workType"]
    comparison = [{"stratum": c, "workType": t, "flows": int((types == t).sum()), "share": (types == t).sum() / len(types)}
                  for c, types in by_country for t in sorted(WORK_TYPES)]
    check(answer(driver, settings, "comparison_work"), comparison)
    members = at(raw["members"], 0)
    niche = []
    for grp, chosen in (("family", members[members["relationshipType"].isin(FAMILY)
                                           & (members["tieClass"] != "professional")]),
                        ("professional", members[members["tieClass"] == "professional"])):
        types = given.merge(chosen[["p", "m"]], on=["p", "m"])["workType"]
        niche += [{"grp": grp, "members": len(chosen), "workType": t, "flows": int((types == t).sum()),
                   "share": (types == t).sum() / len(types)} for t in sorted(WORK_TYPES)]
    check(answer(driver, settings, "professional_niche"), niche)


def test_partner_substitution_and_community_involvement(raw, driver, settings):
    members, given = per_member(raw), flows(raw)
    illness = given[given["workType"] == "illness"]
    rows = []
    for has_partner in (True, False):
        people = raw["participants"][(raw["participants"]["hasPartner"] == has_partner)
                                     & raw["participants"]["p"].isin(members["p"])]
        mine = illness[illness["p"].isin(people["p"])]
        partner = int((mine["relationshipType"] == "partner").sum())
        others = int((mine["relationshipType"].notna() & (mine["relationshipType"] != "partner")).sum())
        if len(people):
            rows.append({"hasPartner": has_partner, "participants": len(people), "fromPartner": partner,
                         "fromOthers": others, "othersPerParticipant": others / len(people),
                         "shareFromOthers": others / (partner + others) if partner + others else None})
    check(answer(driver, settings, "partner_substitution"), rows)
    joins = at(raw["joins"], 0)
    involved = set(joins[joins["resourceType"].isin(COMMUNITY)]["p"])
    people = members.groupby("p").agg(size=("m", "size"), flows=("gives", "sum")).reset_index()
    people["involved"] = people["p"].isin(involved)
    expected = [{"involved": flag, "participants": len(group), "share": len(group) / len(people),
                 "meanMembers": group["size"].mean(), "meanFlowsReceived": group["flows"].mean()}
                for flag, group in sorted(people.groupby("involved"), key=lambda item: not item[0])]
    check(answer(driver, settings, "community_involvement"), expected)


def test_functional_bridges_and_pets(raw, driver, settings):
    given, members = flows(raw), at(raw["members"], 0)
    links = at(raw["links"], 0).merge(members, on=["p", "wave", "m"])
    expected = []
    for row in members[members["tieClass"].notna() & (members["tieClass"] != "strong")].sort_values(["p", "m"]).itertuples():
        strong_tasks = set(given[(given["p"] == row.p) & (given["tieClass"] == "strong")]["task"])
        strong_resources = set(links[(links["p"] == row.p) & (links["tieClass"] == "strong")]["r"])
        tasks = sorted(set(given[(given["p"] == row.p) & (given["m"] == row.m)]["task"]) - strong_tasks)
        resources = sorted(set(links[(links["p"] == row.p) & (links["m"] == row.m)]["r"]) - strong_resources)
        if tasks or resources:
            expected.append({"participantId": row.p, "memberId": row.m, "relationshipType": row.relationshipType,
                             "tieClass": row.tieClass, "uniqueTasks": tasks, "uniqueResources": resources})
    check(answer(driver, settings, "functional_bridges"), expected)
    pets = members[members["relationshipType"] == "pet"].sort_values(["p", "m"])
    got = [(r["participantId"], r["memberId"], r["workTypes"], r["flows"]) for r in answer(driver, settings,
                                                                                              "pet_placement_and_work")]
    assert got == [(row.p, row.m, sorted(set(given[(given["p"] == row.p) & (given["m"] == row.m)]["workType"])),
                    int(((given["p"] == row.p) & (given["m"] == row.m)).sum())) for row in pets.itertuples()]


def test_navigation_reach(raw, driver, settings):
    members, links, joins = at(raw["members"], 0), at(raw["links"], 0), at(raw["joins"], 0)
    links = links.merge(members[["p", "m"]], on=["p", "m"])
    expected = []
    for p, group in sorted(members.groupby("p")):
        via, direct = set(links[links["p"] == p]["r"]), set(joins[joins["p"] == p]["r"])
        expected.append({"participantId": p,
                         "groupOrOrgMembers": int(group["relationshipType"].isin(["group", "organisation"]).sum()),
                         "membersLinking": links[links["p"] == p]["m"].nunique(), "resourcesViaMembers": len(via),
                         "resourcesDirect": len(direct), "resourcesReachable": len(via | direct),
                         "relationshipTypes": group["relationshipType"].nunique()})
    check(answer(driver, settings, "navigation_reach"), expected)


def test_work_reallocation(raw, driver, settings):
    members = raw["members"]
    both = set(at(members, 0)["p"]) & set(at(members, 1)["p"])
    given = pd.concat([flows(raw, 0), flows(raw, 1)])
    expected = []
    for (p, task, work_type), group in sorted(given[given["p"].isin(both)].groupby(["p", "task", "workType"])):
        before, after = sorted(at(group, 0)["m"]), sorted(at(group, 1)["m"])
        if before != after:
            change = "taken_up" if not before else "dropped" if not after else "reallocated"
            expected.append({"participantId": p, "task": task, "workType": work_type, "giversBefore": before,
                             "giversAfter": after, "change": change})
    check(answer(driver, settings, "work_reallocation"), expected)


def test_tie_durability(raw, driver, settings):
    members = raw["members"]
    both = set(at(members, 0)["p"]) & set(at(members, 1)["p"])
    before, after = (at(members, wave)[at(members, wave)["p"].isin(both)] for wave in (0, 1))
    named_after = set(zip(after["p"], after["m"]))
    named_before = set(zip(before["p"], before["m"]))
    changes = [(row.tieClass, row.circle, "retained" if (row.p, row.m) in named_after else "lost")
               for row in before.itertuples()]
    changes += [(row.tieClass, row.circle, "gained") for row in after.itertuples() if (row.p, row.m) not in named_before]
    table = pd.DataFrame(changes, columns=["tieClass", "circle", "change"])
    expected = []
    for (tie_class, circle), group in sorted(table.groupby(["tieClass", "circle"])):
        retained, lost = int((group["change"] == "retained").sum()), int((group["change"] == "lost").sum())
        expected.append({"tieClass": tie_class, "circle": circle, "atWave": retained + lost, "retained": retained,
                         "lost": lost, "gained": int((group["change"] == "gained").sum()),
                         "retainedShare": retained / (retained + lost) if retained + lost else None})
    check(answer(driver, settings, "tie_durability"), expected)


def test_contributor_cohesion(raw, driver, settings):
    contributors = per_member(raw)
    contributors = contributors[contributors["gives"] > 0]
    ties = at(raw["ties"], 0)
    expected = []
    for p, group in sorted(contributors.groupby("p")):
        chosen = set(group["m"])
        n = len(chosen)
        count = int(((ties["p"] == p) & ties["a"].isin(chosen) & ties["b"].isin(chosen)).sum())
        expected.append({"participantId": p, "contributors": n, "tiesAmongContributors": count,
                         "density": count / (n * (n - 1) / 2) if n > 1 else None})
    check(answer(driver, settings, "contributor_cohesion"), expected)


def test_network_size_counts_everyone_at_the_first_wave(raw, driver, settings):
    members, people = raw["members"], raw["participants"]
    sizes = members.groupby(["p", "wave"]).size()
    rows = []
    for wave in (0, 1):
        present = people if wave == 0 else people[people["p"].isin(set().union(
            *(at(raw[table], 1)["p"] for table in ("members", "given", "received", "joins"))))]
        for country, group in sorted(present.groupby("country")):
            size = pd.Series([sizes.get((p, wave), 0) for p in group["p"]])
            rows.append({"studyId": STUDY, "wave": wave, "stratum": country, "participants": len(group),
                         "meanSize": size.mean(), "medianSize": float(size.median()), "minSize": int(size.min()),
                         "maxSize": int(size.max())})
    check(answer(driver, settings, "network_size"), rows)


@pytest.mark.parametrize("wave", [0, 1])
def test_structural_bridges_agree_with_networkx(raw, driver, settings, wave):
    expected = bridges_by_networkx(at(raw["ties"], wave)[["p", "a", "b"]].itertuples(index=False))
    got = bridges_of(answer(driver, settings, "structural_bridges", wave=wave))
    assert got.keys() == expected.keys()
    for key, values in expected.items():
        assert got[key] == pytest.approx(values), key
