"""YAML for mapping files, loaded strictly: a key given twice in one mapping is an error
(plain YAML keeps the last one without a word), and aliases may not expand a small file
into a huge document (a "billion laughs" file fails at once instead of eating memory).

    data = load(text)   # raises UnsafeYaml (a yaml.YAMLError with a line and a fix)
"""

import yaml

# Nodes the document may hold once every alias is expanded. A mapping file has a few
# hundred; the limit leaves room for very large studies and stops alias bombs at once.
MAX_EXPANDED_NODES = 100_000
MERGE_TAG = "tag:yaml.org,2002:merge"


class UnsafeYaml(yaml.MarkedYAMLError):
    """A YAML document that parses but must not be used; `key_path` and `fix` say where and how."""

    def __init__(self, problem: str, mark, fix: str, key_path: str | None = None):
        super().__init__(problem=problem, problem_mark=mark)
        self.fix, self.key_path = fix, key_path


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and bounds alias expansion."""

    def construct_document(self, node):
        _check_expansion(node)
        self._paths = _mapping_paths(node)
        return super().construct_document(node)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):  # keys as written (before `<<:` merges, which may be overridden)
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == MERGE_TAG:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node)
                except TypeError:  # an unhashable key: SafeLoader reports it below
                    continue
                if first is not key_node:
                    path = ".".join(self._paths.get(id(node), ()) + (str(key),))
                    raise UnsafeYaml(f"key '{key}' appears twice (first at line {first.start_mark.line + 1})",
                                     key_node.start_mark, "keep one of the two lines (YAML would silently "
                                     "use the last one)", path)
        return super().construct_mapping(node, deep=deep)


def load(text: str):
    """Parse one YAML document strictly (see the module docstring)."""
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 (StrictLoader is a SafeLoader)


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_expansion(root) -> None:
    """Count the nodes of the document with every alias expanded (each distinct node is
    visited once; shared nodes count once per use); refuse cycles and huge expansions."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node) -> int:
        ident = id(node)
        if ident in sizes:
            return sizes[ident]
        if ident in active:
            raise UnsafeYaml("an alias refers to the node that contains it (a recursive document)",
                             node.start_mark, "remove the alias (*name) or the anchor (&name)")
        active.add(ident)
        total = 1
        for child in _children(node):
            total += size(child)
            if total > MAX_EXPANDED_NODES:
                raise UnsafeYaml(f"aliases expand the document beyond {MAX_EXPANDED_NODES:,} values",
                                 node.start_mark, "write the values out instead of nesting aliases (*name)")
        active.discard(ident)
        sizes[ident] = total
        return total

    size(root)


def _mapping_paths(root) -> dict[int, tuple[str, ...]]:
    """Key path of every mapping node (for messages), first path where a node is shared."""
    paths: dict[int, tuple[str, ...]] = {}
    stack = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            if id(node) in paths:
                continue
            paths[id(node)] = path
            stack.extend((value, path + (str(key.value),)) for key, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, path) for item in node.value)
    return paths
