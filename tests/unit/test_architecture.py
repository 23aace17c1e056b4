"""The import graph of src/illnet: no cycles, and no import from a lower layer to a higher
one (the layers of the README's architecture section). Read from the source with ast, so
imports inside functions count too, and so do `importlib.import_module("illnet...")` calls
with a literal name. Every module must fall under a prefix of LAYERS.

One exception, by design: the package's public facade (src/illnet/__init__.py, layer 1 as
everything imports its __version__) reaches `illnet.gds()` in illnet.notebook lazily, inside
a function (FACADE); it is left out of the layer and cycle checks, and nothing else may."""

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

# Module prefix -> layer (higher imports lower, never the reverse). The longest prefix wins.
LAYERS = {
    "illnet.cli": 4, "illnet.__main__": 4,
    "illnet.queries": 3, "illnet.load": 3, "illnet.query": 3, "illnet.synth": 3, "illnet.browser": 3,
    "illnet.examples": 3, "illnet.release": 3, "illnet.docker": 3, "illnet.export": 3, "illnet.plot": 3,
    "illnet.report": 3, "illnet.notebook": 3,
    "illnet.db": 2, "illnet.server": 2,
    "illnet.model": 1, "illnet.content": 1, "illnet.managed": 1, "illnet.errors": 1, "illnet.values": 1,
    "illnet": 1,  # the package's __init__ only (exact match)
}
FACADE = {("illnet", "illnet.notebook")}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int | None:
    """The layer of a module (None when no prefix of LAYERS covers it)."""
    prefixes = [p for p in LAYERS if module == p or (p != "illnet" and module.startswith(p + "."))]
    return LAYERS[max(prefixes, key=len)] if prefixes else None


def imports() -> nx.DiGraph:
    """importer -> imported, for every illnet module importing another."""
    graph = nx.DiGraph()
    modules = {module_name(path): path for path in SRC.rglob("*.py")}
    for name, path in modules.items():
        graph.add_node(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("illnet"):
                targets = [f"{node.module}.{alias.name}" for alias in node.names]
                targets = [t if t in modules else node.module for t in targets]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names if alias.name.startswith("illnet")]
            elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
                  and node.args and isinstance(node.args[0], ast.Constant)
                  and str(node.args[0].value).startswith("illnet")):
                targets = [node.args[0].value]
            else:
                continue
            for target in targets:
                if target != name:
                    graph.add_edge(name, target)
    return graph


def layered() -> nx.DiGraph:
    """The import graph without the facade's lazy imports."""
    graph = imports()
    assert FACADE <= set(graph.edges), "the facade edge moved: update FACADE"
    graph.remove_edges_from(FACADE)
    return graph


def test_every_module_has_a_layer():
    assert [module for module in imports() if layer(module) is None] == []


def test_the_import_graph_has_no_cycles():
    assert list(nx.simple_cycles(layered())) == []


@pytest.mark.parametrize("importer, imported", sorted(layered().edges))
def test_no_import_runs_upward(importer, imported):
    assert layer(importer) >= layer(imported), f"{importer} (layer {layer(importer)}) imports {imported} (layer {layer(imported)})"


def test_the_server_imports_no_query_or_browser_code_and_the_database_module_no_server_code():
    graph = imports()
    for importer, imported in graph.edges:
        if importer.startswith("illnet.server"):
            assert not imported.startswith(("illnet.query", "illnet.browser")), (importer, imported)
        if importer == "illnet.db":
            assert not imported.startswith("illnet.server"), (importer, imported)


def test_the_writer_imports_nothing_of_the_browser():
    assert not any(imported.startswith("illnet.browser") for imported in imports().successors("illnet.load.writer"))
