from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from servicescore.definitions import ITEM_TYPES, json_schema


def _discriminators(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node["discriminator"]] if "discriminator" in node else []
        return found + [d for value in node.values() for d in _discriminators(value)]
    if isinstance(node, list):
        return [d for value in node for d in _discriminators(value)]
    return []


def test_schema_names_every_item_type() -> None:
    schema = json_schema()
    (items,) = _discriminators(schema)
    assert items["propertyName"] == "type"
    assert sorted(items["mapping"]) == sorted(ITEM_TYPES)
    assert schema["required"] == ["id", "kind", "title", "sections"]
    json.dumps(schema)  # it is plain JSON


def test_shipped_files_satisfy_the_schema_and_typos_do_not(surveys_dir: Path) -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    document = yaml.safe_load((surveys_dir / "visitor-survey.yaml").read_text(encoding="utf-8"))
    validator.validate(document)
    document["kinds"] = "survey"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)
