"""Parameters of the synthetic study generator, with the published figures as defaults.

Two presets: `nwe` (the North West England case study, Vassilev 2013) and `euwise`
(the six-country EU-WISE survey, Koetsenruijter 2015, Vassilev 2016). Published figures
describe the baseline survey and are exact targets there: the generator meets them with
study-wide quotas over the members named at baseline, so a share is off by less than one
member (stated tolerance: half a member over the baseline total, e.g. 410 of 2,544 members =
16.12% for 16.1%; 57 of 300 participants = 19% pet owners). Everything that was not
published is a plausible default, documented where it is set, and can be overridden:
`calibration("nwe", weak_share=0.2)`.

Per-country parameters are dicts keyed by country code, with "*" for every other country.
"""

from dataclasses import dataclass, field, fields, replace

from illnet.errors import InputError

NETWORK_TYPES = ("restricted", "minimal_family", "family", "weak_ties", "diverse")

# Every relationship type belongs to one profile group that sets its circle, contact
# frequency and distance distributions.
PROFILE_GROUP = {
    "partner": "partner",
    "child": "close_family", "parent": "close_family", "sibling": "close_family",
    "grandchild": "extended_family", "other_family": "extended_family",
    "friend": "friend", "neighbour": "neighbour",
    "colleague": "weak_other", "acquaintance": "weak_other",
    "group": "group", "organisation": "group",
    "gp": "clinician", "practice_nurse": "clinician", "other_health_professional": "clinician",
    "social_care": "carer", "pet": "pet", "other_non_human": "other_non_human",
}

# Labels written as relationship_raw (what a respondent or coder typed).
RAW_LABELS = {
    "partner": ("Wife", "Husband", "Partner"),
    "child": ("Son", "Daughter", "Son-in-law", "Daughter-in-law"),
    "parent": ("Mother", "Father"),
    "sibling": ("Brother", "Sister"),
    "grandchild": ("Grandson", "Granddaughter"),
    "other_family": ("Niece", "Nephew", "Cousin", "Aunt"),
    "friend": ("Friend", "Best friend", "Old friend"),
    "neighbour": ("Neighbour", "Next-door neighbour"),
    "colleague": ("Workmate", "Colleague"),
    "acquaintance": ("Acquaintance", "Woman from the shop", "Man at the pub"),
    "gp": ("GP", "Doctor", "Dr at the surgery"),
    "practice_nurse": ("Practice nurse", "Diabetes nurse", "Nurse"),
    "social_care": ("Carer", "Home help", "Social worker"),
    "pet": ("Dog", "Cat", "Budgie"),
    "other_non_human": ("Garden", "Allotment", "Radio"),
}

# Groups and organisations are named after the kind of resource they are; other
# health professionals after the service they work in.
RESOURCE_LABELS = {
    "community_group": ("Walking group", "Lunch club", "Diabetes support group", "Bowls club"),
    "faith_group": ("Church", "Mosque", "Prayer group"),
    "leisure_centre": ("Gym", "Swimming baths"),
    "voluntary_organisation": ("Charity shop volunteers", "Patient organisation", "Age charity"),
    "social_service": ("Council", "Social services"),
    "pharmacy": ("Pharmacist", "Chemist"),
    "health_service": ("Diabetes education course", "Hospital clinic", "Podiatrist"),
    "gp_practice": ("Surgery", "Health centre"),
}
COMMUNITY_TYPES = ("community_group", "faith_group", "voluntary_organisation")


@dataclass(frozen=True)
class NetworkType:
    """A latent network type: drives the size and the composition of a personal network."""

    size_min: int
    """Smallest network of this type."""
    size_extra_mean: float
    """Mean of the Poisson number of members above size_min."""
    weak_weight: float
    """Relative chance that a free slot of this network becomes a weak tie."""
    professional_weight: float
    """Relative chance that a free slot becomes a professional."""
    family_share: float
    """Share of family (vs friends) among strong ties other than the partner."""
    community_weight: float
    """Relative chance that the participant takes part in community organisations."""


def _types(sizes: dict[str, tuple[int, float]]) -> dict[str, NetworkType]:
    """Network types with the given (size_min, size_extra_mean) and shared composition."""
    composition = {  # weak_weight, professional_weight, family_share, community_weight
        "restricted": (0.4, 1.5, 0.75, 0.6),
        "minimal_family": (0.3, 0.8, 0.9, 0.8),
        "family": (0.4, 0.7, 0.88, 0.9),
        "weak_ties": (6.0, 1.0, 0.5, 1.6),
        "diverse": (1.5, 1.2, 0.5, 1.5),
    }
    return {name: NetworkType(*sizes[name], *composition[name]) for name in NETWORK_TYPES}


def _work(illness: float, everyday: float, emotional: float) -> dict[str, float]:
    return {"illness": illness, "everyday": everyday, "emotional": emotional}


@dataclass(frozen=True)
class Calibration:
    """Every number the generator uses. Defaults: the North West England preset."""

    # --- network size and type (not published except the NWE mean of 8.5) ---
    network_types: dict[str, NetworkType] = field(default_factory=lambda: _types({
        "restricted": (2, 1.5), "minimal_family": (4, 2.0), "family": (6, 4.0),
        "weak_ties": (6, 3.0), "diverse": (8, 4.0)}))
    """Size and composition of each latent network type."""
    network_type_mix: dict[str, dict[str, float]] = field(default_factory=lambda: {
        "*": {"restricted": 0.15, "minimal_family": 0.25, "family": 0.25, "weak_ties": 0.15, "diverse": 0.2}})
    """Per country: relative frequency of each network type."""
    max_network_size: int = 40
    """Largest network a participant can name at baseline (one of that size gains no new members)."""

    # --- composition: published shares are exact study-wide quotas ---
    weak_share: float = 0.161
    """Weak ties among the members named at baseline (Rogers 2014: 16.1%)."""
    gp_nurse_share: float = 0.155
    """GPs and practice nurses among the members named at baseline (Rogers 2016: 15.5%)."""
    gp_fraction: float = 0.55
    """GPs among GPs + practice nurses (not published)."""
    other_professional_share: float = 0.03
    """Other health professionals and social care workers among baseline members (not published)."""
    social_care_fraction: float = 0.2
    """Social care workers among the other professionals (not published)."""
    pet_owner_share: float = 0.19
    """Participants naming at least one pet at baseline (Brooks 2013: 19%)."""
    second_pet_probability: float = 0.12
    """Chance that a pet owner names a second pet."""
    other_non_human_share: float = 0.005
    """Places and objects among baseline members."""
    partner_share: dict[str, float] = field(default_factory=lambda: {"*": 0.6})
    """Per country: participants with a partner (an older, deprived population)."""
    partner_named_probability: float = 0.92
    """Chance that a participant with a partner names the partner."""
    country_weak_weight: dict[str, float] = field(default_factory=lambda: {"*": 1.0})
    """Per country: relative chance of weak ties (the study-wide quota is kept)."""
    country_family_weight: dict[str, float] = field(default_factory=lambda: {"*": 1.0})
    """Per country: multiplies the family share among strong ties."""
    weak_relationships: dict[str, float] = field(default_factory=lambda: {
        "neighbour": 0.4, "acquaintance": 0.22, "group": 0.18, "organisation": 0.1, "colleague": 0.1})
    """Relative frequency of each weak relationship type."""
    community_group_boost: float = 3.0
    """Multiplies the group/organisation weights for participants in community organisations."""
    family_relationships: dict[str, float] = field(default_factory=lambda: {
        "child": 0.38, "sibling": 0.2, "grandchild": 0.17, "other_family": 0.17, "parent": 0.08})
    """Relative frequency of each family relationship type (partner apart)."""

    # --- participants (not published: plausible for people with diabetes/CHD) ---
    female_share: float = 0.45
    """Women among participants."""
    age_band_shares: dict[str, float] = field(default_factory=lambda: {
        "18-39": 0.03, "40-59": 0.2, "60-69": 0.3, "70-79": 0.32, "80+": 0.15})
    """Age distribution of participants."""
    condition_mix: dict[str, float] = field(default_factory=lambda: {
        "diabetes": 0.48, "chd": 0.32, "diabetes;chd": 0.2})
    """Condition sets (";"-separated) and their shares (NWE: diabetes and/or CHD)."""
    missing_share: float = 0.01
    """Share of sex, age band, contact frequency and distance left unrecorded."""

    # --- circles, contact and distance per profile group (not published) ---
    circles: dict[str, dict[str, float]] = field(default_factory=lambda: {
        "partner": {"inner": 0.95, "middle": 0.05},
        "close_family": {"inner": 0.7, "middle": 0.24, "outer": 0.06},
        "extended_family": {"inner": 0.5, "middle": 0.38, "outer": 0.12},
        "friend": {"inner": 0.45, "middle": 0.4, "outer": 0.15},
        "neighbour": {"inner": 0.08, "middle": 0.42, "outer": 0.5},
        "weak_other": {"inner": 0.04, "middle": 0.32, "outer": 0.64},
        "group": {"inner": 0.05, "middle": 0.35, "outer": 0.55, "unplaced": 0.05},
        "clinician": {"inner": 0.2, "middle": 0.45, "outer": 0.35},
        "carer": {"inner": 0.35, "middle": 0.45, "outer": 0.2},
        "pet": {"inner": 0.45, "middle": 0.1, "outer": 0.05, "unplaced": 0.4},
        "other_non_human": {"inner": 0.2, "middle": 0.2, "outer": 0.1, "unplaced": 0.5}})
    """Per profile group: distribution over circles (strong inner, weak outer/middle)."""
    contact: dict[str, dict[str, float]] = field(default_factory=lambda: {
        "partner": {"daily": 1.0},
        "close_family": {"daily": 0.35, "weekly": 0.45, "monthly": 0.12, "every_couple_of_months": 0.05, "less_often": 0.03},
        "extended_family": {"daily": 0.1, "weekly": 0.4, "monthly": 0.3, "every_couple_of_months": 0.12, "less_often": 0.08},
        "friend": {"daily": 0.15, "weekly": 0.5, "monthly": 0.25, "every_couple_of_months": 0.07, "less_often": 0.03},
        "neighbour": {"daily": 0.35, "weekly": 0.5, "monthly": 0.1, "every_couple_of_months": 0.05},
        "weak_other": {"daily": 0.05, "weekly": 0.35, "monthly": 0.35, "every_couple_of_months": 0.15, "less_often": 0.1},
        "group": {"weekly": 0.55, "monthly": 0.35, "every_couple_of_months": 0.07, "less_often": 0.03},
        "clinician": {"weekly": 0.03, "monthly": 0.27, "every_couple_of_months": 0.45, "less_often": 0.25},
        "carer": {"daily": 0.6, "weekly": 0.4},
        "pet": {"daily": 1.0},
        "other_non_human": {"daily": 0.5, "weekly": 0.5}})
    """Per profile group: distribution over contact frequency."""
    distance: dict[str, dict[str, float]] = field(default_factory=lambda: {
        "partner": {"same_household": 1.0},
        "close_family": {"same_household": 0.15, "under_15_min": 0.4, "15_to_60_min": 0.27, "over_1_hour": 0.18},
        "extended_family": {"same_household": 0.05, "under_15_min": 0.3, "15_to_60_min": 0.35, "over_1_hour": 0.3},
        "friend": {"under_15_min": 0.55, "15_to_60_min": 0.3, "over_1_hour": 0.15},
        "neighbour": {"under_15_min": 1.0},
        "weak_other": {"under_15_min": 0.6, "15_to_60_min": 0.35, "over_1_hour": 0.05},
        "group": {"under_15_min": 0.65, "15_to_60_min": 0.35},
        "clinician": {"under_15_min": 0.6, "15_to_60_min": 0.38, "over_1_hour": 0.02},
        "carer": {"same_household": 0.1, "under_15_min": 0.9},
        "pet": {"same_household": 1.0},
        "other_non_human": {"same_household": 0.6, "under_15_min": 0.4}})
    """Per profile group: distribution over travel time."""

    # --- work (not published: shapes from Vassilev 2013, Rogers 2014/2016, Brooks 2013) ---
    work: dict[str, dict[str, float]] = field(default_factory=lambda: {
        "partner": _work(0.55, 0.6, 0.85),
        "child": _work(0.35, 0.42, 0.62), "parent": _work(0.25, 0.28, 0.58),
        "sibling": _work(0.25, 0.22, 0.58), "grandchild": _work(0.2, 0.32, 0.52),
        "other_family": _work(0.2, 0.26, 0.52),
        "friend": _work(0.1, 0.12, 0.45),
        "neighbour": _work(0.06, 0.09, 0.26), "colleague": _work(0.05, 0.05, 0.25),
        "acquaintance": _work(0.05, 0.05, 0.22), "group": _work(0.08, 0.08, 0.3),
        "organisation": _work(0.1, 0.08, 0.15),
        "gp": _work(0.45, 0.03, 0.1), "practice_nurse": _work(0.5, 0.06, 0.14),
        "other_health_professional": _work(0.38, 0.04, 0.06), "social_care": _work(0.15, 0.45, 0.2),
        "pet": _work(0.0, 0.35, 0.65), "other_non_human": _work(0.0, 0.2, 0.5)})
    """Per relationship type: chance of doing each task of a work type (x task_weights)."""
    task_weights: dict[str, float] = field(default_factory=lambda: {
        "health_management": 1.0, "medication": 1.1, "regimen": 0.9, "measurements": 1.0,
        "symptoms": 0.9, "appointments": 1.1,
        "housekeeping": 1.2, "repairs": 0.8, "child_rearing": 0.2, "diet_exercise": 1.3,
        "shopping": 1.3, "personal_care": 0.6,
        "comfort": 1.0, "wellbeing": 1.0, "companionship": 1.0})
    """Relative likelihood of each task within its work type."""
    task_restrictions: dict[str, tuple[str, ...]] = field(default_factory=lambda: {
        "pet": ("diet_exercise", "comfort", "wellbeing", "companionship"),
        "other_non_human": ("diet_exercise", "comfort", "wellbeing", "companionship")})
    """Relationship types limited to some tasks (a dog walks you; it does not shop)."""
    no_partner_illness_boost: float = 1.6
    """Multiplies the illness work of strong and weak ties when no partner is named (Vassilev 2013)."""
    reciprocity: dict[str, float] = field(default_factory=lambda: {
        "partner": 0.6, "strong": 0.3, "weak": 0.1, "professional": 0.0, "non_human": 0.0})
    """Chance that the participant helps the member (relationship type, else tie class)."""
    reciprocal_tasks: tuple[str, ...] = ("comfort", "companionship", "wellbeing", "shopping",
                                         "housekeeping", "personal_care", "appointments")
    """Tasks a participant may do for a member."""
    reciprocal_task_probability: float = 0.35
    """Chance of each reciprocal task for a member the participant helps."""

    # --- follow-up waves (not published: Rogers 2014 says weak ties are lost less often) ---
    retention: dict[str, float] = field(default_factory=lambda: {
        "strong": 0.8, "weak": 0.88, "professional": 0.85, "non_human": 0.9})
    """Per tie class: share of members of one wave named again in the next (exact quota)."""
    partner_loss_weight: float = 0.1
    """Relative chance that a partner is among the strong ties lost (others: 1)."""
    circle_loss_weight: dict[str, float] = field(default_factory=lambda: {
        "inner": 0.5, "middle": 1.0, "outer": 1.5, "unplaced": 1.0})
    """Relative chance of being lost by circle at the previous wave."""
    new_member_share: float = 0.06
    """Members first named at a follow-up wave, as a share of the baseline members (each like a member
    its participant already has); they come on top of the baseline."""
    circle_shift_probability: float = 0.15
    """Chance that a retained member moves one circle in or out."""
    contact_change_probability: float = 0.15
    """Chance that a retained member's contact frequency is asked afresh."""
    task_persistence: float = 0.75
    """Chance that a retained member keeps doing a task (the task's overall rate is kept)."""
    takeover_probability: float = 0.5
    """Chance that a task of a lost member is taken over by a remaining strong tie."""

    # --- resources (not published except 19 NWE practices and EU-WISE's 34.6%) ---
    districts_per_area: int = 5
    """Localities per country x area type; participants use the resources of theirs."""
    gp_practices: int | None = 19
    """GP practices in the study (NWE: 19); None = 3 per locality."""
    community_share: float = 0.3
    """Participants in community organisations at baseline (exact; EU-WISE: 34.6%)."""
    country_community_weight: dict[str, float] = field(default_factory=lambda: {"*": 1.0})
    """Per country: relative chance of taking part in community organisations."""
    community_dropout: float = 0.1
    """Chance per wave of leaving a community resource no member links to."""
    community_uptake: float = 0.06
    """Chance per follow-up wave of taking up a new community resource."""
    service_use: dict[str, float] = field(default_factory=lambda: {
        "pharmacy": 0.5, "health_service": 0.25, "social_service": 0.08, "leisure_centre": 0.12})
    """Chance that a participant uses a service of each type."""
    resources_per_locality: dict[str, int] = field(default_factory=lambda: {
        "pharmacy": 2, "health_service": 1, "social_service": 1, "community_group": 4,
        "faith_group": 2, "voluntary_organisation": 2, "leisure_centre": 1})
    """Resources of each type in every locality (besides GP practices)."""
    regional_resources: dict[str, int] = field(default_factory=lambda: {
        "health_service": 1, "voluntary_organisation": 1})
    """Resources of each type shared by all localities of a country (hospital, national charity)."""
    regional_probability: float = 0.25
    """Chance that a resource is picked among the regional rather than the local ones."""

    # --- member-member ties (not recorded in the original surveys) ---
    knows: dict[str, float] = field(default_factory=lambda: {
        "family-family": 0.8, "family-friend": 0.25, "friend-friend": 0.35,
        "family-weak": 0.12, "friend-weak": 0.1, "weak-weak": 0.08,
        "practice-practice": 0.9, "professional-professional": 0.3,
        "family-professional": 0.08, "friend-professional": 0.01, "professional-weak": 0.02})
    """Chance that two members know each other, by category pair (family includes the partner)."""


PRESETS = {
    "nwe": Calibration(),
    "euwise": Calibration(
        network_types=_types({"restricted": (1, 0.3), "minimal_family": (2, 0.4), "family": (3, 1.4),
                              "weak_ties": (3, 1.0), "diverse": (4, 1.5)}),
        network_type_mix={
            "GB": {"restricted": 0.24, "minimal_family": 0.22, "family": 0.14, "weak_ties": 0.18, "diverse": 0.22},
            "NL": {"restricted": 0.22, "minimal_family": 0.22, "family": 0.14, "weak_ties": 0.2, "diverse": 0.22},
            "NO": {"restricted": 0.24, "minimal_family": 0.2, "family": 0.14, "weak_ties": 0.2, "diverse": 0.22},
            "ES": {"restricted": 0.24, "minimal_family": 0.26, "family": 0.3, "weak_ties": 0.06, "diverse": 0.14},
            "BG": {"restricted": 0.28, "minimal_family": 0.26, "family": 0.32, "weak_ties": 0.04, "diverse": 0.1},
            "GR": {"restricted": 0.22, "minimal_family": 0.26, "family": 0.36, "weak_ties": 0.04, "diverse": 0.12},
            "*": {"restricted": 0.24, "minimal_family": 0.24, "family": 0.22, "weak_ties": 0.12, "diverse": 0.18}},
        weak_share=0.17, gp_nurse_share=0.12, other_professional_share=0.02, pet_owner_share=0.06,
        other_non_human_share=0.0,
        partner_share={"GB": 0.6, "NL": 0.65, "NO": 0.62, "ES": 0.7, "BG": 0.68, "GR": 0.72, "*": 0.65},
        country_weak_weight={"GB": 1.1, "NL": 1.2, "NO": 1.2, "ES": 0.8, "BG": 0.7, "GR": 0.8, "*": 1.0},
        country_family_weight={"GB": 0.95, "NL": 0.9, "NO": 0.9, "ES": 1.1, "BG": 1.12, "GR": 1.12, "*": 1.0},
        female_share=0.5,
        age_band_shares={"18-39": 0.04, "40-59": 0.27, "60-69": 0.33, "70-79": 0.26, "80+": 0.1},
        condition_mix={"diabetes_type2": 1.0},
        districts_per_area=1, gp_practices=None, community_share=0.346,
        country_community_weight={"GB": 1.0, "NL": 1.4, "NO": 1.4, "ES": 0.8, "BG": 0.5, "GR": 0.8, "*": 1.0}),
}


def calibration(profile: str, **overrides) -> Calibration:
    """The preset `profile` ("nwe" or "euwise") with some fields replaced."""
    if profile not in PRESETS:
        raise InputError(f"unknown generator profile {profile!r}", hint=f"use one of {', '.join(PRESETS)}")
    known = {f.name for f in fields(Calibration)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise InputError(f"unknown generator parameter(s): {', '.join(unknown)}",
                         hint="see the fields of illnet.synth.calibration.Calibration")
    return replace(PRESETS[profile], **overrides)


def per_country(values: dict, country: str):
    """The value for `country`, else the "*" default."""
    return values.get(country, values["*"])
