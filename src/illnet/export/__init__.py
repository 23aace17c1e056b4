"""A loaded study out to other tools: files (`illnet export STUDY --to FORMAT --out PATH`)
and graphs for notebooks.

    from illnet.export import to_networkx, to_igraph
    g = to_networkx("three", participant="E1", wave=0)

FORMATS maps each `--to` name to a function `(study, out, settings, wave=None, pooled=False)
-> list[str]` that writes the format and returns what to tell the user. A new format is one
module here and one entry in FORMATS; the command's choice list is read from it.
"""

import importlib


def _members(study, out, settings, wave=None, pooled=False, min_count=None) -> list[str]:
    """The member-level table for multilevel models (illnet.export.members), one file;
    released (participant and member ids pseudonymised) when a threshold applies."""
    from illnet.export import members
    from illnet.release import threshold_for

    release = threshold_for(study, min_count, settings) is not None
    table = members.export(study, out, settings=settings, wave=wave, release=release)
    return [f"wrote {len(table)} rows x {len(table.columns)} columns to {out}"
            + (" (ids pseudonymised for release)" if release else "")]


def _study_files(fmt: str):
    """A format written by module illnet.export.<fmt> from the study's graph, into a folder
    with a mapping.yaml that `illnet load` reads back into the same graph."""
    def write(study, out, settings, wave=None, pooled=False, min_count=None) -> list[str]:
        from illnet.errors import ExportError
        from illnet.export.study import read_study_graph
        from illnet.release import threshold_for

        if threshold_for(study, min_count, settings):
            raise ExportError(f"--to {fmt} writes every participant's network with its ids, which a release "
                              "may not hold", hint="release the member table (--to members --release), or load "
                                                   "the study with --pseudonymise so that no raw id is in the graph")

        data = read_study_graph(study, settings)
        module = importlib.import_module(f"illnet.export.{fmt}")
        written = module.write(data, out, pooled=pooled) if fmt == "graphml" else module.write(data, out)
        lines = [f"study '{study}' written as {fmt}: " + ", ".join(str(path) for path in written)]
        left_out = {name: count for name, count in data.left_out.items() if count}
        if left_out:
            lines.append("not exported (no place for them in these formats): "
                         + ", ".join(f"{count} {name}" for name, count in left_out.items()))
        return lines
    return write


FORMATS = {"members": _members, "egor": _study_files("egor"), "graphml": _study_files("graphml"),
           "parquet": _study_files("parquet")}


def __getattr__(name):  # networkx and igraph are imported only when asked for
    if name in ("to_networkx", "to_igraph"):
        from illnet.export import graphs

        return getattr(graphs, name)
    raise AttributeError(name)
