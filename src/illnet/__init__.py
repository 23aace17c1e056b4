"""illnet: a Neo4j knowledge base of illness-work networks."""


def __getattr__(name):
    """`illnet.__version__` (read from the installed metadata on first use: importlib.metadata
    costs every command's start-up otherwise) and `illnet.gds()` (defined in illnet.notebook),
    imported only when used."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("illnet")
        except PackageNotFoundError:  # running from a source tree without installation
            found = "0.0.0"
        globals()["__version__"] = found
        return found
    if name == "gds":
        import importlib

        return importlib.import_module("illnet.notebook").gds
    raise AttributeError(f"module 'illnet' has no attribute {name!r}")
