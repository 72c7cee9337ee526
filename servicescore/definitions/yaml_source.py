"""Reading YAML strictly: safe types only, and a key written twice is an error instead of a silent overwrite."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, SequenceNode


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


def shown_path(path: Path) -> str:
    """The path as the user will recognise it: relative to the working directory when inside it."""
    if path.is_absolute():
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)
    return str(path)


@dataclass(frozen=True)
class YamlFile:
    """A definition file as read: its text (for line numbers) and document, or the problems that stopped it."""

    text: str = ""
    document: object = None
    problems: tuple[str, ...] = ()


def read_yaml_file(path: Path) -> YamlFile:
    """Read and parse one definition file; every failure becomes a `file: where: message` line."""
    shown = shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return YamlFile(problems=(f"{shown}: (file): file not found; check the path",))
    except UnicodeDecodeError as error:
        return YamlFile(problems=(f"{shown}: (file): not UTF-8 text (byte {error.start}); save the file as UTF-8",))
    except OSError as error:
        return YamlFile(problems=(f"{shown}: (file): cannot be read ({error.strerror})",))
    try:
        return YamlFile(text=text, document=parse_yaml(text))
    except yaml.YAMLError as error:
        where, what = describe_yaml_error(error)
        return YamlFile(problems=(f"{shown}: {where}: {what}",))


def describe_yaml_error(error: yaml.YAMLError) -> tuple[str, str]:
    """(where, what) for a YAML error: ``line 3, column 5`` and the parser's complaint."""
    mark = getattr(error, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "(top level)"
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    return where, f"invalid YAML: {problem}" + (f" ({context})" if context else "")


def line_of(text: str, loc: tuple[str | int, ...]) -> int | None:
    """The line (1-based) where ``loc`` is written in ``text``, or its nearest written parent's line."""
    try:
        node: Node | None = yaml.compose(text, Loader=_StrictLoader)
    except yaml.YAMLError:
        return None
    line = None if node is None else node.start_mark.line + 1
    for part in loc:
        node = _child(node, part)
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _child(node: Node | None, part: str | int) -> Node | None:
    if isinstance(node, MappingNode):
        return next((value for key, value in node.value if key.value == part), None)
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        child: Node = node.value[part]
        return child
    return None
