"""The catalogue of graph-algorithm jobs: one YAML file per job in queries/algo/.

A job declares its parameters (as canned queries do), the projection (a Cypher
aggregation, `gds.graph.project`, over the rows of a MATCH that applies the filters such
as study and wave), the GDS calls with their configuration, an optional Python derivation
(illnet.query.measures) and the write-back statement. Every property a job writes is
documented in schema/algorithms.yaml. A malformed file is a CatalogueError naming it.
The engine that runs a job is illnet.query.algorithms.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml

from illnet import content
from illnet.errors import CatalogueError
from illnet.query import measures
from illnet.query.catalogue import Catalogue
from illnet.query.params import TYPES, Param, matches_type

ORIENTATIONS = ("natural", "undirected")
DEFAULT_CONCURRENCY = 2  # OpenGDS (Community) allows at most 4; the reference machines have 2 cores
_JOB_KEYS = {"name", "question", "concept", "answers", "params", "projection", "calls", "derive", "write"}
_PROJECTION_KEYS = {"description", "orientation", "match", "data", "same_as", "needs", "partition"}
_NEEDS_KEYS = {"what", "check"}
_PARTITION_KEYS = {"nodes", "units"}
_CALL_KEYS = {"name", "procedure", "args", "config", "then", "estimate", "needs_relationships", "columns"}


@dataclass(frozen=True)
class Needs:
    """What a projection needs in each study (`what`), checked per study by `check`: Cypher returning
    `studyId` and `recorded` (true when the study has it). Studies without it are left out of the
    projection through $skippedStudies, and the result says so in a note."""

    what: str
    check: str


@dataclass(frozen=True)
class Partition:
    """Run a projection per group of whole personal networks: `units` is Cypher returning one record
    `rows`, a list of [key, nodes] (one per personal network, in the order results should come), and
    the projection's match reads the keys of one partition (about `nodes` nodes) from $partition."""

    nodes: int
    units: str


@dataclass(frozen=True)
class Projection:
    """Rows of a MATCH (ending with `source` and `target` in scope) projected with gds.graph.project."""

    description: str
    orientation: str
    match: str
    data: str
    needs: Needs | None = None
    partition: Partition | None = None

    def project_statement(self) -> str:
        """The projection: the MATCH then the Cypher aggregation (graph name in $graphName)."""
        undirected = ", {undirectedRelationshipTypes: ['*']}" if self.orientation == "undirected" else ""
        return (f"{self.match.rstrip()}\nWITH gds.graph.project($graphName, source, target, {self.data}{undirected}) AS g\n"
                "RETURN g.nodeCount AS nodeCount, g.relationshipCount AS relationshipCount")

    def count_statement(self) -> str:
        """Node and relationship counts of the projection (an upper bound), for the memory estimate."""
        factor = 2 if self.orientation == "undirected" else 1
        return (f"{self.match.rstrip()}\nRETURN count(DISTINCT source) + count(DISTINCT target) AS nodeCount, "
                f"{factor} * count(target) AS relationshipCount")


@dataclass(frozen=True)
class Call:
    """One GDS procedure call on the projected graph, streamed into a DataFrame."""

    name: str
    procedure: str
    args: tuple
    config: dict
    then: str
    estimate: bool
    needs_relationships: bool = False
    """Not run on a graph without relationships (it yields no rows there)."""
    columns: tuple[str, ...] = ()
    """When given, `then` returns one record `rows`: a list of rows as lists in this column order
    (RETURN collect([a, b]) AS rows), about four times faster to receive than one record per row
    when a call streams many rows (nulls are kept, unlike separate collect()s per column)."""

    def statement(self) -> str:
        """CALL procedure($graphName, [$arg0, ...,] $config) followed by the YIELD/RETURN tail."""
        arguments = ["$graphName", *(f"$arg{i}" for i in range(len(self.args))), "$config"]
        return f"CALL {self.procedure}({', '.join(arguments)})\n{self.then.strip()}"

    def bound_config(self, params: dict) -> dict:
        """The configuration with "$name" values replaced by job parameters and a default concurrency."""
        config = {key: params[value[1:]] if isinstance(value, str) and value.startswith("$") else value
                  for key, value in self.config.items()}
        config.setdefault("concurrency", DEFAULT_CONCURRENCY)
        return config


@dataclass(frozen=True)
class Job:
    """One algorithm job, as declared in queries/algo/<name>.yaml."""

    name: str
    path: Path
    question: str
    concept: str
    answers: tuple[int, ...]
    params: dict[str, Param]
    projection: Projection
    calls: tuple[Call, ...]
    derive: dict | None
    write: str | None

    @property
    def text(self) -> str:
        """The job's YAML file."""
        return self.path.read_text(encoding="utf-8")

    def written_properties(self) -> list[str]:
        """'Label.property' (or 'TYPE.property') of every property the write statement sets."""
        return measures.set_targets(self.write) if self.write else []


def _fail(path: Path, problem: str, hint: str | None = None):
    raise CatalogueError(f"{path}: {problem}", hint=hint)


def _parse_params(path: Path, raw: dict) -> dict[str, Param]:
    params = {}
    for name, spec in (raw or {}).items():
        if not isinstance(spec, dict) or spec.get("type") not in TYPES or "description" not in spec:
            _fail(path, f"param {name}: needs type (one of {', '.join(TYPES)}), default and description")
        if not matches_type(spec.get("default"), spec["type"]):
            _fail(path, f"param {name}: default {spec.get('default')!r} is not a {spec['type']}")
        params[name] = Param(name, spec["type"], spec.get("default"), tuple(spec.get("choices", ())),
                             spec["description"])
    return params


def _parse_projection(path: Path, raw: dict, jobs_raw: dict) -> Projection:
    if not isinstance(raw, dict) or set(raw) - _PROJECTION_KEYS:
        _fail(path, f"projection keys must be among {', '.join(sorted(_PROJECTION_KEYS))}")
    if "same_as" in raw:
        other = raw["same_as"]
        if other not in jobs_raw or "same_as" in jobs_raw[other]["projection"]:
            _fail(path, f"projection same_as {other!r}: no job with its own projection has that name")
        return _parse_projection(path, jobs_raw[other]["projection"], jobs_raw)
    if raw.get("orientation") not in ORIENTATIONS or not raw.get("match"):
        _fail(path, f"projection needs match and orientation ({' or '.join(ORIENTATIONS)})")
    needs = raw.get("needs")
    if needs is not None and (not isinstance(needs, dict) or set(needs) != _NEEDS_KEYS):
        _fail(path, f"projection needs: give exactly {', '.join(sorted(_NEEDS_KEYS))}")
    partition = raw.get("partition")
    if partition is not None and (not isinstance(partition, dict) or set(partition) != _PARTITION_KEYS
                                  or not isinstance(partition["nodes"], int) or partition["nodes"] < 1):
        _fail(path, "projection partition: give nodes (a positive integer) and units (Cypher)")
    return Projection(raw.get("description", ""), raw["orientation"], raw["match"], raw.get("data", "{}"),
                      Needs(**needs) if needs else None, Partition(**partition) if partition else None)


def _parse_call(path: Path, raw: dict) -> Call:
    if not isinstance(raw, dict) or set(raw) - _CALL_KEYS or not {"name", "procedure", "then"} <= set(raw):
        _fail(path, "each call needs name, procedure and then (optional: args, config, estimate, "
                    "needs_relationships, columns)")
    if not measures.is_gds_procedure(raw["procedure"]):
        _fail(path, f"call {raw['name']}: {raw['procedure']!r} is not a gds.* procedure name")
    return Call(raw["name"], raw["procedure"], tuple(raw.get("args", ())), dict(raw.get("config") or {}),
                raw["then"], bool(raw.get("estimate", True)), bool(raw.get("needs_relationships", False)),
                tuple(raw.get("columns", ())))


def parse_job(path: Path, raw: dict, jobs_raw: dict) -> Job:
    """Check one job's YAML (already parsed) and build the Job; raise CatalogueError naming the file."""
    unknown = set(raw) - _JOB_KEYS
    if unknown:
        _fail(path, f"unknown key {sorted(unknown)[0]!r}", f"use {', '.join(sorted(_JOB_KEYS))}")
    for key in ("name", "question", "concept", "projection", "calls"):
        if not raw.get(key):
            _fail(path, f"job has no {key}")
    if raw["name"] != path.stem:
        _fail(path, f"name {raw['name']!r} differs from the file name {path.stem!r}")
    calls = tuple(_parse_call(path, call) for call in raw["calls"])
    projection = _parse_projection(path, raw["projection"], jobs_raw)
    derive = raw.get("derive")
    if derive is not None and derive.get("function") not in measures.DERIVATIONS:
        _fail(path, f"derive function {derive.get('function')!r} is unknown",
              f"use one of {', '.join(measures.DERIVATIONS)}")
    return Job(name=raw["name"], path=path, question=raw["question"], concept=raw["concept"],
               answers=tuple(raw.get("answers", ())), params=_parse_params(path, raw.get("params")),
               projection=projection, calls=calls, derive=derive,
               write=raw.get("write"))


def _read_yaml(path: Path) -> dict:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        _fail(path, f"not valid YAML: {str(exc).splitlines()[0]}", "quote values that contain ': '")
    if not isinstance(raw, dict):
        _fail(path, "a job file must be a YAML mapping")
    return raw


def _parse_all(paths: list[Path]) -> list[Job]:
    """Every job of the folder (a projection may be borrowed from another job: same_as)."""
    jobs_raw = {path.stem: _read_yaml(path) for path in paths}
    return [parse_job(path, jobs_raw[path.stem], jobs_raw) for path in paths]


JOBS: Catalogue[Job] = Catalogue("algorithm job", "illnet algo list", lambda: content.folder("queries") / "algo",
                                 _parse_all, "*.yaml")
load, catalogue, get = JOBS.load, JOBS.all, JOBS.get
