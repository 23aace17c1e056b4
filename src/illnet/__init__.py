"""illnet: a Neo4j knowledge base of illness-work networks."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("illnet")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"
