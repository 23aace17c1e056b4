"""illnet: a Neo4j knowledge base of illness-work networks."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("illnet")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"


def __getattr__(name):
    """`illnet.gds()` (defined in illnet.notebook), imported only when used."""
    if name == "gds":
        import importlib

        return importlib.import_module("illnet.notebook").gds
    raise AttributeError(f"module 'illnet' has no attribute {name!r}")
