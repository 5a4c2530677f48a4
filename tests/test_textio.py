import pytest

from mt_toolkit.errors import InputError
from mt_toolkit.textio import atomic_write, check_same_length, read_lines, read_text


def test_reads_utf8_with_bom_and_crlf(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffSatu.\r\nDua.\r\n".encode("utf-8"))
    assert read_lines(path) == ["Satu.", "Dua."]


@pytest.mark.parametrize(
    "content, message",
    [(b"", "is empty"), (b"  \n\n", "is empty"), (b"\x89PNG\r\n\x00\x00", "binary"), ("caf\xe9".encode("latin-1"), "not valid UTF-8")],
)
def test_bad_files_are_refused_clearly(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_text(path)


def test_blank_files_are_data_for_line_files_and_when_asked(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b"  \n\n \n")
    assert read_lines(path, allow_blank=True) == ["  ", "", " "]
    with pytest.raises(InputError, match="only blank lines"):
        read_lines(path)
    assert read_text(path, allow_blank=True) == "  \n\n \n"
    (tmp_path / "zero.txt").write_bytes(b"")
    with pytest.raises(InputError, match="is empty"):
        read_lines(tmp_path / "zero.txt")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


def test_line_count_mismatch_names_both_counts():
    with pytest.raises(InputError, match="a has 2 lines but b has 1"):
        check_same_length(["x", "y"], ["z"], name_a="a", name_b="b")


def test_atomic_write_leaves_old_file_on_failure(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_write(path) as out:
            out.write("half")
            raise RuntimeError("killed")
    assert path.read_text() == "old"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
    with atomic_write(path) as out:
        out.write("new")
    assert path.read_text() == "new"


def test_atomic_write_gives_the_usual_file_mode(tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "report.html") as out:
            out.write("x")
    finally:
        os.umask(umask)
    assert (tmp_path / "report.html").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("where", ["proc", "file-as-folder", "folder"])
def test_unwritable_output_is_a_clean_error(tmp_path, where):
    from mt_toolkit.textio import write_text

    (tmp_path / "a-file").write_text("x")
    (tmp_path / "a-folder").mkdir()
    target = {"proc": "/proc/mt-toolkit-test/out.txt", "file-as-folder": tmp_path / "a-file" / "out.txt",
              "folder": tmp_path / "a-folder"}[where]
    with pytest.raises(InputError, match=r"cannot write .*: ") as err:
        write_text(target, "data")
    assert "\n" not in str(err.value)
    assert (tmp_path / "a-file").read_text() == "x" and list((tmp_path / "a-folder").iterdir()) == []


def test_output_naming_an_input_is_refused(tmp_path):
    from mt_toolkit.textio import refuse_overwriting_inputs

    src = tmp_path / "in.txt"
    src.write_text("x")
    with pytest.raises(InputError, match="is also an input"):
        refuse_overwriting_inputs(tmp_path / "." / "in.txt", [tmp_path / "other.txt", src])
    refuse_overwriting_inputs(tmp_path / "new.txt", [src])
    refuse_overwriting_inputs("-", [src])
