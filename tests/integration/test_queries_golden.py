"""Golden tests: every canned query on the tiny hand-made study (tests/fixtures/tiny_study.cypher).

Every expected answer below was worked out by hand from the fixture (see its header comment)
and is written as the arithmetic that produced it. Wave 0 unless a case says otherwise.
Queries over properties written by graph-algorithm jobs (GOLDEN_AFTER_JOBS) first run the jobs
in write mode on the tiny study; their arbitrary ids (community ids) are not compared, and
k-means cases assert only what holds for every seed.

Wave-0 facts used throughout (member: relationship/tieClass, circle, contact; tasks given):
  p1 (GB, deprived_urban, partner): m1 partner/strong inner daily: medication, housekeeping, comfort
     m2 gp/professional outer: medication, measurements     m3 neighbour/weak middle monthly: shopping
     m4 pet/non_human unplaced daily: companionship         m5 friend/strong middle monthly: wellbeing
  p2 (GB, affluent_urban, no partner): m1 child/strong inner weekly: appointments, shopping, comfort
     m2 friend/strong middle weekly: regimen, companionship  m3 practice_nurse outer: measurements, wellbeing
     m4 acquaintance/weak outer less_often: nothing
  p3 (NL, deprived_rural, partner): m1 partner/strong inner daily: medication, housekeeping, shopping
     m2 organisation/weak outer monthly: health_management
  => 11 members (strong 5, weak 3, professional 2, non_human 1); 19 flows (illness 8, everyday 5,
     emotional 6); flows per participant p1 8, p2 7, p3 4.
"""

import re
import warnings

import pytest

from illnet.errors import NoteWarning, QueryError
from illnet.cli.output import records
from illnet.queries import run
from illnet.query import canned as catalogue
from illnet.query.algorithms import run_job
from tests.ego_golden import GOLDEN as EGO_GOLDEN
from tests.golden import ANY_ID, assert_rows, bridges_by_networkx, bridges_of

pytestmark = pytest.mark.neo4j


class Note(str):
    """Expected: an empty result whose note contains this text."""


class Refused(str):
    """Expected: a QueryError whose message contains this text (the parameters do not fit the data)."""

# name -> list of (parameters, expected rows in the query's column order and row order)
GOLDEN = {
    "network_size": [
        # sizes: wave 0 p1 5, p2 4, p3 2; wave 1 p1 4 (m5 lost), p2 4 (m3 lost, m5 new), p3 2
        ({}, [("tiny", 0, "GB", 2, 4.5, 4.5, 4, 5), ("tiny", 0, "NL", 1, 2.0, 2.0, 2, 2),
              ("tiny", 1, "GB", 2, 4.0, 4.0, 4, 4), ("tiny", 1, "NL", 1, 2.0, 2.0, 2, 2)]),
        ({"wave": 0, "groupBy": "areaType"}, [("tiny", 0, "affluent_urban", 1, 4.0, 4.0, 4, 4),
                                             ("tiny", 0, "deprived_rural", 1, 2.0, 2.0, 2, 2),
                                             ("tiny", 0, "deprived_urban", 1, 5.0, 5.0, 5, 5)]),
        ({"study": "another"}, Refused("there is no study 'another'")),
    ],
    "composition_by_tie_class": [
        ({}, [("strong", 5, 5 / 11), ("weak", 3, 3 / 11), ("professional", 2, 2 / 11), ("non_human", 1, 1 / 11)]),
        # circle: people in inner/middle (p1 m1 m3 m5, p2 m1 m2, p3 m1) strong, outer (p2m4, p3m2) weak
        ({"tieDefinition": "circle"}, [("strong", 6, 6 / 11), ("professional", 2, 2 / 11), ("weak", 2, 2 / 11),
                                       ("non_human", 1, 1 / 11)]),
        # contact: daily/weekly people p1m1, p2m1, p2m2, p3m1 strong; p1m3, p1m5, p2m4, p3m2 weak
        ({"tieDefinition": "contact"}, [("strong", 4, 4 / 11), ("weak", 4, 4 / 11), ("professional", 2, 2 / 11),
                                        ("non_human", 1, 1 / 11)]),
    ],
    "composition_by_relationship": [
        ({}, [("non_human", "pet", 1, 1 / 11), ("professional", "gp", 1, 1 / 11),
              ("professional", "practice_nurse", 1, 1 / 11), ("strong", "friend", 2, 2 / 11),
              ("strong", "partner", 2, 2 / 11), ("strong", "child", 1, 1 / 11),
              ("weak", "acquaintance", 1, 1 / 11), ("weak", "neighbour", 1, 1 / 11),
              ("weak", "organisation", 1, 1 / 11)]),
    ],
    "circle_profile": [
        # inner: 3 partners/child; middle: p1m5, p2m2 strong + p1m3 weak; outer: gp, nurse, p2m4, p3m2; pet unplaced
        ({}, [("inner", "strong", 3, 1.0), ("middle", "strong", 2, 2 / 3), ("middle", "weak", 1, 1 / 3),
              ("outer", "professional", 2, 0.5), ("outer", "weak", 2, 0.5), ("unplaced", "non_human", 1, 1.0)]),
    ],
    "pet_ownership": [
        ({}, [(3, 1, 1 / 3)]),  # only p1 names a pet
    ],
    "pet_placement_and_work": [
        ({}, [("p1", "m4", "dog", "unplaced", "daily", ["emotional"], 1)]),  # companionship only
    ],
    "network_type_profiles": [
        # p1: size 5, family 1/5, weak 1/5 -> diverse; p2: size 4, family 1/4, weak 1/4 -> diverse;
        # p3: size 2 <= 2 -> restricted
        ({}, [("all", "diverse", 2, 2 / 3, 4.5), ("all", "restricted", 1, 1 / 3, 2.0)]),
        ({"groupBy": "country"}, [("GB", "diverse", 2, 1.0, 4.5), ("NL", "restricted", 1, 1.0, 2.0)]),
        # familyMinShare 0.2: p1 (0.2, size 5 > 4) family, p2 (0.25, size 4) minimal_family
        ({"familyMinShare": 0.2, "weakTieMinShare": 0.9},
         [("all", "family", 1, 1 / 3, 5.0), ("all", "minimal_family", 1, 1 / 3, 4.0),
          ("all", "restricted", 1, 1 / 3, 2.0)]),
        # weakTieMinShare 0.25: p2 (weak 1/4) weak_ties; p1 (weak 1/5) stays diverse
        ({"weakTieMinShare": 0.25, "groupBy": "areaType"},
         [("affluent_urban", "weak_ties", 1, 1.0, 4.0), ("deprived_rural", "restricted", 1, 1.0, 2.0),
          ("deprived_urban", "diverse", 1, 1.0, 5.0)]),
    ],
    "work_share_by_tie_class": [
        # strong: p1m1 (I,E,M), p1m5 (M), p2m1 (I,E,M), p2m2 (I,M), p3m1 (I,E,E) -> I4 E4 M4 = 12
        # weak: p1m3 E, p3m2 I; professional: p1m2 I,I, p2m3 I,M; pet: M
        ({}, [("non_human", "emotional", 1, 1 / 6, 1.0), ("professional", "emotional", 1, 1 / 6, 1 / 4),
              ("professional", "illness", 3, 3 / 8, 3 / 4), ("strong", "emotional", 4, 4 / 6, 4 / 12),
              ("strong", "everyday", 4, 4 / 5, 4 / 12), ("strong", "illness", 4, 4 / 8, 4 / 12),
              ("weak", "everyday", 1, 1 / 5, 1 / 2), ("weak", "illness", 1, 1 / 8, 1 / 2)]),
        ({"by": "relationshipType"},
         [("child", "emotional", 1, 1 / 6, 1 / 3), ("child", "everyday", 1, 1 / 5, 1 / 3),
          ("child", "illness", 1, 1 / 8, 1 / 3),
          ("friend", "emotional", 2, 2 / 6, 2 / 3), ("friend", "illness", 1, 1 / 8, 1 / 3),
          ("gp", "illness", 2, 2 / 8, 1.0), ("neighbour", "everyday", 1, 1 / 5, 1.0),
          ("organisation", "illness", 1, 1 / 8, 1.0),
          ("partner", "emotional", 1, 1 / 6, 1 / 6), ("partner", "everyday", 3, 3 / 5, 3 / 6),
          ("partner", "illness", 2, 2 / 8, 2 / 6),
          ("pet", "emotional", 1, 1 / 6, 1.0),
          ("practice_nurse", "emotional", 1, 1 / 6, 1 / 2), ("practice_nurse", "illness", 1, 1 / 8, 1 / 2)]),
    ],
    "work_per_member_by_tie_class": [
        ({}, [("non_human", 1, 1, 1, 1.0), ("professional", 2, 2, 4, 2.0), ("strong", 5, 5, 12, 12 / 5),
              ("weak", 3, 2, 2, 2 / 3)]),  # p2m4 (acquaintance) does nothing
        # contact: strong p1m1 3 + p2m1 3 + p2m2 2 + p3m1 3 = 11; weak p1m3 1 + p1m5 1 + p2m4 0 + p3m2 1 = 3
        ({"tieDefinition": "contact"}, [("non_human", 1, 1, 1, 1.0), ("professional", 2, 2, 4, 2.0),
                                        ("strong", 4, 4, 11, 11 / 4), ("weak", 4, 3, 3, 3 / 4)]),
    ],
    "professional_niche": [
        # family = p1m1, p2m1, p3m1: illness 3, everyday 4, emotional 2 (of 9);
        # professional = p1m2, p2m3: illness 3, everyday 0, emotional 1 (of 4)
        ({}, [("family", 3, "emotional", 2, 2 / 9), ("family", 3, "everyday", 4, 4 / 9),
              ("family", 3, "illness", 3, 3 / 9), ("professional", 2, "emotional", 1, 1 / 4),
              ("professional", 2, "everyday", 0, 0.0), ("professional", 2, "illness", 3, 3 / 4)]),
    ],
    "partner_substitution": [
        # with partner p1, p3: partner illness p1m1 + p3m1 = 2, others p1m2 x2 + p3m2 = 3
        # without partner p2: others p2m1 + p2m2 + p2m3 = 3
        ({}, [(True, 2, 2, 3, 3 / 2, 3 / 5), (False, 1, 0, 3, 3.0, 1.0)]),
        # emotional: p1 partner 1 (comfort), others m4 + m5 = 2; p3 none; p2 others m1 + m2 + m3 = 3
        ({"workType": "emotional"}, [(True, 2, 1, 2, 1.0, 2 / 3), (False, 1, 0, 3, 3.0, 1.0)]),
    ],
    "work_concentration": [
        # top member shares: p1 m1 3/8, p2 m1 3/7, p3 m1 3/4
        ({}, [("p3", "m1", "partner", 3, 4, 3 / 4)]),
        ({"minShare": 0.4}, [("p3", "m1", "partner", 3, 4, 3 / 4), ("p2", "m1", "child", 3, 7, 3 / 7)]),
    ],
    "unmet_work": [
        ({}, [("p3", "emotional")]),  # p3's members do no emotional work at wave 0
        ({"wave": 1}, []),  # p3m1 gives comfort at wave 1
    ],
    "coverage_and_redundancy": [
        # distinct providers per participant: emotional p1 3 (m1 m4 m5), p2 3 (m1 m2 m3), p3 0;
        # everyday p1 2 (m1 m3), p2 1, p3 1; illness p1 2 (m1 m2), p2 3, p3 2 (m1 m2)
        ({}, [("emotional", 3, 2, 2 / 3, 6 / 3, 2), ("everyday", 3, 3, 1.0, 4 / 3, 1),
              ("illness", 3, 3, 1.0, 7 / 3, 3)]),
    ],
    "multiplex_members": [
        ({}, [("p1", "m1", "partner", "strong", 3, ["emotional", "everyday", "illness"]),
              ("p2", "m1", "child", "strong", 3, ["emotional", "everyday", "illness"]),
              ("p2", "m2", "friend", "strong", 2, ["emotional", "illness"]),
              ("p2", "m3", "practice_nurse", "professional", 2, ["emotional", "illness"]),
              ("p3", "m1", "partner", "strong", 2, ["everyday", "illness"])]),
        ({"minWorkTypes": 3}, [("p1", "m1", "partner", "strong", 3, ["emotional", "everyday", "illness"]),
                               ("p2", "m1", "child", "strong", 3, ["emotional", "everyday", "illness"])]),
    ],
    "reciprocity_by_tie_class": [
        # participants help p1m1 (strong), p1m3 (weak), p2m2 (strong); all three also give help
        ({}, [("non_human", 1, 1, 0, 0, 0.0), ("professional", 2, 2, 0, 0, 0.0), ("strong", 5, 5, 2, 2, 2 / 5),
              ("weak", 3, 2, 1, 1, 1 / 3)]),
    ],
    "navigation_reach": [
        # p1: m2 -> r1, m3 -> r2, takes part in r2: 2 linking members, {r1, r2}; 5 relationship types
        # p2: m3 -> r1, joins r2 only at wave 1; p3: m2 (an organisation) -> r3
        ({}, [("p1", 0, 2, 2, 1, 2, 5), ("p2", 0, 1, 1, 0, 1, 4), ("p3", 1, 1, 1, 0, 1, 2)]),
    ],
    "new_resources_between_waves": [
        ({}, [("p2", "r2", "community_group", "Walking Club")]),
    ],
    "community_involvement": [
        # involved p1 (walking club): 5 members, 8 flows; not involved p2 (4, 7) and p3 (2, 4)
        ({}, [(True, 1, 1 / 3, 5.0, 8.0), (False, 2, 2 / 3, 3.0, 5.5)]),
        # wave 1: involved p1 (4 members, 8 flows) and p2 (4 members, 3 + 3 + 1 = 7 flows); p3 (2, 4 + 1)
        ({"wave": 1}, [(True, 2, 2 / 3, 4.0, 7.5), (False, 1, 1 / 3, 2.0, 5.0)]),
        ({"communityTypes": ["faith_group"]}, [(False, 3, 1.0, 11 / 3, 19 / 3)]),
    ],
    "functional_bridges": [
        # strong tasks p1 {medication, housekeeping, comfort, wellbeing}, p2 {appointments, shopping,
        # comfort, regimen, companionship}, p3 {medication, housekeeping, shopping}; strong ties link no resource
        ({}, [("p1", "m2", "gp", "professional", ["measurements"], ["r1"]),
              ("p1", "m3", "neighbour", "weak", ["shopping"], ["r2"]),
              ("p1", "m4", "pet", "non_human", ["companionship"], []),
              ("p2", "m3", "practice_nurse", "professional", ["measurements", "wellbeing"], ["r1"]),
              ("p3", "m2", "organisation", "weak", ["health_management"], ["r3"])]),
    ],
    "structural_bridges": [
        # p1 is the path m2 - m3 - m1 - m5: m1 and m3 have 2 unconnected contacts (effective size 2,
        # constraint 0.5^2 + 0.5^2, betweenness 2 pairs each, articulation points); ends: degree 1.
        # p2 is the triangle m1 - m2 - m4: effective size 2 - 2*1/2 = 1, constraint 2 * (1/2 + 1/4)^2.
        ({}, [("p1", "m1", "partner", 2, 2.0, 0.5, 1, 2.0, True),
              ("p1", "m2", "gp", 1, 1.0, 1.0, 0, 0.0, False),
              ("p1", "m3", "neighbour", 2, 2.0, 0.5, 1, 2.0, True),
              ("p1", "m5", "friend", 1, 1.0, 1.0, 0, 0.0, False),
              ("p2", "m1", "child", 2, 1.0, 1.125, 0, 0.0, False),
              ("p2", "m2", "friend", 2, 1.0, 1.125, 0, 0.0, False),
              ("p2", "m4", "acquaintance", 2, 1.0, 1.125, 0, 0.0, False)]),
        # wave 1: p1 is m1 - m3 - m2 (m5 gone): m3 is the middle
        ({"wave": 1, "study": "tiny"}, [("p1", "m1", "partner", 1, 1.0, 1.0, 0, 0.0, False),
                                        ("p1", "m2", "gp", 1, 1.0, 1.0, 0, 0.0, False),
                                        ("p1", "m3", "neighbour", 2, 2.0, 0.5, 1, 1.0, True),
                                        ("p2", "m1", "child", 2, 1.0, 1.125, 0, 0.0, False),
                                        ("p2", "m2", "friend", 2, 1.0, 1.125, 0, 0.0, False),
                                        ("p2", "m4", "acquaintance", 2, 1.0, 1.125, 0, 0.0, False)]),
    ],
    "contributor_cohesion": [
        # p1: all 5 contribute, ties m1-m3, m1-m5, m2-m3 = 3 of 10 pairs; p2: m1 m2 m3 contribute
        # (m4 not), tie m1-m2 only = 1 of 3; p3: m1 m2, no ties = 0 of 1
        ({}, [("p1", 5, 3, 3 / 10), ("p2", 3, 1, 1 / 3), ("p3", 2, 0, 0.0)]),
    ],
    "shared_resources": [
        # wave 0: r1 reached by p1 (via m2) and p2 (via m3); r2 only p1; r3 only p3
        ({}, [("r1", "gp_practice", "Riverside Surgery", 2, 0, 2, ["p1", "p2"], ["GB"])]),
        # wave 1: r2 joins p1 (takes part, m3 links) and p2 (takes part); r1 only p1 (p2m3 lost)
        ({"wave": 1}, [("r2", "community_group", "Walking Club", 2, 2, 1, ["p1", "p2"], ["GB"])]),
        ({"minParticipants": 1}, [("r1", "gp_practice", "Riverside Surgery", 2, 0, 2, ["p1", "p2"], ["GB"]),
                                  ("r2", "community_group", "Walking Club", 1, 1, 1, ["p1"], ["GB"]),
                                  ("r3", "pharmacy", "Apotheek Centrum", 1, 0, 1, ["p3"], ["NL"])]),
    ],
    "tie_durability": [
        # lost: p1m5 (strong, middle), p2m3 (professional, outer); gained: p2m5 (weak, middle at wave 1)
        ({}, [("non_human", "unplaced", 1, 1, 0, 0, 1.0), ("professional", "outer", 2, 1, 1, 0, 0.5),
              ("strong", "inner", 3, 3, 0, 0, 1.0), ("strong", "middle", 2, 1, 1, 0, 0.5),
              ("weak", "middle", 1, 1, 0, 1, 1.0), ("weak", "outer", 2, 2, 0, 0, 1.0)]),
    ],
    "work_reallocation": [
        ({}, [("p1", "housekeeping", "everyday", ["m1"], ["m1", "m3"], "reallocated"),  # m3 joins in
              ("p1", "wellbeing", "emotional", ["m5"], [], "dropped"),  # m5 lost
              ("p2", "health_management", "illness", [], ["m5"], "taken_up"),  # new organisation
              ("p2", "measurements", "illness", ["m3"], ["m2"], "reallocated"),  # friend replaces nurse
              ("p2", "wellbeing", "emotional", ["m3"], [], "dropped"),  # nurse lost
              ("p3", "comfort", "emotional", [], ["m1"], "taken_up")]),  # partner starts comforting
    ],
    "comparison_composition": [
        # GB (p1, p2): 9 members, strong 4, weak 2, professional 2, pet 1; NL (p3): strong 1, weak 1
        ({}, [("GB", "non_human", 1, 1 / 9), ("GB", "professional", 2, 2 / 9), ("GB", "strong", 4, 4 / 9),
              ("GB", "weak", 2, 2 / 9), ("NL", "strong", 1, 0.5), ("NL", "weak", 1, 0.5)]),
        ({"groupBy": "areaType"},
         [("affluent_urban", "professional", 1, 1 / 4), ("affluent_urban", "strong", 2, 2 / 4),
          ("affluent_urban", "weak", 1, 1 / 4), ("deprived_rural", "strong", 1, 0.5),
          ("deprived_rural", "weak", 1, 0.5), ("deprived_urban", "non_human", 1, 1 / 5),
          ("deprived_urban", "professional", 1, 1 / 5), ("deprived_urban", "strong", 2, 2 / 5),
          ("deprived_urban", "weak", 1, 1 / 5)]),
    ],
    "comparison_work": [
        # GB: p1 illness 3, everyday 2, emotional 3; p2 illness 3, everyday 1, emotional 3 -> 6/3/6 of 15
        # NL: p3 illness 2, everyday 2, emotional 0 of 4
        ({}, [("GB", "emotional", 6, 6 / 15), ("GB", "everyday", 3, 3 / 15), ("GB", "illness", 6, 6 / 15),
              ("NL", "emotional", 0, 0.0), ("NL", "everyday", 2, 0.5), ("NL", "illness", 2, 0.5)]),
    ],
}

CASES = [(name, params, expected) for name, cases in GOLDEN.items() for params, expected in cases]

# A second study-wide tie for the resource-community cases: p2 also takes part in r2 at wave 0,
# closing the participant-resource path r2 - p1 - r1 - p2 into the 4-cycle p1 - r1 - p2 - r2 - p1.
P2_JOINS_R2 = ("MATCH (p:Participant {key: 'tiny|p2'}), (r:Resource {key: 'tiny|r2'}) "
               "CREATE (p)-[:PARTICIPATES_IN {wave: 0}]->(r)")

# Queries over properties written back by algorithm jobs: name -> list of
# (Cypher added to the tiny study first or "", jobs run in write mode as (job, parameters), query
# parameters, expected rows). No job run (or run for another wave): the result is empty with a
# note naming the job to run.
GOLDEN_AFTER_JOBS = {
    "top_bridging_members": [
        ("", [], {}, Note("run `illnet algo run bridging_members -p wave=0 --mode write` first")),
        # wave 0, p1: KNOWS path m2 - m3 - m1 - m5 plus the pet m4 without ties, n = 5 members.
        # Shortest paths through m1: m3-m5, m2-m5 (2); through m3: m2-m1, m2-m5 (2); none through the
        # ends m2, m5 or the isolated m4. Normalised by (n-1)(n-2)/2 = 6 -> 2/6. m1 and m3 each cut the
        # path; each has 2 unconnected contacts: constraint (1/2)^2 + (1/2)^2, effective size 2 - 0.
        # p2 is a triangle (no member between two others) and p3 has no ties: betweenness 0, not listed.
        ("", [("bridging_members", {})], {},
         [("p1", "m1", "partner", "strong", 2 / 6, True, 0.5, 2.0),
          ("p1", "m3", "neighbour", "weak", 2 / 6, True, 0.5, 2.0)]),
        ("", [("bridging_members", {})], {"top": 1},  # tie on 2/6 broken by memberId
         [("p1", "m1", "partner", "strong", 2 / 6, True, 0.5, 2.0)]),
        ("", [("bridging_members", {})], {"participant": "p2"}, []),
        ("", [("bridging_members", {})], {"wave": 1},  # the job described wave 0
         Note("the bridging_members job has not written its results at wave 1")),
        # wave 1, p1: path m1 - m3 - m2 (m5 lost), m4 isolated, n = 4: m3 lies on the one path m1-m2,
        # normalised by (3 * 2) / 2 = 3 -> 1/3; constraint 0.5, effective size 2
        ("", [("bridging_members", {"wave": 1})], {"wave": 1},
         [("p1", "m3", "neighbour", "weak", 1 / 3, True, 0.5, 2.0)]),
    ],
    "resource_community_summary": [
        ("", [], {"minParticipants": 1}, Note("run `illnet algo run resource_communities -p wave=0")),
        # wave 0 participant-resource graph: path r2 - p1 - r1 - p2 and the pair p3 - r3 (m = 4 ties,
        # degrees 1 2 2 1 | 1 1). Modularity sum(L_c/m - (D_c/2m)^2): {r2 p1}{r1 p2}{p3 r3} =
        # 2 * (1/4 - (3/8)^2) + (1/4 - (2/8)^2) = 0.40625 beats the whole path with {p3 r3}
        # (3/4 - (6/8)^2 + 0.1875 = 0.375), so Louvain puts each participant in its own community
        # and no community has the default 2 participants.
        ("", [("resource_communities", {})], {}, []),
        # with p2 also in r2 the path closes into the 4-cycle p1 - r1 - p2 - r2 (m = 5, degrees 2 | 1 1):
        # whole cycle 4/5 - (8/10)^2 = 0.16 beats two adjacent pairs 2 * (1/5 - (4/10)^2) = 0.08 and a
        # path of three plus one (0.04 - 0.04); p3 - r3 stays apart (1/5 - (2/10)^2 = 0.16 > merged 0)
        (P2_JOINS_R2, [("resource_communities", {})], {},
         [(ANY_ID, 2, 2, ["r1", "r2"], ["GB"])]),
        (P2_JOINS_R2, [("resource_communities", {})], {"minParticipants": 1},
         [(ANY_ID, 2, 2, ["r1", "r2"], ["GB"]), (ANY_ID, 1, 1, ["r3"], ["NL"])]),
        (P2_JOINS_R2, [("resource_communities", {})], {"wave": 1},  # the job described wave 0
         Note("the resource_communities job has not written its results at wave 1")),
    ],
    "network_type_kmeans": [
        ("", [], {}, Note("run `illnet algo run network_types -p wave=0 --mode write` first")),
        # features [partner, family, friend, weak, professional shares, size / largest size 5]:
        #   p1 (1/5, 0, 1/5, 1/5, 1/5, 5/5)  p2 (0, 1/4, 1/4, 1/4, 1/4, 4/5)  p3 (1/2, 0, 0, 1/2, 0, 2/5)
        # k = 5 (the default) >= 3 participants with distinct features: each participant is its own
        # cluster whatever the seed. Naming rule: restricted = smallest size (p3); weak_ties = largest
        # weak share of the rest (p2 1/4 > p1 1/5); family = largest partner + family share (p1).
        ("", [("network_types", {})], {},
         [("all", "family", 1, 1 / 3), ("all", "restricted", 1, 1 / 3), ("all", "weak_ties", 1, 1 / 3)]),
        ("", [("network_types", {"seed": 7})], {"groupBy": "country"},
         [("GB", "family", 1, 0.5), ("GB", "weak_ties", 1, 0.5), ("NL", "restricted", 1, 1.0)]),
        # k = 2: squared distances p1-p2 0.15, p1-p3 0.62, p2-p3 0.66. Lloyd's ends in {p1 p2} {p3} from
        # every start: from centroids p1, p2 it first takes {p1 p3} {p2}, then p1 is nearer p2 (0.15) than
        # the centroid of {p1 p3} (0.155) and moves. restricted = {p3} (size 0.4), weak_ties = {p1 p2}.
        ("", [("network_types", {"k": 2})], {"groupBy": "areaType"},
         [("affluent_urban", "weak_ties", 1, 1.0), ("deprived_rural", "restricted", 1, 1.0),
          ("deprived_urban", "weak_ties", 1, 1.0)]),
        ("", [("network_types", {"k": 2, "seed": 3})], {},
         [("all", "weak_ties", 2, 2 / 3), ("all", "restricted", 1, 1 / 3)]),
        ("", [("network_types", {})], {"wave": 1},  # the job described wave 0
         Note("the network_types job has not written its results at wave 1")),
        ("", [("network_types", {})], {"study": "another"}, Refused("there is no study 'another'")),
        # wave 1 (largest network 4): p1 (1/4, 0, 0, 1/4, 1/4, 1), p2 (0, 1/4, 1/4, 2/4, 0, 1),
        # p3 (1/2, 0, 0, 1/2, 0, 1/2); each alone: restricted p3, weak_ties p2 (1/2), family p1
        ("", [("network_types", {"wave": 1})], {"wave": 1, "groupBy": "country"},
         [("GB", "family", 1, 0.5), ("GB", "weak_ties", 1, 0.5), ("NL", "restricted", 1, 1.0)]),
    ],
}

AFTER_JOBS_CASES = [(name, *case) for name, cases in GOLDEN_AFTER_JOBS.items() for case in cases]


def test_every_catalogue_query_has_a_golden_test():
    """Here, on the tiny study; the per-participant measures on the ego study (test_ego_measures.py)."""
    assert set(GOLDEN) | set(GOLDEN_AFTER_JOBS) | set(EGO_GOLDEN) == set(catalogue.catalogue()), \
        "add golden cases for new queries (and drop removed ones)"
    assert not set(GOLDEN) & set(GOLDEN_AFTER_JOBS)


@pytest.mark.parametrize(("name", "params", "expected"), CASES,
                         ids=[f"{name}-{index}" for name, cases in GOLDEN.items() for index in range(len(cases))])
def test_query_answers_the_tiny_study_as_worked_out_by_hand(tiny_db, settings, name, params, expected):
    _assert_answer(name, tiny_db, settings, params, expected)


@pytest.mark.parametrize(("name", "extra", "jobs", "params", "expected"), AFTER_JOBS_CASES,
                         ids=[f"{name}-{index}" for name, cases in GOLDEN_AFTER_JOBS.items()
                              for index in range(len(cases))])
def test_algorithm_query_answers_the_tiny_study_as_worked_out_by_hand(tiny_db, settings, name, extra, jobs,
                                                                      params, expected):
    if extra:
        tiny_db.execute_query(extra, database_=settings.database)
    for job, job_params in jobs:
        run_job(job, settings=settings, driver=tiny_db, mode="write", **job_params)
    _assert_answer(name, tiny_db, settings, params, expected)


def _assert_answer(name, driver, settings, params, expected):
    """Run the query; the rows (or the note, or the refusal) are as expected."""
    if isinstance(expected, Refused):
        with pytest.raises(QueryError, match=re.escape(expected)):
            run(name, driver=driver, settings=settings, **params)
        return
    with warnings.catch_warnings(record=True) as caught:
        frame = run(name, driver=driver, settings=settings, **params)
    if isinstance(expected, Note):
        assert frame.empty and expected in frame.attrs["note"], frame.attrs
        assert [str(w.message) for w in caught if issubclass(w.category, NoteWarning)] == [frame.attrs["note"]]
        return
    assert_rows(name, frame, expected)


def test_structural_bridges_agree_with_networkx(tiny_db, settings):
    """An independent implementation (networkx) of the same measures on the same member ties."""
    edges, _, _ = tiny_db.execute_query(
        "MATCH (a:NetworkMember)-[:KNOWS {wave: 0}]->(b:NetworkMember) "
        "RETURN a.participantId AS p, a.memberId AS a, b.memberId AS b", database_=settings.database)
    expected = bridges_by_networkx((edge["p"], edge["a"], edge["b"]) for edge in edges)
    actual = bridges_of(records(run("structural_bridges", driver=tiny_db, settings=settings)))
    assert actual.keys() == expected.keys()
    for key, values in expected.items():
        assert actual[key] == pytest.approx(values), key
