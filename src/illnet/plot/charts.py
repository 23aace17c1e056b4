"""Charts of canned-query results, chosen from the query's `returns:` header alone.

A chart fits a query whose rows are a summary (no identifier column such as participantId
or memberId: one row per participant is a listing, not a chart), with at least one
category column (string or boolean, or `wave`) and a measure: the first float column, else
the first integer column. The chart is a bar chart of the measure: the category with the
most distinct values along the x axis, the others (when they vary) as grouped bars with a
legend. Axis labels are the header's column descriptions; shares are drawn as percentages.
A bar whose value is null is not drawn and is marked n/a (never a zero).

    composition_by_tie_class   share by tie class
    work_share_by_tie_class    share of each work type by tie class (grouped by work type)
    tie_durability             share retained by tie class, grouped by circle
    network_size               mean network size by country (grouped by wave and study when several)
"""

import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import neo4j
import pandas as pd
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from illnet import model
from illnet.db import Settings
from illnet.errors import PlotError
from illnet.plot import palette
from illnet.plot.files import image_format, save
from illnet.query import canned
from illnet.query.canned import Column, Query
from illnet.query.params import bind
from illnet.query.runner import run_query
from illnet.values import cell_text

CATEGORY_TYPES = ("string", "boolean")
MEASURE_TYPES = ("float", "integer")
CATEGORY_INTEGERS = ("wave",)      # integer columns that name a group, not an amount
CONTEXT = ("wave", "studyId")      # categories drawn as groups rather than along the x axis on a tie
NOT_RECORDED = "(not recorded)"
# columns whose values come from a vocabulary of schema/vocabularies.yaml: drawn in its order
VOCABULARIES = {"tieClass": "tie_class", "workType": "work_type", "circle": "circle",
                "relationshipType": "relationship_type", "contactFrequency": "contact_frequency"}


@dataclass(frozen=True)
class Spec:
    """What a query's header says its chart is."""

    categories: tuple[Column, ...]
    measure: Column

    @property
    def is_share(self) -> bool:
        return any(word in self.measure.name.lower() for word in ("share", "coverage"))


def is_identifier(column: Column) -> bool:
    """participantId, memberId, resourceIds...: columns naming one thing each (studyId names a group)."""
    return column.name != "studyId" and column.name.endswith(("Id", "Ids"))


def spec(query: Query) -> Spec:
    """The chart a query's header fits; PlotError when none does."""
    identifiers = [c.name for c in query.returns if is_identifier(c)]
    if identifiers:
        raise PlotError(f"no chart fits query {query.name}: its rows list single items ({identifiers[0]})",
                        hint="charts are drawn for summary tables, e.g. composition_by_tie_class or network_size")
    categories = tuple(c for c in query.returns
                       if c.type in CATEGORY_TYPES or (c.type == "integer" and c.name in CATEGORY_INTEGERS))
    measures = [c for c in query.returns if c.type in MEASURE_TYPES and c not in categories]
    measure = next((c for c in measures if c.type == "float"), measures[0] if measures else None)
    if not categories or measure is None:
        lacking = "a category column" if not categories else "a number column"
        raise PlotError(f"no chart fits query {query.name}: its result has no {lacking}",
                        hint="charts are drawn for summary tables, e.g. composition_by_tie_class or network_size")
    return Spec(categories, measure)


def chart(name: str, *, settings: Settings | None = None, driver: neo4j.Driver | None = None, **params) -> Figure:
    """Run the canned query `name` and chart its result."""
    query = canned.get(name)
    spec(query)
    return chart_for(query, run_query(query, bind(query, params), settings, driver))


def _labels(frame: pd.DataFrame, columns: list[Column]) -> list[str]:
    """One text per row naming its values in these columns ('a · b')."""
    return [" · ".join(cell_text(value) if cell_text(value) else NOT_RECORDED for value in row)
            for row in frame[[c.name for c in columns]].itertuples(index=False, name=None)]


def _in_order(labels: list[str], columns: list[Column]) -> list[str]:
    """Distinct labels: in the vocabulary's order for one vocabulary column, else as the rows come."""
    distinct = list(dict.fromkeys(labels))
    if len(columns) != 1 or columns[0].name not in VOCABULARIES:
        return distinct
    codes = list(model.vocabulary(VOCABULARIES[columns[0].name]))
    return sorted(distinct, key=lambda label: codes.index(label) if label in codes else len(codes))


def _colours(groups: list[str], column: Column | None) -> dict[str, str]:
    """Tie-class colours when the groups are tie classes, else matplotlib's cycle."""
    if column is not None and column.name == "tieClass":
        return {group: palette.tie_class_fill(group) for group in groups}
    cycle = matplotlib.colormaps["tab10" if len(groups) <= 10 else "tab20"]
    return {group: to_hex(cycle(index)) for index, group in enumerate(groups)}


def chart_for(query: Query, frame: pd.DataFrame) -> Figure:
    """A bar chart of a query's result (see the module docstring); PlotError when no chart fits
    or the result has no rows."""
    fit = spec(query)
    if not len(frame):
        note = frame.attrs.get("note")
        raise PlotError(f"query {query.name} returned no rows, so there is nothing to chart"
                        + (f" ({note})" if note else ""), hint="check the parameters (study, wave)")
    varying = [c for c in fit.categories if frame[c.name].astype(str).nunique() > 1] or [fit.categories[0]]
    x_column = max(varying, key=lambda c: (frame[c.name].astype(str).nunique(), c.name not in CONTEXT))
    groups_by = [c for c in varying if c is not x_column]
    xs = _in_order(_labels(frame, [x_column]), [x_column])
    hue = _labels(frame, groups_by) if groups_by else _labels(frame, [x_column])
    hues = _in_order(hue, groups_by or [x_column])
    colour_column = groups_by[0] if len(groups_by) == 1 else (x_column if not groups_by else None)
    colours = _colours(hues, colour_column)
    bar = 0.8 / (len(hues) if groups_by else 1)
    width = min(14.0, max(7.0, 1.2 + 0.32 * len(frame)))
    figure = Figure(figsize=(width, 4.8))
    axes = figure.add_axes((0.12, 0.22, 0.84 - 2.0 / width if groups_by else 0.84, 0.6))
    values = pd.to_numeric(frame[fit.measure.name], errors="coerce")
    drawn = set()
    entries = sorted(zip(_labels(frame, [x_column]), hue, values, strict=True),
                     key=lambda entry: (hues.index(entry[1]), xs.index(entry[0])))
    for x_label, hue_label, value in entries:   # group by group, so the legend follows the groups' order
        slot = xs.index(x_label) + ((hues.index(hue_label) - (len(hues) - 1) / 2) * bar if groups_by else 0)
        if pd.isna(value):
            axes.text(slot, 0, "n/a", ha="center", va="bottom", fontsize=7, color="#6B7280", rotation=90)
            continue
        label = hue_label if groups_by and hue_label not in drawn else None
        drawn.add(hue_label)
        axes.bar(slot, value, width=bar * 0.95, color=colours[hue_label], edgecolor="#374151", linewidth=0.4,
                 label=label, gid=f"bar|{x_label}|{hue_label}")
    axes.set_xticks(range(len(xs)), xs, rotation=30 if len(xs) > 5 or max(map(len, xs)) > 12 else 0,
                    ha="right" if len(xs) > 5 or max(map(len, xs)) > 12 else "center", fontsize=8)
    axes.set_xlabel(f"{x_column.name}: {x_column.description}", fontsize=8)
    axes.set_ylabel("\n".join(textwrap.wrap(f"{fit.measure.name}: {fit.measure.description}", 38)), fontsize=8)
    if fit.is_share and values.dropna().between(0, 1).all():
        axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    if groups_by:
        axes.legend(title=" · ".join(c.name for c in groups_by), fontsize=8, title_fontsize=8, frameon=False,
                    loc="upper left", bbox_to_anchor=(1.02, 1.0))
    figure.suptitle("\n".join(textwrap.wrap(query.question, int(width * 12))), fontsize=10, x=0.02, ha="left", y=0.98)
    figure.text(0.02, 0.02, f"illnet query run {query.name}", fontsize=7, color="#6B7280", family="monospace")
    return figure


def check(query: Query, path: str | Path) -> None:
    """Fail early (PlotError) when `path` is no picture file or no chart fits the query."""
    image_format(path)
    spec(query)


def write(query: Query, frame: pd.DataFrame, path: str | Path) -> Path:
    """Chart a result into a picture file."""
    return save(chart_for(query, frame), path)
