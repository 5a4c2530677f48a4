"""Corpus readers and writers: every record once, byte offsets a resumed read can start from."""

import csv
import io
import json

import pytest

from mt_toolkit.corpus import corpus_files, detect_format, read_records, render_record
from mt_toolkit.errors import InputError
from mt_toolkit.translate.base import Hop


@pytest.mark.parametrize("fmt, content, field, texts", [
    ("txt", "Kami siap.\n\nDia pergi.", None, ["Kami siap.", "", "Dia pergi."]),
    ("jsonl", '{"id": 1, "body": "Satu."}\n\n{"id": 2, "body": null}\n', "body", ["Satu.", ""]),
    ("csv", 'id,text\n1,"Baris satu.\nBaris dua, dengan koma."\n2,Dua.\n', None, ["Baris satu.\nBaris dua, dengan koma.", "Dua."]),
    ("tsv", 'id\ttext\n1\tSatu "kutipan".\n2\tDua.\n', None, ['Satu "kutipan".', "Dua."]),
])
def test_records_stream_with_offsets_a_resumed_read_can_start_from(tmp_path, fmt, content, field, texts):
    path = tmp_path / f"corpus.{fmt}"
    path.write_bytes(content.encode("utf-8"))
    records = list(read_records(path, fmt=fmt, field=field))
    assert [r.text for r in records] == texts
    assert [r.index for r in records] == list(range(len(texts)))
    assert records[-1].end_offset == path.stat().st_size
    for k, record in enumerate(records[:-1]):  # resuming after any record yields exactly the rest
        rest = list(read_records(path, fmt=fmt, field=field, start_offset=record.end_offset, start_index=k + 1))
        assert rest == records[k + 1:]


def test_bad_records_say_where_and_what_to_do(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "ok"}\n{"body": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"record 2 has no field 'text'.*--field"):
        list(read_records(path, fmt="jsonl"))
    path.write_text('{"text": "ok"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(InputError, match="record 2 is a JSON list"):
        list(read_records(path, fmt="jsonl"))
    table = tmp_path / "a.csv"
    table.write_text("id,body\n1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column 'text'.*columns: id, body"):
        list(read_records(table, fmt="csv"))
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="is empty"):
        list(read_records(empty, fmt="txt"))
    latin = tmp_path / "l.txt"
    latin.write_bytes("caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not valid UTF-8"):
        list(read_records(latin, fmt="txt"))
    with pytest.raises(InputError, match=r"name it \.txt, \.jsonl, \.csv or \.tsv$"):
        detect_format(tmp_path / "x.docx")


def test_records_keep_every_field_and_gain_the_translation(tmp_path):
    hop = Hop("id", "en", "Satu.", "One.", "m", "r1", "ctranslate2", "int8", 4, -0.5)
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": 7, "text": "Satu.", "meta": {"k": [1]}}\n', encoding="utf-8")
    record = next(read_records(path, fmt="jsonl"))
    out = json.loads(render_record(record, "One.", (hop,), fmt="jsonl", field=None, tgt_lang="en"))
    assert out["id"] == 7 and out["meta"] == {"k": [1]} and out["text"] == "Satu."
    assert out["text_en"] == "One."
    assert out["text_en_hops"][0]["model"] == "m" and out["text_en_hops"][0]["score"] == -0.5

    table = tmp_path / "a.csv"
    table.write_text('id,text\n1,"Satu, dua."\n', encoding="utf-8")
    row = next(read_records(table, fmt="csv"))
    line = render_record(row, 'One, "two".', (hop,), fmt="csv", field="text", tgt_lang="en")
    assert next(csv.reader(io.StringIO(line))) == ["1", "Satu, dua.", 'One, "two".']


def test_folders_are_searched_for_corpus_files(tmp_path):
    (tmp_path / "a").mkdir()
    for name in ("a/x.jsonl", "b.txt", "c.csv", "notes.md", ".hidden.txt"):
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in corpus_files(tmp_path)] == ["a/x.jsonl", "b.txt", "c.csv"]
