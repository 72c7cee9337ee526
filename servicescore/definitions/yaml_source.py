"""Reading YAML strictly: safe types only, and a key written twice is an error instead of a silent overwrite."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode


class _StrictLoader(yaml.SafeLoader):
    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ConstructorError(
                    None, None, f"duplicate key {key!r}; each key may appear once in a mapping", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str) -> object:
    """The document in ``text``; raises yaml.MarkedYAMLError with a line and column when it is not valid YAML."""
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - _StrictLoader is a SafeLoader


def describe_yaml_error(error: yaml.YAMLError) -> tuple[str, str]:
    """(where, what) for a YAML error: ``line 3, column 5`` and the parser's complaint."""
    mark = getattr(error, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "(top level)"
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    return where, f"invalid YAML: {problem}" + (f" ({context})" if context else "")
