"""Load one study end to end: read and validate the whole study, apply the schema, then
write. Nothing is written when any problem is found (unless skip_invalid)."""

from dataclasses import asdict, dataclass, field
from pathlib import Path

import neo4j

from illnet.errors import InputError
from illnet.load.mapping import Mapping, MappingInvalid, load_mapping
from illnet.load.problems import Problem, write_rejects
from illnet.load.read import ReadResult, read_study
from illnet.load.writer import LoadPlan, Writer, fingerprint, sha256_file
from illnet.model import apply as schema_apply


class StudyInvalid(InputError):
    """The study has problems and nothing was written; `result` holds the whole reading."""

    def __init__(self, message: str, result: ReadResult, hint: str):
        super().__init__(message, problems=result.problems, hint=hint)
        self.result = result


@dataclass
class LoadReport:
    """Outcome of a load: the run, what was written, and the per-file reconciliation."""

    study_id: str
    run_id: str
    skipped: bool
    written: dict
    reconciliation: list
    problems: list[Problem] = field(default_factory=list)
    rejects_file: Path | None = None


def load_study(driver: neo4j.Driver, mapping_path: str | Path, *, database: str = "neo4j",
               skip_invalid: bool = False, rejects: str | Path | None = None, replace: bool = False,
               batch_size: int = 5000, progress: bool = True) -> LoadReport:
    """Read, validate and write a study. Raises StudyInvalid (nothing written) on problems,
    unless skip_invalid, which loads the valid rows and reports the rest."""
    mapping_path = Path(mapping_path)
    writer = Writer(driver, database, batch_size, progress)
    identity = _identity(mapping_path, skip_invalid)
    if identity and not replace and writer.run_status(identity[1]) == "completed":
        return LoadReport(identity[0].study_id, identity[1], True, {}, [])
    result = read_study(mapping_path, skip_invalid=skip_invalid)
    rejects_file = write_rejects(result.problems, rejects) if (rejects and result.problems) else None
    if result.problems and not skip_invalid:
        raise StudyInvalid(f"{len(result.problems)} problem(s) in the study described by {mapping_path}; "
                           "nothing was written", result,
                           hint=f"fix the rows listed{f' (all of them in {rejects_file})' if rejects_file else ''}, "
                                "or load the valid rows with --skip-invalid")
    mapping, run_id = identity or (result.mapping, None)
    sources = [spec.full_path for spec in mapping.files.values()]
    plan = LoadPlan(result.tables, sources, [sha256_file(path) for path in sources],
                    mapping_path.read_text(encoding="utf-8"), run_id or "",
                    counts={"files": [asdict(report) for report in result.reconciliation]})
    if not plan.run_id:  # files changed between the two readings: fingerprint what was read
        plan.run_id = fingerprint(plan.mapping_text, plan.checksums, skip_invalid)
    schema_apply.apply(driver, database)
    outcome = writer.load(plan, replace=replace)
    return LoadReport(result.tables.study_id, outcome["runId"], outcome["skipped"], outcome["written"],
                      result.reconciliation, result.problems, rejects_file)


def _identity(mapping_path: Path, skip_invalid: bool) -> tuple[Mapping, str] | None:
    """The parsed mapping and the run id of loading these exact files with these options,
    or None when the mapping cannot be used (read_study then reports why)."""
    try:
        mapping = load_mapping(mapping_path)
        sources = [spec.full_path for spec in mapping.files.values()]
        return mapping, fingerprint(mapping_path.read_text(encoding="utf-8"),
                                    [sha256_file(path) for path in sources], skip_invalid)
    except (MappingInvalid, OSError):
        return None
