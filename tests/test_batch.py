"""Batch screening I/O per shared/SCREENING.md: order, error lines, unicode,
empty and huge input. Unit tests of the line handling, then the real command."""

import json
import subprocess
import sys

import pytest

from nlu.batch import MAX_TEXT_CHARS, screen_lines


def _length_screen(texts):
    """Screens by text length: enough to see order and pairing in the unit tests."""
    return [{"language": None, "indicators": [], "risk": "high" if len(t) > 5 else "none",
             "handoff": len(t) > 5} for t in texts]


@pytest.mark.parametrize(
    "line, expected",
    [
        ('{"id": "a", "text": "hello there"}', {"id": "a", "risk": "high"}),
        ('{"id": 7, "text": "hi"}', {"id": 7, "risk": "none"}),
        ("not json", {"id": None, "error": "line is not valid JSON (Expecting value)"}),
        ('{"id": "b"}', {"id": "b", "error": 'missing "text"'}),
        ('{"id": "c", "text": 42}', {"id": "c", "error": '"text" must be a string, not int'}),
        ('{"id": "d", "text": null}', {"id": "d", "error": '"text" must be a string, not NoneType'}),
        ('["id", "text"]', {"id": None}),
        ("", {"id": None, "error": "empty line"}),
        ('{"text": "no id given"}', {"id": None, "risk": "high"}),
    ],
)
def test_one_line(line, expected):
    [result] = list(screen_lines([line], _length_screen))
    for key, value in expected.items():
        assert result[key] == value
    assert ("error" in result) != ("risk" in result)


def test_order_is_kept_across_batches_and_errors():
    lines = []
    for i in range(1000):
        lines.append(json.dumps({"id": i, "text": "x" * (i % 11)}) if i % 7 else "{broken")
    results = list(screen_lines(lines, _length_screen, batch_size=64))
    assert len(results) == 1000
    for i, result in enumerate(results):
        if i % 7:
            assert result["id"] == i and result["risk"] == ("high" if i % 11 > 5 else "none")
        else:
            assert "error" in result


def test_other_keys_are_ignored_and_long_texts_are_cut():
    seen = []

    def spy(texts):
        seen.extend(texts)
        return _length_screen(texts)

    [result] = list(screen_lines([json.dumps({"id": "x", "text": "y" * (MAX_TEXT_CHARS + 5), "lang": "??"})], spy))
    assert set(result) == {"id", "language", "indicators", "risk", "handoff"}
    assert len(seen[0]) == MAX_TEXT_CHARS


# -- the real command -----------------------------------------------------------

INPUT_LINES = [
    json.dumps({"id": "m1", "text": "Chefen har taget mit pas og siger jeg skylder 40.000 kr"}, ensure_ascii=False),
    "this is not json",
    json.dumps({"id": "m3", "text": "นายจ้างยึดพาสปอร์ตของฉัน"}, ensure_ascii=False),
    json.dumps({"id": "m4"}),
    json.dumps({"id": "m5", "text": "🙏"}),
    json.dumps({"id": "m6", "text": "<script>alert(1)</script>'; DROP TABLE messages; --"}),
    json.dumps({"id": "m7", "text": "ok"}),
    json.dumps({"id": "m8", "text": "он " * 200_000}, ensure_ascii=False),
    json.dumps({"id": "m9", "text": ""}),
    None,  # raw binary bytes, written below
]
BINARY_LINE = b"\x00\x01binary\xff\xfe"


@pytest.mark.integration
def test_screen_command_follows_the_contract(tmp_path, trained_model):
    source = tmp_path / "in.jsonl"
    target = tmp_path / "out.jsonl"
    source.write_bytes(b"\n".join(line.encode("utf-8") if line is not None else BINARY_LINE
                                   for line in INPUT_LINES) + b"\n")
    completed = subprocess.run([sys.executable, "-m", "bot.cli", "screen", str(source), str(target)],
                               capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-2000:]
    results = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(results) == len(INPUT_LINES)
    assert [r["id"] for r in results] == ["m1", None, "m3", "m4", "m5", "m6", "m7", "m8", "m9", None]
    assert results[0]["language"] == "da" and "document_retention" in results[0]["indicators"]
    assert results[0]["risk"] == "high" and results[0]["handoff"] is True
    assert results[2]["language"] == "th" and results[2]["risk"] in ("high", "immediate")
    for index in (1, 3, 9):
        assert results[index]["error"]
    for index in (4, 6, 8):
        assert results[index]["language"] is None and results[index]["risk"] == "none"
    assert results[7]["language"] in ("bg", "uk") or results[7]["language"] is None


@pytest.mark.integration
def test_screen_reads_stdin_and_writes_stdout(trained_model):
    completed = subprocess.run([sys.executable, "-m", "bot.cli", "screen"], input="", capture_output=True,
                               text=True, timeout=600)
    assert completed.returncode == 0 and completed.stdout == ""
    line = json.dumps({"id": "s1", "text": "my boss keeps my passport and I owe him for the flight"})
    completed = subprocess.run([sys.executable, "-m", "bot.cli", "screen"], input=line + "\n",
                               capture_output=True, text=True, timeout=600)
    [result] = [json.loads(x) for x in completed.stdout.splitlines()]
    assert result["id"] == "s1" and result["risk"] == "high" and result["language"] == "en"


def test_screen_command_with_missing_file_says_so(tmp_path):
    completed = subprocess.run([sys.executable, "-m", "bot.cli", "screen", str(tmp_path / "nope.jsonl")],
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 2 and "does not exist" in completed.stderr
