"""A study report as one self-contained HTML file: the study's summary, every canned
question's table with its chart, and a sample of egograms. Charts and egograms are
embedded as base64 PNG and the style sheet is inline, so the file opens anywhere, offline.
The page is a jinja2 template (templates/report.html.j2, autoescaped).

    from illnet import report
    report.build("nwe", "reports/")        # -> reports/nwe.html
"""

import base64
import io
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import jinja2
import neo4j
import pandas as pd
from matplotlib.figure import Figure

from illnet import __version__, plot
from illnet.db import Settings, driver_for
from illnet.errors import PlotError, QueryError
from illnet.plot.charts import chart_for, spec
from illnet.plot.ego import sample as sample_participants
from illnet.query import canned
from illnet.query.canned import Query
from illnet.query import scope
from illnet.query.params import bind
from illnet.query.runner import execute, run_query
from illnet.release import declared_columns, release, threshold_for
from illnet.values import cell_text

MAX_ROWS = 50       # rows of a table shown in the report; the rest are counted and named
DPI = 100
NUMBER_TYPES = ("integer", "float")

_STUDY = "MATCH (s:Study {studyId: $study}) RETURN properties(s) AS study"
_WAVES = """
MATCH (p:Participant {studyId: $study})-[h:HAS_MEMBER]->(:NetworkMember)
WITH h.wave AS wave, count(DISTINCT p) AS participants, count(*) AS members
CALL (wave) { MATCH (:NetworkMember {studyId: $study})-[w:PROVIDES]->(:Participant) WHERE w.wave = wave
              RETURN count(w) AS flows }
CALL (wave) { MATCH (:NetworkMember {studyId: $study})-[k:KNOWS]->(:NetworkMember) WHERE k.wave = wave
              RETURN count(k) AS memberTies }
RETURN wave, participants, members, flows, memberTies ORDER BY wave
"""
_HIDDEN = ("key", "loadRunId", "sourceFile", "sourceRow")


@dataclass
class Table:
    """A table as the template shows it: header, text cells, which columns are numbers."""

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    total: int


@dataclass
class Section:
    """One canned question in the report."""

    query: Query
    table: Table
    chart: str | None = None        # data: URI of the PNG
    note: str | None = None
    command: str = ""


def data_uri(figure: Figure) -> str:
    """A figure as a base64 PNG data: URI."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def table(frame: pd.DataFrame, numeric: list[bool] | None = None, limit: int | None = MAX_ROWS) -> Table:
    """The first `limit` rows of a frame as text cells (floats to four decimals)."""
    shown = frame if limit is None else frame.head(limit)
    numeric = numeric or [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
                          for c in frame.columns]
    return Table([str(c) for c in frame.columns],
                 [[cell_text(value, 4) for value in row] for row in shown.itertuples(index=False, name=None)],
                 numeric, len(frame))


def question(query: Query, study: str, settings: Settings, driver: neo4j.Driver,
             threshold: int | None = None) -> Section:
    """Run one canned query for the study; its table, chart (where one fits) and note;
    released (illnet.release) with `threshold` when one is given."""
    command = f"illnet query run {query.name} -p study={study}"
    params = bind(query, {"study": study} if "study" in query.params else {})
    try:
        frame = run_query(query, params, settings, driver)
    except QueryError as exc:  # a question that needs a choice of the analyst's (an attribute, say)
        empty = pd.DataFrame(columns=[column.name for column in query.returns])
        return Section(query, table(empty), note=f"{exc.message}; {exc.hint}" if exc.hint else exc.message,
                       command=command)
    if threshold:
        frame = release(frame, study, threshold, declared_columns(query.returns))
    section = Section(query, table(frame, [c.type in NUMBER_TYPES for c in query.returns]),
                      note=frame.attrs.get("note"), command=command)
    try:
        spec(query)
        if len(frame):
            section.chart = data_uri(chart_for(query, frame))
    except PlotError:
        pass   # a listing (one row per participant or member): the table is the answer
    return section


def _egograms(study: str, waves: list[int], sample: int, seed: int, settings: Settings,
              driver: neo4j.Driver) -> list[tuple[str, str]]:
    """(caption, data URI) of the sampled grid and, with two waves, one wave comparison."""
    if not sample or not waves:
        return []
    participants = sample_participants(study, sample, seed, waves[0], settings, driver)
    pictures = [(f"{len(participants)} participants drawn with seed {seed}, wave {waves[0]}",
                 data_uri(plot.grid(study, participants, wave=waves[0], settings=settings, driver=driver)))]
    if waves[0] + 1 in waves:
        pictures.append((f"participant {participants[0]}, waves {waves[0]} and {waves[0] + 1}", data_uri(
            plot.egogram(study, participants[0], wave=waves[0], compare_waves=True, settings=settings, driver=driver))))
    return pictures


def build(study: str, out: str | Path, *, sample: int = 4, seed: int = 1, settings: Settings | None = None,
          driver: neo4j.Driver | None = None, min_count: int | None = None) -> Path:
    """Write the report of `study` to OUT/<study>.html and return its path. With `min_count`,
    or when the study's mapping sets privacy.release_min_count, the report is released:
    every table goes through illnet.release, and no egogram (an individual network) is drawn."""
    with driver_for(settings, driver) as (resolved, usable), usable.session(database=resolved.database) as session:
        scope.require(session, study)
        found = execute(session, _STUDY, {"study": study})
        facts = {k: v for k, v in sorted(found.iloc[0]["study"].items()) if k not in _HIDDEN}
        waves = execute(session, _WAVES, {"study": study})
        threshold = threshold_for(study, min_count, resolved, usable)
        sections = [question(q, study, resolved, usable, threshold) for q in canned.catalogue().values()]
        egograms = [] if threshold else _egograms(study, [int(w) for w in waves["wave"]], sample, seed, resolved,
                                                  usable)
        if threshold:
            waves = release(waves, study, threshold)
    environment = jinja2.Environment(loader=jinja2.PackageLoader("illnet.report", "templates"),
                                     autoescape=True, undefined=jinja2.StrictUndefined)
    html = environment.get_template("report.html.j2").render(
        study=study, facts={k: cell_text(v) for k, v in facts.items()}, waves=table(waves, limit=None),
        sections=sections, themes=list(dict.fromkeys(s.query.theme for s in sections)), egograms=egograms,
        released=threshold,
        version=__version__, built=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), max_rows=MAX_ROWS)
    path = Path(out) / f"{study}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
