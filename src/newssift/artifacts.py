"""Model folders: written atomically, described by a manifest with checksums, verified on load.

A model folder holds the model's files plus ``manifest.json``::

    {"format": "newssift-model", "format_version": 1, "family": "tfidf", "task": "topic",
     "labels": [...], "params": {...}, "files": {"model.safetensors": "<sha256>", ...}, ...,
     "manifest_sha256": "<sha256 of the manifest without this field>"}

The manifest is covered by the integrity check like every file it lists: ``manifest_sha256`` is the SHA-256 of
the manifest's own JSON text without that field (as :func:`manifest_text` writes it), and the file must be exactly
that text, so any edit (a digit of the threshold, a smoothing value, a space) is refused. A field a loader reads
that is missing or of the wrong type is a :class:`ModelLoadError` naming the file and the field
(``models/tfidf/boilerplate/manifest.json: field 'threshold': ...``), never a traceback.

:func:`model_dir_writer` writes into a temporary sibling folder and renames it into place only when every file
and the manifest are written, so an interrupted training never leaves a half-written model behind. A training
killed outright (SIGKILL, power loss) can leave that hidden temporary folder (``.<name>.tmp-<pid>-*``, or
``.<name>.old-<pid>`` if it died between the two renames); it never looks like a model (no manifest at the model's
path, hidden name, ignored by ``.dvcignore``) and the next write of the same model removes it once its process is
gone.

Model files are reproducible: the same model gives the same bytes (safetensors files and a manifest written with
sorted keys), so ``dvc.lock`` hashes do not change when a stage is rerun with the same data and params.
:func:`read_manifest` checks that the folder is complete, is for the expected family and task, and that every
file matches the checksum training wrote.
"""
from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import math
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newssift import __version__
from newssift.constants import FAMILIES, NO_SPLIT
from newssift.errors import ModelLoadError
from newssift.files import entry_problem, read_limited, umask

MANIFEST = "manifest.json"
FORMAT = "newssift-model"
FORMAT_VERSION = 1
DIGEST_FIELD = "manifest_sha256"
MAX_MANIFEST_BYTES = 16 << 20


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


@contextlib.contextmanager
def model_dir_writer(final: str | Path, manifest: dict[str, Any]) -> Iterator[Path]:
    """Yield a temporary folder to write model files into; on success, checksum every file, write the manifest and atomically replace ``final``. On error the temporary folder is removed and
    ``final`` is untouched. Temporary folders left by a killed earlier writer of ``final`` are removed first."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_dirs(final)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-{os.getpid()}-", dir=final.parent))
    try:
        tmp.chmod(0o777 & ~umask())  # mkdtemp's 0700 would make the model folder private to its trainer
        yield tmp
        files = {}
        for p in sorted(tmp.rglob("*")):
            if p.is_file() and p.name != MANIFEST:
                files[p.relative_to(tmp).as_posix()] = sha256_file(p)
        full = {"format": FORMAT, "format_version": FORMAT_VERSION, "newssift_version": __version__,
                **{k: v for k, v in manifest.items() if k != DIGEST_FIELD}, "files": files}
        full[DIGEST_FIELD] = manifest_digest(full)
        (tmp / MANIFEST).write_bytes(manifest_text(full).encode("ascii"))
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


def manifest_text(manifest: dict[str, Any]) -> str:
    """The one JSON text of a manifest (sorted keys, indented, ASCII): what :func:`model_dir_writer` writes."""
    return json.dumps(manifest, indent=2, sort_keys=True) + "\n"


def manifest_digest(manifest: dict[str, Any]) -> str:
    """SHA-256 of the manifest's text without its ``manifest_sha256`` field."""
    body = {k: v for k, v in manifest.items() if k != DIGEST_FIELD}
    return hashlib.sha256(manifest_text(body).encode("ascii")).hexdigest()


class ManifestFieldError(ModelLoadError, KeyError):
    """A field a loader reads is missing from a verified manifest (a :class:`ModelLoadError`, and a
    :class:`KeyError` for code that falls back to a default)."""

    def __str__(self) -> str:
        return str(self.args[0])


class Manifest(dict):
    """A verified manifest. Reading a missing field with ``manifest[key]`` raises :class:`ManifestFieldError`
    naming the file and the field (``.../manifest.json: field 'hmm.prior': missing``); nested objects are
    read the same way."""

    def __init__(self, data: dict[str, Any], path: Path, prefix: str = ""):
        super().__init__(data)
        self.path = path
        self.prefix = prefix

    def __getitem__(self, key: str) -> Any:
        try:
            value = super().__getitem__(key)
        except KeyError:
            raise ManifestFieldError(f"{self.path}: field '{self.prefix}{key}': missing") from None
        if isinstance(value, dict) and not isinstance(value, Manifest):
            return Manifest(value, self.path, f"{self.prefix}{key}.")
        return value

    def __reduce__(self):
        return (Manifest, (dict(self), self.path, self.prefix))


def _show(value: Any) -> str:
    r = repr(value).encode("ascii", "backslashreplace").decode("ascii")
    return r if len(r) <= 60 else r[:57] + "..."


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _probabilities(v: Any, shape: tuple[int, ...]) -> bool:
    if len(shape) == 1:
        return isinstance(v, list) and len(v) == shape[0] and all(_number(x) and 0 <= x <= 1 for x in v)
    return isinstance(v, list) and len(v) == shape[0] and all(_probabilities(x, shape[1:]) for x in v)


def _check_hmm(v: Any) -> str | None:
    if v is None:
        return None
    if not isinstance(v, dict):
        return f"expected an object or null, got {_show(v)}"
    for key, shape in (("start", (2,)), ("trans", (2, 2)), ("prior", (2,))):
        if key not in v:
            continue
        rows = v[key] if len(shape) == 2 else [v[key]]
        if not _probabilities(v[key], shape) or any(abs(sum(row) - 1) > 1e-6 for row in rows):
            what = "2 x 2 probabilities, each row summing to 1" if len(shape) == 2 else "2 probabilities summing to 1"
            return f"'{key}': expected {what}, got {_show(v[key])}"
    if "prior" in v and not all(x > 0 for x in v["prior"]):
        return f"'prior': expected probabilities above 0, got {_show(v['prior'])}"
    return None


def _expect(test, what: str):
    def check(v: Any) -> str | None:
        return None if test(v) else f"expected {what}, got {_show(v)}"
    return check


def _labels_ok(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) and x for x in v) and len(set(v)) == len(v)


def _text_split_ok(v: Any) -> bool:
    """A topic model's ``text_split``: null (not recorded), a family, ``"none"`` (full text), or the fallback model
    that cut its training text, ``{"family", "fallback_model", "manifest_sha256"}``."""
    if v is None or v in (*FAMILIES, NO_SPLIT):
        return True
    return (isinstance(v, dict) and set(v) == {"family", "fallback_model", "manifest_sha256"}
            and v["family"] in FAMILIES and isinstance(v["fallback_model"], str) and v["fallback_model"] != ""
            and isinstance(v["manifest_sha256"], str) and re.fullmatch(r"[0-9a-f]{64}", v["manifest_sha256"]))


_INT = (lambda v: isinstance(v, int) and not isinstance(v, bool))
# the fields a loader reads, checked whenever present (a field a loader needs and the manifest lacks is reported
# when the loader reads it: Manifest.__getitem__)
FIELD_CHECKS = {
    "format_version": _expect(_INT, "a whole number"),
    "newssift_version": _expect(lambda v: isinstance(v, str), "a string"),
    "family": _expect(lambda v: isinstance(v, str), "a string"),
    "task": _expect(lambda v: isinstance(v, str), "a string"),
    "files": _expect(lambda v: isinstance(v, dict), "an object of file name -> sha256"),
    "labels": _expect(_labels_ok, "a list of distinct, non-empty strings"),
    "params": _expect(lambda v: isinstance(v, dict), "an object"),
    "seed": _expect(_INT, "a whole number"),
    "threshold": _expect(lambda v: _number(v) and 0 <= v <= 1, "a number from 0 to 1"),
    "smoothing": _expect(lambda v: _number(v) and v >= 0, "a number >= 0"),
    "span": _expect(lambda v: isinstance(v, bool), "true or false"),
    "class_weights": _expect(lambda v: isinstance(v, list) and all(_number(x) and x >= 0 for x in v),
                             "a list of numbers >= 0"),
    "hmm": _check_hmm,
    "max_length": _expect(lambda v: _INT(v) and v >= 1, "a whole number >= 1"),
    "base_model": _expect(lambda v: isinstance(v, str), "a string"),
    "metrics": _expect(lambda v: isinstance(v, dict), "an object"),
    "architecture": _expect(lambda v: isinstance(v, dict), "an object"),
    "text_split": _expect(_text_split_ok, "tfidf, transformer, none, null, or an object {family, fallback_model, "
                                          "manifest_sha256}"),
    "disabled": _expect(lambda v: isinstance(v, bool), "true or false"),
}


def check_fields(manifest: dict[str, Any], mpath: Path) -> None:
    """Raise :class:`ModelLoadError` ``<mpath>: field '<name>': <problem>`` for the first field of
    :data:`FIELD_CHECKS` that is present with a wrong type or value."""
    for name, check in FIELD_CHECKS.items():
        if name in manifest:
            problem = check(manifest[name])
            if problem is not None:
                raise ModelLoadError(f"{mpath}: field '{name}': {problem}")


def _parse_manifest(mpath: Path) -> dict[str, Any]:
    problem = entry_problem(mpath)
    if problem is not None:
        if problem[0] == "unreadable" and not os.path.lexists(mpath):
            raise ModelLoadError(f"{mpath.parent}: not a newssift model folder (no {MANIFEST})")
        raise ModelLoadError(f"{mpath}: {problem[1]}")
    data, problem = read_limited(mpath, MAX_MANIFEST_BYTES)
    if problem is not None:
        raise ModelLoadError(f"{mpath}: unreadable manifest ({problem[1]})")
    try:
        manifest = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ModelLoadError(f"{mpath}: unreadable manifest (not UTF-8 at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ModelLoadError(f"{mpath}: unreadable manifest (not valid JSON: {exc.msg} at line {exc.lineno}, "
                             f"column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # an integer of more than 4,300 digits, deep nesting
        raise ModelLoadError(f"{mpath}: unreadable manifest ({type(exc).__name__}: {_show(str(exc))})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ModelLoadError(f"{mpath}: not a newssift model manifest")
    digest = manifest.get(DIGEST_FIELD)
    if digest is None:
        raise ModelLoadError(f"{mpath}: field '{DIGEST_FIELD}': missing, so the manifest is not covered by a "
                             "checksum (written by an older newssift, or edited); retrain the model")
    try:
        intact = digest == manifest_digest(manifest) and data == manifest_text(manifest).encode("ascii")
    except (ValueError, TypeError):  # NaN/Infinity or text that ASCII JSON would not write this way
        intact = False
    if not intact:
        raise ModelLoadError(f"{mpath}: checksum mismatch, the manifest differs from what training wrote "
                             "(edited or corrupted); retrain or restore the model")
    return manifest


def read_manifest(folder: str | Path, *, family: str | None = None, task: str | None = None,
                  verify: bool = True) -> Manifest:
    """Read and check a model folder's manifest: present, a regular file, intact (``manifest_sha256``), of this
    format version, for ``family`` and ``task``, every known field of the right type, and (``verify``) every file
    it lists intact. Raises :class:`ModelLoadError` with a clear one-line message."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelLoadError(f"{folder}: model folder not found (train it with `dvc repro` first)")
    mpath = folder / MANIFEST
    manifest = _parse_manifest(mpath)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ModelLoadError(f"{mpath}: model format version {_show(manifest.get('format_version'))} is not "
                             f"supported (this newssift reads version {FORMAT_VERSION}); retrain the model")
    if family is not None and manifest.get("family") != family:
        raise ModelLoadError(f"{folder}: this is a {_show(manifest.get('family'))} model, expected {family!r}")
    if task is not None and manifest.get("task") != task:
        raise ModelLoadError(f"{folder}: this model was trained for task {_show(manifest.get('task'))}, "
                             f"expected {task!r}")
    check_fields(manifest, mpath)
    if verify:
        verify_files(folder, manifest)
    return Manifest(manifest, mpath)


@contextlib.contextmanager
def load_errors(folder: str | Path) -> Iterator[None]:
    """Around building a model from a verified folder: an error that a value of the manifest (or a file) the
    loader could not use raises (``KeyError``, ``TypeError``, ``ValueError``, ...) becomes one
    :class:`ModelLoadError` line naming the folder's manifest, never a traceback."""
    try:
        yield
    except ModelLoadError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError) as exc:
        message = " ".join(str(exc).split())
        message = message if len(message) <= 200 else message[:197] + "..."
        raise ModelLoadError(f"{Path(folder) / MANIFEST}: cannot build the model from this folder "
                             f"({type(exc).__name__}: {message})") from None


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
