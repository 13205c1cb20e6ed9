"""Model folders: written atomically, described by a manifest with checksums, verified on load.

A model folder holds the model's files plus ``manifest.json``::

    {"format": "newssift-model", "format_version": 1, "family": "tfidf", "task": "topic",
     "labels": [...], "params": {...}, "files": {"model.skops": "<sha256>", ...}, ...}

:func:`model_dir_writer` writes into a temporary sibling folder and renames it into place only when every file
and the manifest are written, so an interrupted training never leaves a half-written model behind. A training
killed outright (SIGKILL, power loss) can leave that hidden temporary folder (``.<name>.tmp-<pid>-*``, or
``.<name>.old-<pid>`` if it died between the two renames); it never looks like a model (no manifest at the model's
path, hidden name, ignored by ``.dvcignore``) and the next write of the same model removes it once its process is
gone.

Model files are reproducible: the same model gives the same bytes, so ``dvc.lock`` hashes do not change when a
stage is rerun with the same data and params. skops files would otherwise differ on every save (zip timestamps,
and member names and ids taken from Python object addresses); :func:`make_skops_reproducible` renumbers and
re-stamps them before the checksums are taken.
:func:`read_manifest` checks that the folder is complete, is for the expected family and task, and that every
file matches the checksum training wrote.
"""
from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
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


# .<name>.tmp-<pid>-<random> and .<name>.old-<pid>; .<name>.tmp-<random> from newssift versions before the pid
_STALE_RE = re.compile(r"\.(?P<name>.+)\.(?:tmp-(?P<tmp_pid>\d+)-\w+|tmp-\w+|old-(?P<old_pid>\d+))")


def pid_alive(pid: int) -> bool:
    """True when a process with this id runs on this machine (or when that cannot be told, e.g. on Windows)."""
    if os.name != "posix":  # os.kill(pid, 0) would terminate the process on Windows: assume alive
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def remove_stale_temp_dirs(final: str | Path) -> list[Path]:
    """Remove the temporary siblings that :func:`model_dir_writer` left next to ``final`` when its process was
    killed (``.<name>.tmp-<pid>-*`` and ``.<name>.old-<pid>`` of a process that no longer runs). Folders of a
    writer that is still running are left alone. Returns the removed paths."""
    final = Path(final)
    removed = []
    if not final.parent.is_dir():
        return removed
    for p in final.parent.glob(f".{glob.escape(final.name)}.*"):
        m = _STALE_RE.fullmatch(p.name)
        if m is None or m["name"] != final.name or not p.is_dir():
            continue
        pid = m["tmp_pid"] or m["old_pid"]  # None: an older newssift's folder, its writer is long gone
        if pid is not None and (int(pid) == os.getpid() or pid_alive(int(pid))):
            continue
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    return removed


# a fixed zip timestamp (the zip format's epoch) for reproducible skops files
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

# Attributes that cache a Python object id (meaningless in any other process, different on every run):
# scikit-learn's vectorizers remember ``id(self.stop_words)`` to skip re-validating unchanged stop words.
_OBJECT_ID_ATTRS = {"_stop_words_id"}


def _drop_object_ids(node: dict) -> None:
    if node.get("__loader__") != "ObjectNode" or not str(node.get("__module__", "")).startswith("sklearn."):
        return
    state = node.get("content")
    if isinstance(state, dict) and state.get("__loader__") == "DictNode" and isinstance(state.get("content"), dict):
        for attr in _OBJECT_ID_ATTRS:
            state["content"].pop(attr, None)


def make_skops_reproducible(path: str | Path) -> None:
    """Rewrite a skops file in place so that the same model always gives the same bytes.

    skops names the arrays in its zip after Python object ids (memory addresses) and stamps members with the
    current time, and scikit-learn's vectorizers cache an object id (``_stop_words_id``). Here every node
    ``__id__`` and array file is renumbered in schema order (a bijection, so shared objects stay shared), cached
    object ids are dropped (scikit-learn recomputes them), and every member gets a fixed timestamp and attributes.
    The result loads and predicts exactly like the original."""
    path = Path(path)
    if not zipfile.is_zipfile(path):  # not a skops file: nothing to normalise (loading will refuse it)
        return
    with zipfile.ZipFile(path) as zin:
        if "schema.json" not in zin.namelist():
            return
        infos = zin.infolist()
        schema = json.loads(zin.read("schema.json"))
        ids: dict[int, int] = {}
        names: dict[str, str] = {}

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if isinstance(node.get("__loader__"), str):  # a skops node (not a dict of user keys)
                    _drop_object_ids(node)
                    if isinstance(node.get("__id__"), int) and not isinstance(node["__id__"], bool):
                        node["__id__"] = ids.setdefault(node["__id__"], len(ids) + 1)
                    if isinstance(node.get("file"), str):
                        old = node["file"]
                        node["file"] = names.setdefault(old, f"{len(names) + 1:06d}{Path(old).suffix}")
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(schema)
        members = []
        for info in infos:
            if info.filename == "schema.json":
                members.append(("schema.json", json.dumps(schema, indent=2).encode("utf-8"), info.compress_type))
            else:
                if info.filename not in names:
                    raise ValueError(f"{path}: member {info.filename} is not referenced by the schema")
                members.append((names[info.filename], zin.read(info), info.compress_type))
    members.sort(key=lambda m: (m[0] == "schema.json", m[0]))
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with zipfile.ZipFile(tmp, "w") as zout:
            for name, data, compress_type in members:
                zi = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
                zi.compress_type = compress_type
                zi.create_system = 3
                zi.external_attr = 0o644 << 16
                zout.writestr(zi, data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def model_dir_writer(final: str | Path, manifest: dict[str, Any]) -> Iterator[Path]:
    """Yield a temporary folder to write model files into; on success, make skops files reproducible, checksum
    every file, write the manifest and atomically replace ``final``. On error the temporary folder is removed and
    ``final`` is untouched. Temporary folders left by a killed earlier writer of ``final`` are removed first."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_dirs(final)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-{os.getpid()}-", dir=final.parent))
    try:
        yield tmp
        for p in sorted(tmp.rglob("*.skops")):
            make_skops_reproducible(p)
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
    """Check that ``folder`` holds exactly the files its manifest lists, each with the checksum training wrote.

    A file the manifest does not list is refused too: loaders (transformers' ``from_pretrained`` in particular)
    pick files up by name, and nothing unverified may be loaded."""
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise ModelLoadError(f"{folder / MANIFEST}: manifest lists no files")
    for name, digest in files.items():
        parts = Path(str(name)).parts
        if not isinstance(digest, str) or not parts or Path(str(name)).is_absolute() or ".." in parts \
                or name == MANIFEST:
            raise ModelLoadError(f"{folder / MANIFEST}: bad file entry {name!r} in the manifest")
        path = folder / name
        if not path.is_file():
            raise ModelLoadError(f"{folder}: missing file {name} (listed in {MANIFEST})")
        if sha256_file(path) != digest:
            raise ModelLoadError(f"{path}: checksum mismatch, the file differs from what training wrote "
                                 "(tampered or corrupted); retrain or restore the model")
    extra = sorted(rel for p in folder.rglob("*") if not p.is_dir()
                   and (rel := p.relative_to(folder).as_posix()) != MANIFEST and rel not in files)
    if extra:
        shown = ", ".join(extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
        raise ModelLoadError(f"{folder}: holds files that training did not write ({shown}); they are not covered "
                             "by the manifest's checksums: remove them, or retrain or restore the model")
