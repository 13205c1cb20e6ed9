"""The real-data benchmarks (bench/): where the data is absent they skip with a message naming the missing file
(exit 0, no result written); RESULTS.md is rendered from result JSON alone. The benchmarks themselves are not run
here (they take an hour on real data)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

BENCHES = ["boilerplate_real", "topic_bbc", "topic_agnews", "robustness_ads", "cross_domain", "tagger_frozen"]


@pytest.mark.parametrize("name", BENCHES)
def test_bench_skips_cleanly_without_data(name, tmp_path):
    out = tmp_path / f"{name}.json"
    res = subprocess.run([sys.executable, str(ROOT / "bench" / f"{name}.py"), "--data", str(tmp_path / "nowhere"),
                          "--output", str(out)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "SKIPPED" in res.stderr and str(tmp_path / "nowhere") in res.stderr
    assert "Traceback" not in res.stderr
    assert not out.exists()


def test_results_md_is_rendered_from_result_files():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import run_all
    finally:
        sys.path.pop(0)
    fig = {"key": "full.tfidf.editorial_f1", "section": "full page", "model": "TF-IDF (newssift)",
           "label": "editorial F1 (lines)", "value": 0.8123, "std": 0.04, "format": "{:.3f}", "headline": True,
           "target": 0.8, "passed": True, "settings": "defaults"}
    miss = dict(fig, key="full.transformer.editorial_f1", model="transformer (newssift)", value=0.75,
                target=0.88, passed=False)
    res = {"title": "Boilerplate lines", "command": "python bench/boilerplate_real.py", "date": "2026-11-25T10:00:00",
           "seconds": 60, "machine": {"cores_available": 2, "gpu": None, "torch": "2.13.0"},
           "params": {"folds": 5}, "data": {"pages": 181}, "figures": [fig, miss]}
    md = run_all.render({"boilerplate_real": res}, None)
    assert "## Headline figures" in md
    assert "| boilerplate_real | TF-IDF (newssift) | editorial F1 (lines) (full page) | 0.812 ± 0.040 | >= 0.800 | pass |" \
        in md
    assert "**FAIL**" in md  # a missed target is shown as such
    assert "python bench/boilerplate_real.py" in md and "2 cores" in md
    assert "Not run (no result file): topic_bbc" in md
    json.dumps(res)  # the fixture is what the benches write: plain JSON


def test_a_run_of_some_models_keeps_the_other_models_figures_of_the_same_data(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import common as C
    finally:
        sys.path.pop(0)
    out = tmp_path / "b.json"

    def run(models, data, value):
        figs = [C.figure(f"{m}.f1", "F1", value, model=m, settings="s") for m in models]
        C.write_result("b", title="t", description="d", params={}, data=data, figures=figs, details={},
                       timer=C.Timer(), output=str(out))
        return {f["model"]: f for f in json.loads(out.read_text())["figures"]}

    run(["tfidf", "transformer"], {"pages": 3}, 0.5)
    figs = run(["tfidf"], {"pages": 3}, 0.7)  # --skip-transformer on the same data
    assert figs["tfidf"]["value"] == 0.7 and "carried_over" not in figs["tfidf"]
    assert figs["transformer"]["value"] == 0.5 and figs["transformer"]["carried_over"]["date"]
    figs = run(["tfidf"], {"pages": 4}, 0.9)  # other data: nothing is kept
    assert set(figs) == {"tfidf"}

    def run_sections(sections, value):  # scale.py: no models, one section per command (--skip clean)
        figs = [C.figure(f"{s}.speed", "speed", value, section=s) for s in sections]
        C.write_result("b", title="t", description="d", params={}, data={"articles": 9}, figures=figs,
                       details={}, timer=C.Timer(), output=str(out))
        return {f["section"]: f for f in json.loads(out.read_text())["figures"]}

    run_sections(["clean", "predict"], 1.0)
    figs = run_sections(["predict"], 2.0)
    assert figs["predict"]["value"] == 2.0 and "carried_over" not in figs["predict"]
    assert figs["clean"]["value"] == 1.0 and figs["clean"]["carried_over"]["date"]


def test_the_machine_of_a_result_names_its_cpu_and_instruction_sets():
    """Speed differs by CPU (int8 kernels by AVX-512 VNNI above all): every bench records the same machine fields,
    and RESULTS.md shows them."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import common as C
        import run_all
    finally:
        sys.path.pop(0)
    info = C.machine_info(torch_used=False)
    assert info["torch_threads"] is None and info["cores_available"] >= 1
    if sys.platform.startswith("linux"):
        assert info["cpu_model"] and set(info["cpu_simd"]) <= set(C.SIMD_FLAGS)
    line = run_all._machine({"cores_available": 2, "cpu_model": "Some CPU", "cpu_simd": ["avx2", "fma"],
                             "torch": "2.13.0"})
    assert line.startswith("2 cores, Some CPU (avx2, fma), no GPU")
    assert "no AVX2" in run_all._machine({"cpu_model": "Old CPU", "cpu_simd": []})


def test_late_fusion_of_tfidf_and_tagger_is_a_weighted_mean_of_log_odds_under_a_flat_prior():
    """bench/tagger_frozen.py --fuse-tfidf: weight 0 is the tagger alone, weight 1 the TF-IDF model moved from its
    training prior to the flat one the tagger is trained under, and 0.5 the mean of the two log-odds."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import numpy as np
        import tagger_frozen as T
    finally:
        sys.path.pop(0)
    tfidf, tagger = [np.array([0.9, 0.5, 0.2])], [np.array([0.7, 0.1, 0.6])]
    prior = np.array([0.2, 0.8])  # 80% boilerplate in training: TF-IDF's odds are 4x a flat model's
    np.testing.assert_allclose(T.fused(tfidf, tagger, prior, 0.0)[0], tagger[0], rtol=1e-9)
    odds = tfidf[0] / (1 - tfidf[0]) / 4
    np.testing.assert_allclose(T.fused(tfidf, tagger, prior, 1.0)[0], odds / (1 + odds), rtol=1e-9)
    mid = np.sqrt(odds * tagger[0] / (1 - tagger[0]))
    np.testing.assert_allclose(T.fused(tfidf, tagger, prior, 0.5)[0], mid / (1 + mid), rtol=1e-9)


def test_error_breakdown_counts_lines_by_label_place_length_and_outcome():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import numpy as np
        import tagger_frozen as T
    finally:
        sys.path.pop(0)
    doc = ["Menu", "A long editorial sentence that has more than eight words in it.", "", "Heading",
           "Photo: a caption", "Another long editorial sentence with many more than eight words.", "Share this"]
    gold = [1, 0, 1, 0, 1, 0, 1]
    proba = np.array([0.9, 0.1, 0.9, 0.8, 0.2, 0.3, 0.4])  # threshold 0.5: the heading, caption and share are wrong
    got = T.error_breakdown([doc], [gold], [proba], 0.5)
    assert got == {"boilerplate.before.short.right": 1, "editorial.inside.long.right": 2,
                   "editorial.inside.short.wrong": 1, "boilerplate.inside.short.wrong": 1,
                   "boilerplate.after.short.wrong": 1}  # the blank line is not counted


def test_every_bench_picks_its_transformer_folds_the_same_way():
    """--tf-fold K (repeatable, 1-based) or the first --tf-folds, shared by the benches that train transformers; a
    fold that does not exist is one line, not a traceback."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import common as C
    finally:
        sys.path.pop(0)
    ap = C.base_parser("x")
    C.add_transformer_args(ap)
    assert C.transformer_folds(ap.parse_args([]), 5) == [0, 1, 2, 3, 4]
    assert C.transformer_folds(ap.parse_args(["--tf-folds", "2"]), 5) == [0, 1]
    run = C.transformer_folds(ap.parse_args(["--tf-fold", "5", "--tf-fold", "4", "--tf-fold", "5"]), 5)
    assert run == [3, 4] and C.folds_note(run, 5) == ", folds 4, 5 of 5" and C.folds_note([0, 1, 2], 3) == ""
    with pytest.raises(SystemExit, match="--tf-fold 6: there are folds 1 to 5"):
        C.transformer_folds(ap.parse_args(["--tf-fold", "6"]), 5)
    for name in ("boilerplate_real", "tagger_frozen", "topic_bbc", "topic_agnews"):
        res = subprocess.run([sys.executable, str(ROOT / "bench" / f"{name}.py"), "--help"], capture_output=True,
                             text=True, timeout=120)
        assert res.returncode == 0 and "--tf-fold K" in res.stdout, name
