"""Model folders: written atomically, described by a manifest with checksums, verified on load.

A model folder holds the model's files plus ``manifest.json``::

    {"format": "newssift-model", "format_version": 1, "family": "tfidf", "task": "topic",
     "labels": [...], "params": {...}, "files": {"model.skops": "<sha256>", ...}, ...}

:func:`model_dir_writer` writes into a temporary sibling folder and renames it into place only when every file
and the manifest are written, so an interrupted training never leaves a half-written model behind.
:func:`read_manifest` checks that the folder is complete, is for the expected family and task, and that every
file matches the checksum training wrote.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newssift import __version__
from newssift.errors import ModelLoadError

MANIFEST = "manifest.json"
FORMAT = "newssift-model"
FORMAT_VERSION = 1


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


@contextlib.contextmanager
def model_dir_writer(final: str | Path, manifest: dict[str, Any]) -> Iterator[Path]:
    """Yield a temporary folder to write model files into; on success, checksum every file, write the manifest
    and atomically replace ``final``. On error the temporary folder is removed and ``final`` is untouched."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    try:
        yield tmp
        files = {}
        for p in sorted(tmp.rglob("*")):
            if p.is_file() and p.name != MANIFEST:
                files[p.relative_to(tmp).as_posix()] = sha256_file(p)
        full = {"format": FORMAT, "format_version": FORMAT_VERSION, "newssift_version": __version__,
                **manifest, "files": files}
        (tmp / MANIFEST).write_text(json.dumps(full, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        old = None
        if final.exists():
            old = final.with_name(f".{final.name}.old-{os.getpid()}")
            if old.exists():
                shutil.rmtree(old)
            final.rename(old)
        tmp.rename(final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def read_manifest(folder: str | Path, *, family: str | None = None, task: str | None = None,
                  verify: bool = True) -> dict[str, Any]:
    """Read and check a model folder's manifest. Raises :class:`ModelLoadError` with a clear message."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelLoadError(f"{folder}: model folder not found (train it with `dvc repro` first)")
    mpath = folder / MANIFEST
    if not mpath.is_file():
        raise ModelLoadError(f"{folder}: not a newssift model folder (no {MANIFEST})")
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelLoadError(f"{mpath}: unreadable manifest ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ModelLoadError(f"{mpath}: not a newssift model manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ModelLoadError(f"{mpath}: model format version {manifest.get('format_version')} is not supported "
                             f"(this newssift reads version {FORMAT_VERSION}); retrain the model")
    if family is not None and manifest.get("family") != family:
        raise ModelLoadError(f"{folder}: this is a {manifest.get('family')!r} model, expected {family!r}")
    if task is not None and manifest.get("task") != task:
        raise ModelLoadError(f"{folder}: this model was trained for task {manifest.get('task')!r}, "
                             f"expected {task!r}")
    if verify:
        verify_files(folder, manifest)
    return manifest


def verify_files(folder: Path, manifest: dict[str, Any]) -> None:
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise ModelLoadError(f"{folder / MANIFEST}: manifest lists no files")
    for name, digest in files.items():
        path = folder / name
        if not path.is_file():
            raise ModelLoadError(f"{folder}: missing file {name} (listed in {MANIFEST})")
        if sha256_file(path) != digest:
            raise ModelLoadError(f"{path}: checksum mismatch, the file differs from what training wrote "
                                 "(tampered or corrupted); retrain or restore the model")
