"""dvc.yaml lists, for every stage, exactly the modules that stage runs: each stage's import closure (derived
here from the source, function-level imports included) must be covered by its deps, and every source dep must be
in that closure. An edit to any module a stage runs then re-runs the stage; nothing else does."""
from __future__ import annotations

import ast
import shlex
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

SRC = ROOT / "src"

# `newssift <command>` in dvc.yaml -> the stage module it runs (the command line only dispatches)
STAGE_MODULES = {
    ("sample",): "newssift.stages.sample",
    ("clean",): "newssift.stages.clean",
    ("split-data",): "newssift.stages.split_data",
    ("train", "tfidf"): "newssift.stages.train_tfidf",
    ("train", "transformer"): "newssift.stages.train_transformer",
    ("split-articles",): "newssift.stages.split_articles",
    ("evaluate",): "newssift.stages.evaluate",
}


def _module_file(name: str) -> Path | None:
    p = SRC.joinpath(*name.split("."))
    if (p / "__init__.py").is_file():
        return p / "__init__.py"
    return p.with_suffix(".py") if p.with_suffix(".py").is_file() else None


def _resolve(node: ast.ImportFrom, package: str) -> str:
    if node.level == 0:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def import_closure(module: str) -> set[str]:
    """Source files (relative to the repository) that running ``module`` can execute.

    Every import of a module that is run, at any depth in its functions, is followed. Packages that are only
    parents of an imported module run their module-level code alone, and so does ``newssift/__init__.py``:
    its lazy ``__getattr__`` serves library users (``newssift.load_pipeline``), not the stages."""
    depth: dict[Path, bool] = {}
    todo = [(module, True)]
    while todo:
        name, deep = todo.pop()
        f = _module_file(name)
        if f is None or (f in depth and depth[f] >= deep):
            continue
        depth[f] = deep
        parts = name.split(".")
        todo += [(".".join(parts[:i]), False) for i in range(1, len(parts))]
        package = name if f.name == "__init__.py" else ".".join(parts[:-1])
        tree = ast.parse(f.read_text(encoding="utf-8"))
        found: list[str] = []
        for node in (ast.walk(tree) if deep else tree.body):
            if isinstance(node, ast.Import):
                found += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(node, package)
                found += [target] + [f"{target}.{a.name}" for a in node.names]
        todo += [(n, n != "newssift") for n in found if n.split(".")[0] == "newssift"]
    return {f.relative_to(ROOT).as_posix() for f in depth}


def _stages() -> list[tuple[str, list[str], str]]:
    """(stage name, its deps, the module its command runs) for every stage of dvc.yaml (foreach expanded)."""
    raw = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))
    out = []
    for name, st in raw["stages"].items():
        items = st["foreach"].items() if "foreach" in st else [(None, None)]
        for key, item in items:
            body = st["do"] if key is not None else st
            cmd = body["cmd"].replace("${key}", str(key))
            deps = [d.replace("${item}", str(item)).replace("${key}", str(key)) for d in body.get("deps", [])]
            args = shlex.split(cmd)
            assert args[0] == "newssift", f"{name}: {cmd}"
            sig = (args[1], args[args.index("--family") + 1]) if "--family" in args else (args[1],)
            assert sig in STAGE_MODULES, f"stage {name}: unknown command {cmd!r}"
            out.append((name if key is None else f"{name}@{key}", deps, STAGE_MODULES[sig]))
    return out


STAGES = _stages()


def _covered(path: str, deps: list[str]) -> bool:
    return any(path == d or path.startswith(d.rstrip("/") + "/") for d in deps)


@pytest.mark.parametrize(("stage", "deps", "module"), STAGES, ids=[s[0] for s in STAGES])
def test_stage_deps_are_its_import_closure(stage, deps, module):
    closure = import_closure(module)
    src_deps = [d for d in deps if d.startswith("src/")]
    missing = sorted(p for p in closure if not _covered(p, src_deps))
    assert not missing, f"{stage}: dvc.yaml misses modules the stage runs: {missing}"
    extra = [d for d in src_deps if not any(_covered(p, [d]) for p in closure)]
    assert not extra, f"{stage}: dvc.yaml lists modules the stage does not run: {extra}"
    for d in src_deps:
        assert (ROOT / d).exists(), f"{stage}: dep {d} does not exist"


def test_closure_follows_function_level_and_relative_imports(tmp_path):
    # the closure of the TF-IDF training stage reaches the feature code through the model module
    closure = import_closure("newssift.stages.train_tfidf")
    assert "src/newssift/features/lines.py" in closure
    assert "src/newssift/models/transformer/base.py" not in closure  # TF-IDF training never loads torch code
    # the evaluate stage loads either family through the registry (imports inside functions)
    assert "src/newssift/models/transformer/boilerplate.py" in import_closure("newssift.stages.evaluate")


def test_nothing_outside_the_command_line_imports_the_stages():
    for f in (SRC / "newssift").rglob("*.py"):
        rel = f.relative_to(SRC / "newssift").as_posix()
        if rel.startswith(("stages/", "cli/")):
            continue
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.startswith("newssift.stages") for n in names), f"{rel} imports the stages"
