"""illnet through a routing URI (neo4j://), as a cluster or AuraDB is reached: the local
single server answers routing requests too, so the same commands and the online loader work
unchanged (issue 15 asks that this is checked; the bulk path needs the managed server's files)."""

import pytest

from illnet.db import Settings
from illnet.queries import cypher, run

pytestmark = pytest.mark.neo4j


def routing(settings) -> Settings:
    return Settings(settings.uri.replace("bolt://", "neo4j://"), settings.user, settings.password,
                    settings.database)


def test_a_routing_uri_reaches_the_same_database(tiny_db, settings):
    via_routing = routing(settings)
    assert via_routing.uri.startswith("neo4j://")
    # tiny_study.cypher by hand: 3 participants, 11 members at wave 0
    assert cypher("MATCH (p:Participant) RETURN count(p) AS n", settings=via_routing)["n"].tolist() == [3]
    sizes = run("network_size", settings=via_routing, wave=0)
    assert sizes["participants"].sum() == 3
