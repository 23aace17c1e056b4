"""Load one study end to end: read and validate the whole study, apply the schema, then
write. Nothing is written when any problem is found (unless skip_invalid)."""

from dataclasses import asdict, dataclass, field
from pathlib import Path

import neo4j

from illnet.errors import InputError
from illnet.loaders.mapping import MappingInvalid, load_mapping
from illnet.loaders.problems import Problem, write_rejects
from illnet.loaders.read import ReadResult, read_study
from illnet.loaders.writer import LoadPlan, Writer, fingerprint
from illnet.schema import apply as schema_apply


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
    """Read, validate and write a study. Raises InputError (nothing written) on problems,
    unless skip_invalid, which loads the valid rows and reports the rest."""
    mapping_path = Path(mapping_path)
    writer = Writer(driver, database, batch_size, progress)
    already = _completed_run(writer, mapping_path) if not replace else None
    if already:
        return LoadReport(already[0], already[1], True, {}, [])
    result = read_study(mapping_path, skip_invalid=skip_invalid)
    rejects_file = write_rejects(result.problems, rejects) if (rejects and result.problems) else None
    if result.problems and not skip_invalid:
        raise StudyInvalid(f"{len(result.problems)} problem(s) in the study described by {mapping_path}; "
                           "nothing was written", result,
                           hint=f"fix the rows listed{f' (all of them in {rejects_file})' if rejects_file else ''}, "
                                "or load the valid rows with --skip-invalid")
    mapping = load_mapping(mapping_path)
    sources = [spec.full_path for spec in mapping.files.values()]
    plan = LoadPlan(result.tables, sources, mapping_path.read_text(encoding="utf-8"),
                    counts={"files": [asdict(report) for report in result.reconciliation]})
    schema_apply.apply(driver, database)
    outcome = writer.load(plan, replace=replace)
    return LoadReport(result.tables.study_id, outcome["runId"], outcome["skipped"], outcome["written"],
                      result.reconciliation, result.problems, rejects_file)


def _completed_run(writer: Writer, mapping_path: Path) -> tuple[str, str] | None:
    """(study id, run id) when these exact files were loaded completely before: a re-run
    then skips reading and validating as well as writing."""
    try:
        mapping = load_mapping(mapping_path)
        run_id = fingerprint(mapping_path.read_text(encoding="utf-8"),
                             [spec.full_path for spec in mapping.files.values()])
    except (MappingInvalid, OSError):
        return None  # read_study reports the problem properly
    return (mapping.study_id, run_id) if writer.run_status(run_id) == "completed" else None
