"""The transformer stage trains unchanged under torchrun (two CPU processes, gloo) and accelerate launch: a tiny
BERT, the real `newssift train` entry point. Rank 0 alone writes the model, which loads and verifies like any other."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, make_corpus

pytest.importorskip("torch")
pytest.importorskip("transformers")


# torchrun: two CPU processes (gloo). accelerate launch --cpu runs one process (several CPU processes need MPI);
# it checks that the stage runs unchanged under accelerate's launcher and environment.
LAUNCHERS = {
    "torchrun": ["torchrun", "--standalone", "--nproc_per_node", "2"],
    "accelerate": ["accelerate", "launch", "--cpu", "--num_processes", "1", "--num_machines", "1",
                   "--mixed_precision", "no", "--dynamo_backend", "no", "--main_process_port", "0"],
}


@pytest.mark.slow
@pytest.mark.parametrize("launcher", sorted(LAUNCHERS))
def test_transformer_stage_under_a_launcher(tmp_path, monkeypatch, launcher):
    cmd = list(LAUNCHERS[launcher])
    exe = Path(sys.executable).parent / cmd[0]
    if not exe.exists():
        pytest.skip(f"{cmd[0]} is not installed next to this Python")
    cmd[0] = str(exe)
    from conftest import build_tiny_bert

    from newssift.config import params_from_dict
    from newssift.files import write_jsonl
    from newssift.models.transformer import TransformerBoilerplateClassifier
    from newssift.stages.clean import run as run_clean
    from newssift.stages.split_data import run as run_split_data

    base = build_tiny_bert(tmp_path / "tiny-bert")
    work = tmp_path / "proj"
    work.mkdir()
    monkeypatch.chdir(work)
    write_jsonl(work / "corpus.jsonl", make_corpus(48, seed=11))
    raw = yaml.safe_load((ROOT / "params.yaml").read_text())
    raw["data"]["corpus"] = "corpus.jsonl"
    raw["transformer"].update(base_model=str(base), device="cpu", warmup_ratio=0.0)
    raw["transformer"]["topic"]["max_length"] = 64
    raw["transformer"]["boilerplate"].update(epochs=1.0, batch_size=4, learning_rate=3e-3, context_dim=32,
                                             char_ngram_buckets=1024)
    (work / "params.yaml").write_text(yaml.safe_dump(raw))
    params = params_from_dict(raw)
    run_clean(params)
    run_split_data(params)

    env = dict(os.environ, HF_HUB_OFFLINE="1", OMP_NUM_THREADS="1", PYTHONUNBUFFERED="1")
    env.pop("RANK", None)
    env["HOME"] = str(tmp_path)  # no user accelerate config
    res = subprocess.run(cmd + ["-m", "newssift", "train", "--family", "transformer", "--task", "boilerplate"],
                         cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    # one process logs and writes: one completion line, one set of training curves
    assert res.stdout.count("train_transformer boilerplate:") == 1, res.stdout[-3000:]
    assert "find_unused_parameters=True" not in res.stderr
    assert "Traceback" not in res.stderr
    folder = work / "models" / "transformer" / "boilerplate"
    model = TransformerBoilerplateClassifier.load(folder, device="cpu")  # checksums verified
    (proba,) = model.predict_proba([["Share this article", "The match ended in a draw, the coach said."]])
    assert proba.shape == (2,)
    logged = json.loads((work / "dvclive" / "transformer" / "boilerplate" / "metrics.json").read_text())
    assert "eval" in logged and "train" in logged, logged
    assert (work / "dvclive" / "transformer" / "boilerplate" / "plots" / "metrics" / "train" / "loss.tsv").is_file()
    # no scratch checkpoints left behind, no temporary model folders
    assert not list((work / ".cache").rglob("checkpoint-*")) if (work / ".cache").exists() else True
    assert not [p for p in (work / "models" / "transformer").iterdir() if p.name.startswith(".")]
    shutil.rmtree(work / ".cache", ignore_errors=True)
