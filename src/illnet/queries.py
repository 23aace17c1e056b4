"""The public Python API for notebooks and scripts (imported on first use):

    from illnet import queries
    queries.run("network_size", study="nwe")                 # a canned query, by name
    queries.cypher("MATCH (p:Participant) RETURN count(p) AS n")   # ad hoc, read-only
    queries.run_job("bridging_members", study="nwe")         # a graph-algorithm job

Each returns a pandas DataFrame (see illnet.query.runner and illnet.query.algorithms).
"""

__all__ = ["cypher", "run", "run_job"]  # noqa: F822 (reached lazily through __getattr__)


def __getattr__(name):
    if name in ("cypher", "run"):
        from illnet.query import runner

        return getattr(runner, name)
    if name == "run_job":
        from illnet.query import algorithms

        return algorithms.run_job
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
