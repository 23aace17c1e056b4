"""Problems reported by root cause: one group per (file, column, kind of problem) with its
count, first rows and first values; knock-on rejections ("participant X was rejected, so
this row is too") counted per file instead of listed; and the share of each canonical
table that --skip-invalid drops, with the limit above which a load refuses to go on.

    summary = summarise(result.problems)
    summary.groups     # ProblemGroup per root cause, in file and row order
    summary.knock_on   # file -> number of rows rejected only because another row was
"""

import re
from dataclasses import dataclass, field

from illnet.load.problems import Problem
from illnet.load.problems import _shorten as shorten
from illnet.load.read import ReadResult
from illnet.load.validate import KNOCK_ON

DEFAULT_MAX_SKIP = 0.05  # --skip-invalid refuses to drop more of any table than this share
SHOWN_ROWS = 5
SHOWN_VALUES = 3
# Messages whose wording carries row-specific ids: the kind of problem they are.
KINDS = (
    (re.compile(r"unknown (\w+) of participant .*"), r"unknown \1 of its participant"),
    (re.compile(r"member .* belongs to participant .*: (a member-member tie cannot cross personal networks)"), r"\1"),
    (re.compile(r".* has (\w+) '.*' at row \d+ but '.*' here"), r"\1 differs from an earlier row of the same id"),
    (re.compile(r"row has \d+ fields but the header has \d+ \(truncated row\?\)"),
     "row has fewer fields than the header (truncated row?)"),
    (re.compile(r"row has \d+ fields but the header has \d+"), "row has more fields than the header"),
    (re.compile(r"participant appears twice for wave .*"), "participant appears twice in one wave"),
    (re.compile(r"member .* is tied to itself .*"), "member tied to itself"),
    (re.compile(r"the cell holds [\d,]+ characters \(more than ([\d,]+)\)"), r"the cell holds more than \1 characters"),
    (re.compile(r"(\w+) id( of participant .*)? differs from '.*' \(.*\) only by ([\w ]+): (.*)"),
     r"\1 ids that differ only by \3: \4"),
)


def kind(message: str) -> str:
    """The kind of problem a message names, without its row-specific details (ids, values
    in quotes, parenthesised first-at-row notes), so that equal causes group together."""
    for pattern, name in KINDS:
        if pattern.fullmatch(message):
            return pattern.sub(name, message)
    text = re.sub(r"\s*\([^()]*\)", "", message)
    return re.sub(r"'[^']*'", "'...'", text).strip()


@dataclass
class ProblemGroup:
    """Problems of one kind in one column of one file."""

    file: str
    column: str | None
    kind: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.problems)

    def __str__(self) -> str:
        first = self.problems[0]
        if self.count == 1:
            return str(first)
        rows = [p.row for p in self.problems if p.row is not None]
        where = [f"rows {', '.join(map(str, rows[:SHOWN_ROWS]))}{', ...' if len(rows) > SHOWN_ROWS else ''}"]
        values = list(dict.fromkeys(p.value for p in self.problems if p.value is not None))
        if values:
            shown = ", ".join(f"'{shorten(v, 30)}'" for v in values[:SHOWN_VALUES])
            where.append(f"values {shown}{', ...' if len(values) > SHOWN_VALUES else ''}")
        subject = f" column '{self.column}'" if self.column is not None else ""
        return f"{self.file}{subject}: {self.kind}, {self.count} times ({'; '.join(where)}); fix: {first.fix}"


@dataclass
class Summary:
    groups: list[ProblemGroup]
    knock_on: dict[str, int]  # file -> rows rejected only because a row they depend on was rejected

    def knock_on_lines(self) -> list[str]:
        """One line per file of rows rejected only because a row they depend on was."""
        return [f"{file}: {count} row{'s' if count != 1 else ''} rejected only because the participant, "
                "member or resource they belong to was rejected (fix the problems above; each row is "
                "listed in the --rejects file)" for file, count in self.knock_on.items()]


def summarise(problems: list[Problem]) -> Summary:
    """Group problems by root cause; count the knock-on rejections per file."""
    groups: dict[tuple, ProblemGroup] = {}
    knock_on_rows: dict[tuple, None] = {}
    for problem in problems:
        if problem.message.endswith(KNOCK_ON):
            knock_on_rows[(problem.file, problem.row)] = None
            continue
        name = kind(problem.message)
        group = groups.setdefault((problem.file, problem.column, name),
                                  ProblemGroup(problem.file, problem.column, name))
        group.problems.append(problem)
    own = {(p.file, p.row) for group in groups.values() for p in group.problems}
    knock_on: dict[str, int] = {}
    for file, row in knock_on_rows:
        if (file, row) not in own and (file, None) not in own:
            knock_on[file] = knock_on.get(file, 0) + 1
    return Summary(list(groups.values()), knock_on)


def skip_shares(result: ReadResult) -> dict[str, tuple[int, int]]:
    """With --skip-invalid: canonical table -> (rows dropped, rows read), for tables with rows."""
    return {table: (total - len(result.tables[table]), total)
            for table, total in result.rows_before_skip.items() if total}


def over_limit(shares: dict[str, tuple[int, int]], max_skip: float) -> dict[str, tuple[int, int]]:
    """The tables of which more than `max_skip` (a share, 0..1) would be dropped."""
    return {table: (dropped, total) for table, (dropped, total) in shares.items() if dropped > max_skip * total}


def share_line(table: str, dropped: int, total: int) -> str:
    return f"{table}: {dropped:,} of {total:,} rows dropped ({dropped / total:.1%})"

