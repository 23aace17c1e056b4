"""Calibrated synthetic illness-work network studies.

`generate()` builds every canonical table of a study from a seed; `stream_study()` writes the same
study to source files chunk by chunk, so memory stays bounded whatever the size. The published
figures of the programme (domain.md) describe the baseline survey and are met at baseline with
study-wide quotas, so they hold for any seed; members first named at a follow-up wave come on top
of that baseline; everything else follows the documented defaults of
`illnet.synth.calibration.Calibration`. `build_examples()` regenerates the bundled example studies.

How it scales: participants (one row each) are drawn for the whole study; their members, ties,
support flows and resource use are drawn in chunks of CHUNK participants with vectorised numpy, each
chunk from its own random stream (seed, chunk number), so the study is the same for the same
arguments whether it is kept in memory or streamed. Quotas are split over the chunks by rounding
the running total, so study-wide counts stay exact.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from illnet import model
from illnet.errors import InputError
from illnet.load.tables import StudyTables, columns, field_types
from illnet.synth.calibration import Calibration, calibration
from illnet.synth.draw import object_strings
from illnet.synth.files import StudyWriter, write_study
from illnet.synth.people import draw_participants, fit_total
from illnet.synth.resources import Catalogue, draw_resources
from illnet.synth.roster import QUOTAS, add_new_members, draw_roster, draw_waves, quotas_up_to
from illnet.synth.support import draw_support
from illnet.synth.ties import draw_member_ties

CHUNK = 10_000
"""Participants per chunk (fixed: it is part of what a seed means)."""

EXAMPLES = {
    "nwe": dict(participants=300, seed=2010, waves=2, countries=("GB",), member_ties=True, resources=True,
                members_total=2544, study_id="nwe",
                name="North West England illness-work networks (synthetic, calibrated)"),
    "euwise": dict(participants=1800, seed=2013, countries=("GB", "NL", "NO", "ES", "BG", "GR"),
                   area_types=("deprived_urban", "deprived_rural", "affluent_urban"), resources=True,
                   study_id="euwise", name="EU-WISE six-country type 2 diabetes survey (synthetic, calibrated)"),
}
PER_CHUNK = ("participants", "conditions", "members", "ties", "support", "member_ties", "participation",
             "resource_links")


@dataclass
class Plan:
    """A study being generated: its arguments, calibration, participants and resource catalogue."""

    study_id: str
    name: str
    seed: int
    waves: int
    member_ties: bool
    cal: Calibration
    people: pd.DataFrame
    catalogue: Catalogue | None

    @property
    def design(self) -> str:
        return "panel" if self.waves > 1 else "cross-sectional"

    def study_tables(self) -> dict[str, pd.DataFrame]:
        """Tables drawn once for the study (the resource catalogue)."""
        if self.catalogue is None:
            return {}
        return {"resources": _table("resources", self.catalogue.frame.assign(synthetic=True), self.study_id)}

    def chunks(self) -> Iterator[dict[str, pd.DataFrame]]:
        """The per-participant tables of each chunk of CHUNK participants, in participant order."""
        sizes = np.cumsum(self.people["size"].to_numpy())
        for number, start in enumerate(range(0, len(self.people), CHUNK)):
            end = min(start + CHUNK, len(self.people))
            before = quotas_up_to(self.cal, int(sizes[start - 1]) if start else 0)
            after = quotas_up_to(self.cal, int(sizes[end - 1]))
            quotas = {kind: after[kind] - before[kind] for kind in QUOTAS}
            with object_strings():
                part = self._chunk(np.random.default_rng([self.seed, number]),
                                   self.people.iloc[start:end].reset_index(drop=True), quotas)
            yield {table: _table(table, frame, self.study_id) for table, frame in part.items()}

    def _chunk(self, rng, people: pd.DataFrame, quotas: dict) -> dict[str, pd.DataFrame]:
        cal, waves = self.cal, self.waves
        roster = add_new_members(rng, cal, draw_roster(rng, cal, people, quotas), waves, people["size"].to_numpy())
        roster, ties = draw_waves(rng, cal, roster, waves)
        tables = {"participants": people.assign(synthetic=True), "conditions": _conditions(people),
                  "members": roster.assign(synthetic=True), "ties": ties,
                  "support": draw_support(rng, cal, roster, waves)}
        if self.member_ties:
            tables["member_ties"] = draw_member_ties(rng, cal, roster)
        if self.catalogue is not None:
            tables.update(draw_resources(rng, self.catalogue, people, roster, waves))
        return tables


def plan(participants: int, seed: int, *, waves: int = 1, countries=("GB",), area_types=None,
         member_ties: bool = False, resources: bool = False, members_total: int | None = None,
         study_id: str = "synthetic", name: str = "Synthetic illness-work network study",
         profile: str | None = None, **parameters) -> Plan:
    """Check the arguments, draw the participants and the resource catalogue (see generate)."""
    countries, area_types = tuple(countries), tuple(area_types) if area_types else None
    _check_arguments(participants, waves, countries, area_types)
    if profile is None:
        profile = "euwise" if area_types or len(countries) > 1 else "nwe"
    cal = calibration(profile, **parameters)
    rng = np.random.default_rng(seed)
    with object_strings():
        people = draw_participants(rng, cal, participants, countries, area_types)
        if members_total is not None:
            people["size"] = fit_total(rng, cal, people, members_total)
        catalogue = (Catalogue(cal, list(dict.fromkeys(people["locality"])), list(dict.fromkeys(people["country"])))
                     if resources else None)
    return Plan(study_id, name, seed, waves, member_ties, cal, people, catalogue)


def generate(participants: int, seed: int, **arguments) -> StudyTables:
    """A synthetic study as canonical tables, the same for the same arguments and seed.

    waves: 1 = baseline only; members_total: exact number of members named at baseline;
    profile: "nwe" (North West England case study) or "euwise" (six-country survey);
    default "euwise" when area types or several countries are given, else "nwe".
    Other keyword arguments: fields of `Calibration` that replace the profile's defaults.
    """
    drafted = plan(participants, seed, **arguments)
    study = StudyTables(drafted.study_id, name=drafted.name, design=drafted.design)
    parts = list(drafted.chunks())
    for table in PER_CHUNK:
        frames = [part[table] for part in parts if table in part]
        if frames:
            study[table] = pd.concat(frames, ignore_index=True)
    for table, frame in drafted.study_tables().items():
        study[table] = frame
    return study


def stream_study(participants: int, seed: int, out_dir, layout: str = "long", file_format: str = "csv",
                 **arguments) -> tuple[Path, dict[str, int]]:
    """Write the study that generate() would give as source files, chunk by chunk (memory bounded by
    one chunk; the wide layout, which needs every member slot first, keeps the study in memory).
    Returns the mapping's path and the row count of every table."""
    if layout == "wide":
        study = generate(participants, seed, **arguments)
        return write_study(study, out_dir, layout=layout, file_format=file_format), study.counts()
    drafted = plan(participants, seed, **arguments)
    counts = dict.fromkeys(StudyTables(drafted.study_id).tables, 0)
    with StudyWriter(out_dir, drafted.study_id, drafted.name, drafted.design, layout, file_format,
                     reciprocal_tasks=drafted.cal.reciprocal_tasks) as writer:
        study_tables = drafted.study_tables()
        for part in drafted.chunks():
            writer.add({**part, **study_tables})
            for table, frame in {**part, **study_tables}.items():
                counts[table] += len(frame)
            study_tables = {}
    return writer.mapping_path, counts


def build_examples(dest) -> list[Path]:
    """Regenerate the bundled example studies under `dest` (nwe/, euwise/); mapping paths."""
    return [write_study(generate(**arguments), Path(dest) / folder) for folder, arguments in EXAMPLES.items()]


def _check_arguments(participants, waves, countries, area_types):
    problems = []
    if participants < 1:
        problems.append(f"participants={participants}: give at least 1")
    if not 1 <= waves <= 21:
        problems.append(f"waves={waves}: give 1 to 21 waves")
    problems += [f"country {c!r} is not in the country vocabulary ({', '.join(model.vocabulary('country'))})"
                 for c in countries if c not in model.vocabulary("country")]
    problems += [f"area type {a!r} is not in the area_type vocabulary ({', '.join(model.vocabulary('area_type'))})"
                 for a in area_types or () if a not in model.vocabulary("area_type")]
    if not countries:
        problems.append("no country given: give at least one country code, e.g. GB")
    if problems:
        raise InputError("cannot generate this study: " + "; ".join(problems), problems)


def _conditions(people: pd.DataFrame) -> pd.DataFrame:
    return (people[["participant_id"]].assign(condition=people["conditions"].str.split(";"))
            .explode("condition", ignore_index=True))


_DTYPES = {"integer": "Int64", "float": "Float64", "boolean": "boolean", "string": object}
KIND = {code: spec["kind"] for code, spec in model.vocabulary("relationship_type").items()}


def _table(table: str, frame: pd.DataFrame, study_id: str) -> pd.DataFrame:
    """`frame` cut to the canonical columns of `table`, typed as schema/tables.yaml says, sorted by key
    (with the derived member kind, and member ties of the one type 'knows', undirected)."""
    frame = frame.assign(study_id=study_id)
    if table == "members":
        frame = frame.assign(kind=frame["relationship_type"].map(KIND))
    if table == "member_ties":
        frame = frame.assign(type="knows", directed=False)
    specs = model.load("tables")[table]["fields"]
    factors = [pd.factorize(frame[key], sort=True) for key in reversed([n for n, s in specs.items() if s.get("key")])]
    codes = [codes for codes, uniques in factors if len(uniques) > 1]
    order = np.lexsort(codes) if codes else np.arange(len(frame))
    out = {}
    for name, kind in field_types(table).items():
        values = frame[name].to_numpy()[order] if name in frame else np.full(len(frame), None, dtype=object)
        if kind == "string" and not specs.get(name, {}).get("required"):
            values = values.astype(object)
            values[pd.isna(values)] = None
        out[name] = pd.Series(values, dtype=_DTYPES[kind])
    return pd.DataFrame(out)[columns(table)]
