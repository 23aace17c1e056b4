"""Load one study end to end: read and validate the whole study, apply the schema, then
write. Nothing is written when any problem is found (unless skip_invalid)."""

from dataclasses import dataclass, field
from pathlib import Path

import neo4j

from illnet.errors import InputError
from illnet.loaders.mapping import load_mapping
from illnet.loaders.problems import Problem, write_rejects
from illnet.loaders.read import read_study
from illnet.loaders.writer import LoadPlan, Writer
from illnet.schema import apply as schema_apply


@dataclass
class LoadReport:
    """Outcome of a load: the run, what was written, and the per-file reconciliation."""

    study_id: str
    run_id: str
    skipped: bool
    written: dict
    reconciliation: list[dict]
    problems: list[Problem] = field(default_factory=list)
    rejects_file: Path | None = None


def load_study(driver: neo4j.Driver, mapping_path: str | Path, *, database: str = "neo4j",
               skip_invalid: bool = False, rejects: str | Path | None = None, replace: bool = False,
               batch_size: int = 5000, progress: bool = True) -> LoadReport:
    """Read, validate and write a study. Raises InputError (nothing written) on problems,
    unless skip_invalid, which loads the valid rows and reports the rest."""
    mapping_path = Path(mapping_path)
    result = read_study(mapping_path, skip_invalid=skip_invalid)
    rejects_file = write_rejects(result.problems, rejects) if (rejects and result.problems) else None
    if result.problems and not skip_invalid:
        raise InputError(f"{len(result.problems)} problem(s) in the study described by {mapping_path}; "
                         "nothing was written", problems=result.problems,
                         hint=f"fix the rows listed{f' (all of them in {rejects_file})' if rejects_file else ''}, "
                              "or load the valid rows with --skip-invalid")
    mapping = load_mapping(mapping_path)
    sources = [spec.full_path for spec in mapping.files.values()]
    plan = LoadPlan(result.tables, sources, mapping_path.read_text(encoding="utf-8"),
                    counts={"files": result.reconciliation})
    schema_apply.apply(driver, database)
    outcome = Writer(driver, database, batch_size, progress).load(plan, replace=replace)
    return LoadReport(result.tables.study_id, outcome["runId"], outcome["skipped"], outcome["written"],
                      result.reconciliation, result.problems, rejects_file)
