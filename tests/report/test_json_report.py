"""result.json: round trip, byte-for-byte determinism, and validity against the published schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from checker.report import dump_json, read_json, write_json
from checker.results import ScanResult, Status

from .sample import sample_result


@pytest.fixture(params=["partial", "complete", "unreachable"])
def result(request) -> ScanResult:
    return sample_result(request.param)


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = ScanResult.model_json_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_round_trip_gives_an_equal_model(result, tmp_path):
    path = tmp_path / "result.json"
    write_json(result, path)
    back = read_json(path)
    assert back == result
    # Hostile and long scraped text survives exactly: JSON is the full record, the HTML the capped view.
    assert back.profiles[0].items == result.profiles[0].items


def test_same_model_gives_identical_bytes(result, tmp_path):
    first, second = tmp_path / "a" / "result.json", tmp_path / "b.json"
    write_json(result, first)
    write_json(sample_result(result.scan.status), second)  # an equal model built afresh
    write_json(result, first)  # and overwriting in place
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == dump_json(result).encode("utf-8")
    assert not list(tmp_path.rglob(".*.tmp")), "temporary file left behind"


def test_file_is_readable_utf8_with_aliases(tmp_path):
    path = tmp_path / "result.json"
    write_json(sample_result(), path)
    raw = path.read_bytes()
    assert raw.endswith(b"}\n") and not raw.endswith(b"\n\n")
    text = raw.decode("utf-8")
    assert "2024年平城区政务公开工作任务分解表" in text
    assert "\\u" not in text  # Chinese kept as is, not escaped
    data = json.loads(text)
    counts = data["profiles"][0]["counts"]
    assert "pass" in counts and "pass_" not in counts
    assert data["scan"]["as_of"] == "2024-11-20"
    assert text.startswith('{\n  "schema_version": "1.1",\n  "tool": ')  # indent=2, field order fixed


def test_json_validates_against_the_published_schema(result, validator, tmp_path):
    path = tmp_path / "result.json"
    write_json(result, path)
    validator.validate(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["profiles"][0]["items"][0].update(status="bad"),
        lambda d: d["profiles"][0]["counts"].update(unexpected=1),
        lambda d: d["scan"].pop("start_url"),
        lambda d: d["profiles"][1].update(score="high"),
    ],
    ids=["unknown-status", "extra-field", "missing-field", "wrong-type"],
)
def test_schema_rejects_broken_documents(validator, mutate):
    data = json.loads(dump_json(sample_result()))
    mutate(data)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)


def test_read_rejects_what_the_schema_rejects(tmp_path):
    data = json.loads(dump_json(sample_result()))
    data["profiles"][0]["items"][0]["status"] = "failed-ish"
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError):
        read_json(path)


def test_unreachable_result_has_no_score_and_keeps_it(tmp_path):
    path = tmp_path / "result.json"
    write_json(sample_result("unreachable"), path)
    back = read_json(path)
    assert [p.score for p in back.profiles] == [None, None]
    assert all(i.status in (Status.UNKNOWN, Status.MANUAL) for p in back.profiles for i in p.items)
