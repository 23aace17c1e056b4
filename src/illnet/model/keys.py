"""Node keys: the ids that identify a study node, joined into one string that cannot
collide. Each id is escaped ('%' -> '%25', then '|' -> '%7C') before the ids are joined
with '|', so a '|' inside an id never reads as the separator: participant 'P1|M1' with
member 'X' and participant 'P1' with member 'M1|X' get different keys. Ids without '%'
or '|' keep the plain form 'study|participant|member' (migration 004 rewrote older keys)."""

SEPARATOR = "|"


def escape(component) -> str:
    """One id as it appears in a key (the same rule as migration 004's Cypher)."""
    return str(component).replace("%", "%25").replace(SEPARATOR, "%7C")


def node_key(*ids) -> str:
    """The key of a node identified by `ids` (study first), e.g. node_key('s', 'P1', 'M1')."""
    return SEPARATOR.join(escape(component) for component in ids)
