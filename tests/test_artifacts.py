import json

import pytest

from newssift.artifacts import model_dir_writer, read_manifest
from newssift.errors import ModelLoadError


def _write(folder, payload=b"weights", task="topic"):
    with model_dir_writer(folder, {"family": "tfidf", "task": task}) as tmp:
        (tmp / "model.bin").write_bytes(payload)


def test_manifest_lists_checksums_and_verifies(tmp_path):
    folder = tmp_path / "m"
    _write(folder)
    manifest = read_manifest(folder, family="tfidf", task="topic")
    assert set(manifest["files"]) == {"model.bin"}
    assert len(manifest["files"]["model.bin"]) == 64


def test_tampered_missing_wrong_task_and_wrong_family_are_refused(tmp_path):
    folder = tmp_path / "m"
    _write(folder)
    with pytest.raises(ModelLoadError, match="trained for task 'topic', expected 'boilerplate'"):
        read_manifest(folder, task="boilerplate")
    with pytest.raises(ModelLoadError, match="expected 'transformer'"):
        read_manifest(folder, family="transformer")
    (folder / "model.bin").write_bytes(b"weightz")
    with pytest.raises(ModelLoadError, match="checksum mismatch"):
        read_manifest(folder)
    (folder / "model.bin").unlink()
    with pytest.raises(ModelLoadError, match="missing file model.bin"):
        read_manifest(folder)
    with pytest.raises(ModelLoadError, match="not found"):
        read_manifest(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelLoadError, match="no manifest.json"):
        read_manifest(tmp_path / "empty")
    (tmp_path / "empty" / "manifest.json").write_text("{broken")
    with pytest.raises(ModelLoadError, match="unreadable manifest"):
        read_manifest(tmp_path / "empty")


def test_interrupted_write_leaves_previous_model_intact(tmp_path):
    folder = tmp_path / "m"
    _write(folder, b"old")
    with pytest.raises(RuntimeError):
        with model_dir_writer(folder, {"family": "tfidf", "task": "topic"}) as tmp:
            (tmp / "model.bin").write_bytes(b"half")
            raise RuntimeError("killed mid-write")
    assert (folder / "model.bin").read_bytes() == b"old"
    read_manifest(folder)
    assert [p.name for p in tmp_path.iterdir()] == ["m"]  # no temp folders left


def test_rewrite_replaces_old_files(tmp_path):
    folder = tmp_path / "m"
    with model_dir_writer(folder, {"family": "tfidf", "task": "topic"}) as tmp:
        (tmp / "stale.bin").write_bytes(b"x")
    _write(folder, b"new")
    assert not (folder / "stale.bin").exists()
    assert json.loads((folder / "manifest.json").read_text())["files"].keys() == {"model.bin"}
