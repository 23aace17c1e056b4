"""`illnet.gds()`: the Graph Data Science Python client on illnet's own connection settings
(command-line style arguments, then NEO4J_* variables, then the managed server)."""

from illnet.db import Settings


def gds(settings: Settings | None = None, **kwargs):
    """A `graphdatascience.GraphDataScience` client for the database every illnet command uses.
    Keyword arguments (uri, user, password, database) override the resolved settings."""
    from graphdatascience import GraphDataScience

    base = settings or Settings()
    resolved = Settings(kwargs.get("uri", base.uri), kwargs.get("user", base.user),
                        kwargs.get("password", base.password), kwargs.get("database", base.database)).resolved()
    return GraphDataScience(resolved.uri, auth=(resolved.user, resolved.password), database=resolved.database)
