from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import yaml

from servicescore.definitions import Instrument, load_instrument


def test_version_is_twelve_hex_characters(surveys_dir: Path) -> None:
    assert re.fullmatch(r"[0-9a-f]{12}", load_instrument(surveys_dir / "guided-tour.yaml").version)


def test_reformatting_the_yaml_keeps_the_version(surveys_dir: Path, tmp_path: Path) -> None:
    original = load_instrument(surveys_dir / "employee-pulse.yaml")
    document = yaml.safe_load((surveys_dir / "employee-pulse.yaml").read_text(encoding="utf-8"))
    # Other key order, flow style, no comments, anchors expanded: the same content.
    flow = tmp_path / "flow.yaml"
    flow.write_text(yaml.safe_dump(document, default_flow_style=True, sort_keys=True, allow_unicode=True))
    as_json = tmp_path / "json.yaml"
    as_json.write_text(json.dumps(document, indent=4))
    assert load_instrument(flow).version == original.version
    assert load_instrument(as_json).version == original.version


def test_writing_a_default_out_keeps_the_version(surveys_dir: Path, tmp_path: Path) -> None:
    original = load_instrument(surveys_dir / "guided-tour.yaml")
    text = (surveys_dir / "guided-tour.yaml").read_text(encoding="utf-8")
    explicit = tmp_path / "explicit.yaml"
    explicit.write_text(text.replace("      - id: pace\n", "      - id: pace\n        weight: 1\n", 1))
    assert explicit.read_text() != text
    assert load_instrument(explicit).version == original.version


def test_changing_a_text_or_a_weight_makes_a_new_version(surveys_dir: Path, tmp_path: Path) -> None:
    source = surveys_dir / "guided-tour.yaml"
    original = load_instrument(source).version
    text = source.read_text(encoding="utf-8")
    edited = tmp_path / "edited.yaml"
    edited.write_text(text.replace("Hur upplevde du mottagandet?", "Hur upplevde du välkomnandet?"))
    reweighted = tmp_path / "reweighted.yaml"
    reweighted.write_text(text.replace("      - id: pace\n", "      - id: pace\n        weight: 3\n", 1))
    versions = {original, load_instrument(edited).version, load_instrument(reweighted).version}
    assert len(versions) == 3


def test_canonical_json_round_trips_to_the_same_version(surveys_dir: Path) -> None:
    for path in sorted(surveys_dir.glob("*.yaml")):
        instrument = load_instrument(path)
        restored = Instrument.model_validate_json(instrument.canonical_json())
        assert restored == instrument
        assert restored.version == instrument.version
        assert hashlib.sha256(instrument.canonical_json().encode()).hexdigest()[:12] == instrument.version
