"""Load one study end to end: read and validate the whole study, apply the schema, then
write. Nothing is written when any problem is found (unless skip_invalid)."""

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import neo4j

from illnet.errors import InputError
from illnet.load.mapping import Mapping, MappingInvalid, load_mapping
from illnet.load.problems import Problem, write_rejects
from illnet.load.pseudonyms import pseudonymise
from illnet.load.read import ReadResult, read_study
from illnet.load.report import DEFAULT_MAX_SKIP, over_limit, skip_shares
from illnet.load.tables import StudyTables
from illnet.load.writer import DEFAULT_WORKERS, LoadPlan, Writer, fingerprint, sha256_file
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
    warnings: list[Problem] = field(default_factory=list)
    dropped: dict[str, tuple[int, int]] = field(default_factory=dict)  # --skip-invalid: table -> (dropped, read)


def _refuse_big_skips(result: ReadResult, max_skip: float) -> None:
    """StudyInvalid when skipping the invalid rows would drop more than max_skip of a table."""
    over = over_limit(skip_shares(result), max_skip)
    if over:
        raise StudyInvalid(f"--skip-invalid would drop more than {max_skip:.0%} of {', '.join(over)}; "
                           "nothing was written", result,
                           hint="fix the problems listed, or accept the loss with a higher --max-skip "
                                "(--max-skip 1 loads whatever is valid)")


def load_study(driver: neo4j.Driver, mapping_path: str | Path, *, database: str = "neo4j",
               skip_invalid: bool = False, rejects: str | Path | None = None, replace: bool = False,
               batch_size: int = 5000, progress: bool = True, strict: bool = False,
               allow_outside: bool = False, max_skip: float = DEFAULT_MAX_SKIP,
               pseudonymise: bool = False, workers: int = DEFAULT_WORKERS) -> LoadReport:
    """Read, validate and write a study. Raises StudyInvalid (nothing written) on problems,
    unless skip_invalid, which loads the valid rows and reports the rest, but only while
    no canonical table loses more than `max_skip` of its rows (a share; 1 = no limit). A
    mapping that cannot be used is always StudyInvalid: there are no valid rows to keep.
    strict makes warnings problems; allow_outside lets source files lie outside the
    mapping's folder. `workers` write transactions go at the same time where their batches
    touch different personal networks.

    One pass: the mapping is parsed once, each source file hashed once (just before it is
    read; the hashes make the runId), and the run's status looked up once."""
    mapping = open_mapping(mapping_path, allow_outside, pseudonymise)
    run_id, sources, checksums = identity(mapping, skip_invalid)
    writer = Writer(driver, database, batch_size, progress, workers)
    previous = writer.run_status(run_id)
    if previous == "completed" and not replace:
        return LoadReport(mapping.study_id, run_id, True, {}, [])
    plan, result, rejects_file = read_plan(mapping, run_id, sources, checksums, skip_invalid=skip_invalid,
                                           strict=strict, rejects=rejects, max_skip=max_skip)
    schema_apply.apply(driver, database)
    outcome = writer.load(plan, previous=previous, replace=replace)
    return report_of(plan, result, outcome, rejects_file)


def open_mapping(mapping_path: str | Path, allow_outside: bool = False, pseudonymise: bool = False) -> Mapping:
    """The parsed mapping (pseudonymising ids when it or the caller says so); StudyInvalid
    (nothing written) when it cannot be used."""
    mapping_path = Path(mapping_path)
    try:
        mapping = load_mapping(mapping_path, allow_outside=allow_outside)
        return replace(mapping, pseudonymise=True) if pseudonymise else mapping
    except MappingInvalid as exc:
        raise StudyInvalid(f"{mapping_path} cannot be used; nothing was written",
                           ReadResult(StudyTables(""), exc.problems),
                           hint="fix the mapping file (format: loaders/MAPPING.md)") from None


def identity(mapping: Mapping, skip_invalid: bool) -> tuple[str, list[Path], list[str]]:
    """The runId of loading these files with these options, the files and their SHA-256
    (each file hashed once, just before it is read)."""
    sources = [spec.full_path for spec in mapping.files.values()]
    checksums = [sha256_file(path) if path.is_file() else "missing" for path in sources]
    return fingerprint(mapping.text, checksums, skip_invalid, mapping.pseudonymise), sources, checksums


def read_plan(mapping: Mapping, run_id: str, sources: list[Path], checksums: list[str], *, skip_invalid: bool,
              strict: bool, rejects: str | Path | None, max_skip: float) -> tuple[LoadPlan, ReadResult, Path | None]:
    """Read and validate the whole study: what to write, the reading, and the rejects file
    written; StudyInvalid (nothing written) when it has problems that are not to be skipped."""
    result = read_study(mapping, skip_invalid=skip_invalid, strict=strict)
    rejects_file = write_rejects(result.problems, rejects) if (rejects and result.problems) else None
    if result.problems and not skip_invalid:
        raise StudyInvalid(f"{len(result.problems)} problem(s) in the study described by {mapping.path}; "
                           "nothing was written", result,
                           hint=f"fix the rows listed{f' (all of them in {rejects_file})' if rejects_file else ''}, "
                                "or load the valid rows with --skip-invalid")
    _refuse_big_skips(result, max_skip)
    tables = pseudonymise(result.tables) if mapping.pseudonymise else result.tables
    plan = LoadPlan(tables, sources, checksums, mapping.text, run_id,
                    counts={"files": [asdict(report) for report in result.reconciliation]})
    return plan, result, rejects_file


def report_of(plan: LoadPlan, result: ReadResult, outcome: dict, rejects_file: Path | None) -> LoadReport:
    """The LoadReport of a written plan."""
    return LoadReport(plan.tables.study_id, outcome["runId"], outcome["skipped"], outcome["written"],
                      result.reconciliation, result.problems, rejects_file, result.warnings, skip_shares(result))
