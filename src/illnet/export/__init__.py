"""A loaded study out to other tools: files (`illnet export STUDY --to FORMAT`) and graphs.

    from illnet.export import to_networkx, to_igraph
    g = to_networkx("three", participant="E1", wave=0)
"""


def __getattr__(name):  # networkx and igraph are imported only when asked for
    if name in ("to_networkx", "to_igraph"):
        from illnet.export import graphs

        return getattr(graphs, name)
    raise AttributeError(name)
