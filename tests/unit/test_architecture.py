"""The import graph of src/illnet: no cycles, and no import from a lower layer to a higher
one (the layers of the README's architecture section). Read from the source with ast, so
imports inside functions count too."""

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
    "illnet": 1,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    prefix = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[prefix]


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
            else:
                continue
            for target in targets:
                if target != name:
                    graph.add_edge(name, target)
    return graph


def test_every_module_has_a_layer():
    assert all(layer(module) for module in imports())


def test_the_import_graph_has_no_cycles():
    assert list(nx.simple_cycles(imports())) == []


@pytest.mark.parametrize("importer, imported", sorted(imports().edges))
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
