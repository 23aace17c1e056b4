"""EgoWeb 2.0 exports, as egor's read_egoweb() takes them: the ego-alter file (one row per
alter; the ego's own columns come first, up to `Alter Number`) and the alter-pair file
(`EgoID`, `Alter 1 Number`, `Alter 2 Number` and the answers to the pair questions).

On the ego-alter file, key participants gives the ego columns (one row per ego, the first
of its rows) and key members the ego id (format option `id:`, default EgoID), `Alter
Number` and the columns after it. On the
alter-pair file (key member_ties) format options `tie_column:` and `tie_values:` keep the
pairs whose answer is a tie (every pair is exported, tied or not); without them every row
is a tie.
"""

from dataclasses import replace

from illnet.load.problems import Problem
from illnet.load.sources import read_source

ALTER_NUMBER = ("Alter Number", "Alter.Number")  # as exported, and as R's read.csv renames it


def read(spec):
    """The table of one EgoWeb export file for its entry's key."""
    table = read_source(replace(spec, format=""))
    frame = table.frame
    if table.problems:
        return table
    if spec.key == "member_ties":
        column = spec.format_options.get("tie_column")
        if column is not None:
            if column not in frame.columns:
                table.problems.append(Problem(spec.path, 1, str(column), None, "tie_column is not in the file",
                                              "name the alter-pair question that says whether two alters are tied"))
                return table
            values = {str(v).strip().lower() for v in spec.format_options.get("tie_values", [])}
            table.frame = frame[frame[column].fillna("").astype(str).str.strip().str.lower().isin(values)]
        return table
    number = next((c for c in ALTER_NUMBER if c in frame.columns), None)
    if number is None:
        table.problems.append(Problem(spec.path, 1, ALTER_NUMBER[0], None,
                                      "not an EgoWeb ego-alter file: column 'Alter Number' is missing",
                                      "give the ego-alter data file of the EgoWeb export"))
        return table
    ego = str(spec.format_options.get("id", "EgoID"))
    position = list(frame.columns).index(number)
    ego_columns = list(frame.columns[:position])
    if ego not in ego_columns:
        table.problems.append(Problem(spec.path, 1, ego, None, f"the ego id column '{ego}' is not among the ego "
                                      "columns (before 'Alter Number')", "set format: {name: egoweb, id: <column>}"))
        return table
    if spec.key == "participants":
        table.frame = frame[ego_columns].drop_duplicates(subset=[ego], keep="first")
    else:
        table.frame = frame[[ego] + list(frame.columns[position:])]
    return table
