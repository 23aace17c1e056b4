"""Colours of illnet's pictures: tie classes as Neo4j Browser shows them (read from the
illnet style sheet, so a member has one colour everywhere), the rings and the participant."""

import re
from functools import cache

from matplotlib.colors import to_hex, to_rgb

from illnet import model
from illnet.browser.style import TIE_CLASS_LABELS, grass_text

UNKNOWN = ("#A5ABB6", "#808791")   # a member whose tie class is not recorded (the style sheet's default)
PARTICIPANT = ("#F79767", "#C45C2E")
RING_DARKEST, RING_LIGHTEST = "#C9DAEA", "#F1F5FA"   # innermost and outermost ring
UNPLACED_RING = "#FFFFFF"
TIE_LINE = "#6B7280"
LEADER_LINE = "#9AA1AC"
_COLOUR = re.compile(r"(?<![-\w])color:\s*(#[0-9A-Fa-f]{6})")
_BORDER = re.compile(r"border-color:\s*(#[0-9A-Fa-f]{6})")


@cache
def tie_classes() -> dict[str, tuple[str, str, str]]:
    """tie_class code -> (label, fill, border), in the vocabulary's order."""
    text = grass_text()
    out = {}
    for code, attributes in model.vocabulary("tie_class").items():
        block = re.search(rf"node\.{TIE_CLASS_LABELS[code]}\s*\{{([^}}]*)\}}", text).group(1)
        out[code] = (attributes["label"], _COLOUR.search(block).group(1), _BORDER.search(block).group(1))
    return out


def tie_class_fill(code: str | None) -> str:
    """Fill colour of a member of this tie class (grey when unknown or not recorded)."""
    return tie_classes()[code][1] if code in tie_classes() else UNKNOWN[0]


def tie_class_border(code: str | None) -> str:
    """Edge colour of a member of this tie class."""
    return tie_classes()[code][2] if code in tie_classes() else UNKNOWN[1]


def ring_fills(count: int) -> list[str]:
    """Fill colours of `count` rings, darkest innermost."""
    dark, light = to_rgb(RING_DARKEST), to_rgb(RING_LIGHTEST)
    steps = [i / (count - 1) if count > 1 else 0.0 for i in range(count)]
    return [to_hex(tuple(d + (l - d) * t for d, l in zip(dark, light))) for t in steps]
