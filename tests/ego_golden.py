"""Expected answers of the per-participant measures (queries/measures) on the hand-made ego study
(tests/fixtures/ego_study.cypher), worked out by hand and written as the arithmetic that gave them.

Who appears: every participant at wave 0 (the study's first wave); at wave 1 only e2 and e4, who
have members there (e1 names nobody and e3 left the panel). n = members at the wave.

Member ties of e4 at wave 0 (m4, m5 isolated):
  all types: pairs m1-m2, m2-m3, m1-m3 (a triangle; m1-m2 has two ties, close 2.0 and work 0.5),
             weights 2.0 + 0.5 + 1 (m2-m3, weight NA counts 1) + 0.5 = 4.0
  close (or minWeight 1): m1-m2 (2.0), m2-m3 (1): a path m1 - m2 - m3, weights 3.0
  work: m1-m2 (0.5), m1-m3 (0.5): a path m2 - m1 - m3, weights 1.0
Ego constraint, participant joined to all n members: sum over j of (1/n + sum over j's contacts q of
(1/n) / (deg q + 1))^2.
"""

from pathlib import Path

from illnet.db import erase_all
from tests.fixture_graph import create_study

FIXTURE = Path(__file__).parent / "fixtures" / "ego_study.cypher"
TINY_FIXTURE = Path(__file__).parent / "fixtures" / "tiny_study.cypher"


def load_ego_and_tiny(driver, database: str) -> None:
    """Empty the database and create the ego study and the tiny study in it."""
    erase_all(driver, database)
    for fixture in (FIXTURE, TINY_FIXTURE):
        create_study(driver, database, fixture)

E = "ego"
# (size, tiesRecorded, ties, density, weightedDensity, components, isolates, meanDegree, maxDegree,
#  constraint, effectiveSize, efficiency) of the small networks, the same for every tie selection:
E1 = (0, True, 0, None, None, 0, 0, None, None, None, None, None)
E2 = (1, True, 0, None, None, 1, 1, 0.0, 0, 1.0, 1.0, 1.0)          # constraint (1/1)^2
E3 = (2, True, 0, 0.0, 0.0, 2, 2, 0.0, 0, 2 * (1 / 2) ** 2, 2.0, 1.0)
# tie-class counts: strong, weak, professional, non_human, none
CLASSES = {"e1": (0, 0, 0, 0, 0), "e2": (1, 0, 0, 0, 0), "e3": (1, 0, 0, 0, 1),
           "e4": (2, 1, 1, 1, 0), "e4w1": (2, 1, 0, 1, 0)}
# e4, wave 0, all types: degrees 2, 2, 2, 0, 0; each triangle member (1/5 + 2 * (1/5)(1/3))^2 = 1/9
E4_ALL = (5, True, 3, 3 / 10, 4.0 / 10, 3, 2, 6 / 5, 2, 3 / 9 + 2 * (1 / 5) ** 2, 5 - 2 * 3 / 5, (5 - 6 / 5) / 5)
# close: degrees 1, 2, 1, 0, 0; m1, m3: (1/5 + (1/5)(1/3))^2 = 16/225; m2: (1/5 + 2 (1/5)(1/2))^2 = 36/225
E4_PATH = (5, True, 2, 2 / 10, 3.0 / 10, 3, 2, 4 / 5, 2, (16 + 36 + 16 + 9 + 9) / 225, 5 - 4 / 5, (5 - 4 / 5) / 5)
# work: the same path shape (centre m1), weights 1.0
E4_WORK = E4_PATH[:4] + (1.0 / 10,) + E4_PATH[5:]
# e4, wave 1: m1 - m2 (close 1.0), m3 and m4 isolated; m1, m2: (1/4 + (1/4)(1/2))^2 = 9/64; m3, m4 1/16
E4_W1 = (4, True, 1, 1 / 6, 1.0 / 6, 3, 2, 2 / 4, 1, (9 + 9 + 4 + 4) / 64, 4 - 2 / 4, (4 - 2 / 4) / 4)
NOT_RECORDED = (None,) * 10  # ties .. efficiency when the study records no such ties at the wave


def measures(participant, wave, structure, classes):
    return (E, participant, wave, *structure, *CLASSES[classes])


WAVE0_ALL = [measures("e1", 0, E1, "e1"), measures("e2", 0, E2, "e2"), measures("e3", 0, E3, "e3"),
             measures("e4", 0, E4_ALL, "e4")]
WAVE0_CLOSE = WAVE0_ALL[:3] + [measures("e4", 0, E4_PATH, "e4")]

GOLDEN = {
    "ego_measures": [
        ({"study": E}, [WAVE0_ALL[0], WAVE0_ALL[1], measures("e2", 1, E2, "e2"), WAVE0_ALL[2], WAVE0_ALL[3],
                        measures("e4", 1, E4_W1, "e4w1")]),
        ({"study": E, "wave": 0, "tieType": "close"}, WAVE0_CLOSE),
        ({"study": E, "wave": 0, "minWeight": 1.0}, WAVE0_CLOSE),  # drops the two work ties of 0.5
        # no work ties at wave 1: structure unknown there, not zero
        ({"study": E, "tieType": "work"}, [WAVE0_ALL[0], WAVE0_ALL[1],
                                           (E, "e2", 1, 1, False, *NOT_RECORDED, *CLASSES["e2"]),
                                           WAVE0_ALL[2], measures("e4", 0, E4_WORK, "e4"),
                                           (E, "e4", 1, 4, False, *NOT_RECORDED, *CLASSES["e4w1"])]),
        # (an unknown study is refused before any query runs: tests/integration/test_honest_answers.py)
    ],
    "ego_composition": [
        # gender: e2 female; e3 female, NA; e4 female, male, female, male, NA (wave 1 without the NA m5)
        ({"study": E, "attribute": "gender"},
         [(E, "e1", 0, 0, None, 0, None, None), (E, "e2", 0, 1, "female", 1, 1.0, 1.0),
          (E, "e2", 1, 1, "female", 1, 1.0, 1.0), (E, "e3", 0, 2, "female", 1, 1 / 1, 1 / 2),
          (E, "e3", 0, 2, None, 1, None, 1 / 2), (E, "e4", 0, 5, "female", 2, 2 / 4, 2 / 5),
          (E, "e4", 0, 5, "male", 2, 2 / 4, 2 / 5), (E, "e4", 0, 5, None, 1, None, 1 / 5),
          (E, "e4", 1, 4, "female", 2, 2 / 4, 2 / 4), (E, "e4", 1, 4, "male", 2, 2 / 4, 2 / 4)]),
        # support lives on HAS_MEMBER, per wave: e2 4 at wave 1; e4 5, 3, 4, 2
        ({"study": E, "wave": 1, "attribute": "support"},
         [(E, "e2", 1, 1, 4, 1, 1.0, 1.0), (E, "e4", 1, 4, 2, 1, 1 / 4, 1 / 4), (E, "e4", 1, 4, 3, 1, 1 / 4, 1 / 4),
          (E, "e4", 1, 4, 4, 1, 1 / 4, 1 / 4), (E, "e4", 1, 4, 5, 1, 1 / 4, 1 / 4)]),
        # a core field: e3's m2 has no tie class recorded
        ({"study": E, "wave": 0, "attribute": "tieClass"},
         [(E, "e1", 0, 0, None, 0, None, None), (E, "e2", 0, 1, "strong", 1, 1.0, 1.0),
          (E, "e3", 0, 2, "strong", 1, 1.0, 1 / 2), (E, "e3", 0, 2, None, 1, None, 1 / 2),
          (E, "e4", 0, 5, "non_human", 1, 1 / 5, 1 / 5), (E, "e4", 0, 5, "professional", 1, 1 / 5, 1 / 5),
          (E, "e4", 0, 5, "strong", 2, 2 / 5, 2 / 5), (E, "e4", 0, 5, "weak", 1, 1 / 5, 1 / 5)]),
    ],
    "ego_diversity": [
        # e4 wave 0: female 2, male 2 of 4 known -> 1 bit; one value -> 0; nothing known -> null
        ({"study": E, "attribute": "gender"},
         [(E, "e1", 0, 0, 0, 0, None), (E, "e2", 0, 1, 1, 1, 0.0), (E, "e2", 1, 1, 1, 1, 0.0),
          (E, "e3", 0, 2, 1, 1, 0.0), (E, "e4", 0, 5, 4, 2, 1.0), (E, "e4", 1, 4, 4, 2, 1.0)]),
        # support e4 wave 0: 5, 4, 4, 2, 1 -> p = 1/5, 2/5, 1/5, 1/5; in nats (base e)
        ({"study": E, "wave": 0, "attribute": "support", "base": 2.718281828459045},
         [(E, "e1", 0, 0, 0, 0, None), (E, "e2", 0, 1, 1, 1, 0.0), (E, "e3", 0, 2, 2, 2, 0.6931471805599453),
          (E, "e4", 0, 5, 5, 4, 3 * (1 / 5) * 1.6094379124341003 + (2 / 5) * 0.9162907318741551)]),
    ],
    "ego_homophily": [
        # sex (participant, core) against gender (member, declared). e2 male: m1 female -> E1 I0.
        # e3 female: m1 female I, m2 NA. e4 female: m1 F I, m2 M E, m3 F I, m4 M E, m5 NA -> 0.
        # e4 member ties: m1-m2 F-M external, m2-m3 M-F external, m1-m3 F-F internal -> (2 - 1) / 3
        ({"study": E, "egoAttribute": "sex", "memberAttribute": "gender"},
         [(E, "e1", 0, 0, "female", 0, 0, None, 0, 0, None), (E, "e2", 0, 1, "male", 1, 0, 1.0, 0, 0, None),
          (E, "e2", 1, 1, "male", 1, 0, 1.0, 0, 0, None), (E, "e3", 0, 2, "female", 0, 1, -1.0, 0, 0, None),
          (E, "e4", 0, 5, "female", 2, 2, 0.0, 2, 1, 1 / 3), (E, "e4", 1, 4, "female", 2, 2, 0.0, 1, 0, 1.0)]),
        ({"study": E, "wave": 0, "egoAttribute": "sex", "memberAttribute": "gender", "tieType": "close"},
         [(E, "e1", 0, 0, "female", 0, 0, None, 0, 0, None), (E, "e2", 0, 1, "male", 1, 0, 1.0, 0, 0, None),
          (E, "e3", 0, 2, "female", 0, 1, -1.0, 0, 0, None), (E, "e4", 0, 5, "female", 2, 2, 0.0, 2, 0, 1.0)]),
        # education (declared; e3 NA) against gender: no value matches, e3 is in neither E nor I
        ({"study": E, "wave": 0, "egoAttribute": "education", "memberAttribute": "gender", "tieType": "work"},
         [(E, "e1", 0, 0, "degree", 0, 0, None, 0, 0, None), (E, "e2", 0, 1, "school", 1, 0, 1.0, 0, 0, None),
          (E, "e3", 0, 2, None, 0, 0, None, 0, 0, None), (E, "e4", 0, 5, "degree", 4, 0, 1.0, 1, 1, 0.0)]),
    ],
    "ego_numeric_summary": [
        # age: e2 70; e3 40 (m2 NA); e4 30, 50, 40, 6, 45 -> mean 171/5, sd sqrt(1212.8/4); wave 1: 30 50 40 6
        ({"study": E, "attribute": "age"},
         [(E, "e1", 0, 0, 0, None, None, None, None), (E, "e2", 0, 1, 1, 70.0, None, 70.0, 70.0),
          (E, "e2", 1, 1, 1, 70.0, None, 70.0, 70.0), (E, "e3", 0, 2, 1, 40.0, None, 40.0, 40.0),
          (E, "e4", 0, 5, 5, 171 / 5, (1212.8 / 4) ** 0.5, 6.0, 50.0),
          (E, "e4", 1, 4, 4, 126 / 4, ((1.5 ** 2 + 18.5 ** 2 + 8.5 ** 2 + 25.5 ** 2) / 3) ** 0.5, 6.0, 50.0)]),
        # support (HAS_MEMBER) at wave 1: e2 4; e4 5, 3, 4, 2 -> sd sqrt(5/3)
        ({"study": E, "wave": 1, "attribute": "support"},
         [(E, "e2", 1, 1, 1, 4.0, None, 4.0, 4.0), (E, "e4", 1, 4, 4, 3.5, (5 / 3) ** 0.5, 2.0, 5.0)]),
    ],
    "ego_tie_summary": [
        # weights of e4's four wave-0 ties 2.0, 0.5, NA, 0.5 -> mean 1, sd sqrt((1 + 0.25 + 0.25) / 2)
        ({"study": E},
         [(E, "e1", 0, 0, 0, None, None, None, None), (E, "e2", 0, 0, 0, None, None, None, None),
          (E, "e2", 1, 0, 0, None, None, None, None), (E, "e3", 0, 0, 0, None, None, None, None),
          (E, "e4", 0, 4, 3, 1.0, 0.75 ** 0.5, 0.5, 2.0), (E, "e4", 1, 1, 1, 1.0, None, 1.0, 1.0)]),
        ({"study": E, "wave": 0, "tieType": "close"},
         [(E, "e1", 0, 0, 0, None, None, None, None), (E, "e2", 0, 0, 0, None, None, None, None),
          (E, "e3", 0, 0, 0, None, None, None, None), (E, "e4", 0, 2, 1, 2.0, None, 2.0, 2.0)]),
    ],
}
