"""The canned query library and algorithm jobs (illnet.queries).

Python API for notebooks: `run("name", study=...)` and `cypher("MATCH ...", **params)`
return pandas DataFrames (see illnet.queries.runner; imported on first use).
"""

__all__ = ["cypher", "run"]


def __getattr__(name):
    if name in __all__:
        from illnet.queries import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
