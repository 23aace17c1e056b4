"""The Neo4j Browser style sheet (GRASS) of the illnet graph, and the tie-class labels it needs.

GRASS styles nodes by label only, so a member's tie class is shown through a secondary
label next to :NetworkMember (one per tie_class code, see TIE_CLASS_LABELS). The style
sheet itself is the data file illnet/browser/illnet.grass.
"""

from importlib.resources import files

from illnet import model

GRASS_FILE = "illnet.grass"

# tie_class code (schema/vocabularies.yaml) -> secondary label of the NetworkMember.
TIE_CLASS_LABELS: dict[str, str] = model.tie_class_labels()


def grass_text() -> str:
    """The text of the illnet style sheet."""
    return files("illnet").joinpath("browser", GRASS_FILE).read_text(encoding="utf-8")
