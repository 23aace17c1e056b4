"""Exports of a study's graph to files (`illnet export STUDY --to FORMAT --out FILE`).

FORMATS maps each `--to` name to the function that writes it: `(study, out, settings, driver,
**options) -> pandas.DataFrame` (the rows written). A new format is one module here and one
entry in FORMATS; the command's choice list is read from it.
"""

from illnet.export import members

FORMATS = {
    "members": members.export,
}
