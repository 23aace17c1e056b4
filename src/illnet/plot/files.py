"""Writing figures: the file type follows the suffix (.png, .svg, .pdf)."""

from pathlib import Path

from matplotlib.figure import Figure

from illnet.errors import PlotError

FORMATS = ("png", "svg", "pdf")
DPI = 150


def image_format(path: str | Path) -> str:
    """The format a path's suffix asks for; another suffix is a PlotError."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise PlotError(f"cannot write a picture as {Path(path).name!r}",
                        hint=f"end the file name in {', '.join('.' + f for f in FORMATS)}")
    return suffix


def save(figure: Figure, path: str | Path, dpi: int = DPI) -> Path:
    """Write the figure to `path`, without timestamps: the same data gives the same PNG and
    PDF bytes (an SVG's element ids still vary)."""
    fmt = image_format(path)
    metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    figure.savefig(path, format=fmt, dpi=dpi, metadata=metadata)
    return Path(path)
