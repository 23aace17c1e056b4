"""The Neo4j Browser style sheet (GRASS) of the illnet graph, and the tie-class labels it needs.

GRASS styles nodes by label only, so a member's tie class is shown through a secondary
label next to :NetworkMember (one per tie_class code, see TIE_CLASS_LABELS). The style
sheet itself is the data file illnet/browser/illnet.grass. `grass_json` gives the same rules
as one line of JSON, the form the Browser's `:style` command also takes inline (see serve).
"""

import json
import re
from importlib.resources import files

from illnet import model

GRASS_FILE = "illnet.grass"

# tie_class code (schema/vocabularies.yaml) -> secondary label of the NetworkMember.
TIE_CLASS_LABELS: dict[str, str] = model.tie_class_labels()


def grass_text() -> str:
    """The text of the illnet style sheet."""
    return files("illnet").joinpath("browser", GRASS_FILE).read_text(encoding="utf-8")


_RULE = re.compile(r'^([\w.]+)\s*\{((?:"[^"]*"|[^}"])*)\}', flags=re.MULTILINE)  # braces in quotes stay
_PROPERTY = re.compile(r'([\w-]+)\s*:\s*(?:"([^"]*)"|([^;]*?))\s*;')


def grass_rules(text: str | None = None) -> dict[str, dict[str, str]]:
    """The style sheet as {selector: {property: value}}, quotes around values dropped (as the
    Browser reads it)."""
    return {selector: {name: quoted or bare for name, quoted, bare in _PROPERTY.findall(body)}
            for selector, body in _RULE.findall(text or grass_text())}


def grass_json() -> str:
    """The style sheet as one line of JSON (no semicolons), for an inline `:style` command."""
    return json.dumps(grass_rules(), separators=(",", ":"))
