"""Run the real-data benchmarks and write bench/RESULTS.md from their JSON results.

Each bench runs as its own process (python bench/<name>.py), one after the other, with its progress on stderr.
A bench whose data is absent skips (exit code 0, a message naming the missing file) and keeps no result. Then
bench/RESULTS.md is regenerated from every bench/results/*.json present (including inference_speed.json, written
by bench/inference_speed.py, which this script does not run): figures in it are never typed by hand.

    python bench/run_all.py                       # everything (about 1 hour 45 minutes on 2 CPU cores, no GPU)
    python bench/run_all.py --skip-transformer    # TF-IDF and anchors only (a few minutes)
    python bench/run_all.py --only topic_bbc --only cross_domain
    python bench/run_all.py --report-only         # only regenerate RESULTS.md from the JSON files
    python bench/run_all.py --data /path/to/data  # passed on to every bench
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402

BENCHES = ["boilerplate_real", "topic_bbc", "topic_agnews", "robustness_ads", "cross_domain"]
TRANSFORMER_BENCHES = {"boilerplate_real", "topic_bbc", "topic_agnews"}
SPEED_BENCHES = ["inference_speed", "transformer_speed"]  # on the shipped sample's models; not run here
REPORT_ORDER = BENCHES + SPEED_BENCHES
RESULTS_MD = C.ROOT / "bench" / "RESULTS.md"
RUN_LOG = C.RESULTS_DIR / "run_all.json"


def run(names: list[str], args: argparse.Namespace) -> list[dict]:
    runs = []
    for k, name in enumerate(names):
        cmd = [sys.executable, str(C.ROOT / "bench" / f"{name}.py")]
        if args.data:
            cmd += ["--data", args.data]
        if args.skip_transformer and name in TRANSFORMER_BENCHES:
            cmd += ["--skip-transformer"]
        C.say(f"run_all: ({k + 1}/{len(names)}) {name}: {' '.join(cmd[1:])}")
        before = _mtime(name)
        t0 = time.perf_counter()
        proc = _run_streaming(cmd)
        secs = time.perf_counter() - t0
        skipped = "SKIPPED" in proc["stderr_tail"]
        wrote = _mtime(name) != before
        if skipped:
            status = "skipped (data absent)"
        elif proc["rc"] == 0 and wrote:
            status = "ok"
        else:
            status = f"failed (exit {proc['rc']})"
        shown = ["DATA" if args.data and a == args.data else a for a in cmd[2:]]  # no user paths in results
        runs.append({"bench": name, "status": status, "exit_code": proc["rc"], "seconds": round(secs, 1),
                     "command": " ".join(["python", f"bench/{name}.py", *shown])})
        C.say(f"run_all: {name}: {status} in {secs / 60:.1f} min")
    return runs


def _run_streaming(cmd: list[str]) -> dict:
    """Run ``cmd`` with its stderr passed through live; keep the tail to recognise a skip."""
    tail: list[str] = []
    with subprocess.Popen(cmd, cwd=C.ROOT, stderr=subprocess.PIPE, text=True, bufsize=1) as p:
        assert p.stderr is not None
        for line in p.stderr:
            sys.stderr.write(line)
            sys.stderr.flush()
            tail = (tail + [line])[-50:]
        rc = p.wait()
    return {"rc": rc, "stderr_tail": "".join(tail)}


def _mtime(name: str) -> float | None:
    p = C.RESULTS_DIR / f"{name}.json"
    return p.stat().st_mtime if p.exists() else None


# ---- RESULTS.md ------------------------------------------------------------------------------------------------

def _fmt(fig: dict, value) -> str:
    if value is None:
        return "n/a"
    try:
        return fig.get("format", "{:.3f}").format(value)
    except (ValueError, TypeError):
        return str(value)


def _value(fig: dict) -> str:
    v = _fmt(fig, fig.get("value"))
    if fig.get("std") is not None and fig.get("value") is not None:
        std_fmt = fig.get("format", "{:.3f}").replace("+", "")
        v += " ± " + std_fmt.format(fig["std"])
    return v


def _target(fig: dict) -> str:
    if "target_text" in fig:
        return fig["target_text"]
    if "target" in fig:
        return ">= " + _fmt(fig, fig["target"])
    if "ceiling" in fig:
        return "<= " + _fmt(fig, fig["ceiling"])
    return ""


def _pass(fig: dict) -> str:
    if "passed" not in fig or fig["passed"] is None:
        return ""
    return "pass" if fig["passed"] else "**FAIL**"


def _machine(m: dict) -> str:
    gpu = m.get("gpu") or "no GPU"
    sklearn = m.get("sklearn") or m.get("scikit_learn")
    cpu = m.get("cpu_model") and f"{m['cpu_model']} ({', '.join(m.get('cpu_simd') or []) or 'no AVX2'})"
    parts = [f"{m.get('cores_available')} cores", cpu or "", gpu, f"torch {m.get('torch')}",
             f"scikit-learn {sklearn}" if sklearn else "", f"Python {m.get('python')}", m.get("platform", "")]
    if m.get("load_average_1min") is not None:
        parts.append(f"load average {m['load_average_1min']} at the end")
    return ", ".join(p for p in parts if p)


def _esc(s) -> str:
    return str(s if s is not None else "").replace("|", "\\|").replace("\n", " ")


def _compact_params(params: dict) -> str:
    return json.dumps(params, indent=1, sort_keys=False)


def _params_details(res: dict) -> list[str]:
    return ["<details><summary>parameters</summary>", "", "```json", _compact_params(res.get("params", {})), "```",
            "", "</details>", ""]


def _settings(fig: dict) -> str:
    """The figure's settings; for a figure kept from an earlier run, that run's date and command."""
    text = fig.get("settings") or ""
    carried = fig.get("carried_over")
    if carried:
        text += f" (measured by the earlier run of {carried.get('date')}: `{carried.get('command')}`)"
    return _esc(text.strip()) if text.strip() else ""


def render_bench(name: str, res: dict) -> list[str]:
    """The section of the result file ``bench/results/<name>.json`` (written by ``bench/<benchmark>.py``)."""
    bench = res.get("benchmark") or name
    out = [f"## {res.get('title', name)}" + (f" ({name})" if bench != name else ""), ""]
    out.append(f"- bench: `bench/{bench}.py` -> `bench/results/{name}.json`")
    out.append(f"- command: `{res.get('command')}`")
    out.append(f"- date (UTC): {res.get('date')}; time taken: {res.get('seconds', 0) / 60:.1f} min")
    out.append(f"- machine: {_machine(res.get('machine', {}))}")
    if res.get("description"):
        out.append(f"- method: {res['description']}")
    data = res.get("data") or {}
    if data:
        keep = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in data.items()
                if not isinstance(v, (list, dict))}
        out.append("- data: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in keep.items()))
    for note in res.get("notes", []):
        out.append(f"- note: {note}")
    out.append("")
    sections: dict[str, list[dict]] = {}
    for fig in res.get("figures", []):
        sections.setdefault(fig.get("section") or "", []).append(fig)
    for section, figs in sections.items():
        if section:
            out += [f"### {section}", ""]
        if _pivotable(figs):
            out += _pivot(figs)
            continue
        out.append("| model | figure | value (mean ± std over folds) | target | result | anchor / published | "
                   "settings |")
        out.append("|---|---|---:|---:|---|---|---|")
        for f in figs:
            out.append(f"| {_esc(f.get('model'))} | {_esc(f.get('label'))} | {_value(f)} | {_target(f)} | "
                       f"{_pass(f)} | {_esc(f.get('anchor'))} | {_settings(f)} |")
        out.append("")
    out += _params_details(res)
    return out


def _pivotable(figs: list[dict]) -> bool:
    """True when every model of the section has the same two or more figures: one row per model reads better."""
    by_model: dict[str, list[str]] = {}
    for f in figs:
        by_model.setdefault(f.get("model", ""), []).append(f.get("label", ""))
    labels = list(by_model.values())
    return len(labels[0]) >= 2 and all(lab == labels[0] for lab in labels)


def _pivot(figs: list[dict]) -> list[str]:
    models: dict[str, list[dict]] = {}
    for f in figs:
        models.setdefault(f.get("model", ""), []).append(f)
    labels = [f.get("label", "") for f in next(iter(models.values()))]
    out = ["| model | " + " | ".join(_esc(lab) for lab in labels) + " | target / result | anchor / published | "
           "settings |", "|---|" + "---:|" * len(labels) + "---|---|---|"]
    for model, row in models.items():
        cells = [_value(f) for f in row]
        targets = "; ".join(f"{f.get('label')} {_target(f)}: {_pass(f)}" for f in row if _target(f))
        anchors = "; ".join(_esc(f["anchor"]) for f in row if f.get("anchor"))
        settings = "; ".join(_settings(f) for f in row if _settings(f))
        out.append(f"| {_esc(model)} | " + " | ".join(cells) + f" | {targets} | {anchors} | {settings} |")
    return out + [""]


def _speed_target(r: dict) -> str:
    return "" if r.get("target_articles_per_s") is None else f">= {r['target_articles_per_s']}"


def _speed_result(r: dict) -> str:
    return "" if r.get("meets_target") is None else ("pass" if r["meets_target"] else "**FAIL**")


def render_inference_speed(res: dict) -> list[str]:
    out = ["## Inference speed (end to end, CPU)", "",
           "- bench: `bench/inference_speed.py` -> `bench/results/inference_speed.json` (not run by run_all.py)",
           f"- command: `{res.get('command') or 'python bench/inference_speed.py'}`",
           f"- date (UTC): {res.get('date')}",
           f"- machine: {_machine(res.get('machine', {}))}", "",
           "| family | batch articles/s | one process | single articles/s | median ms | cold start s "
           "(`newssift predict`) | target (batch) | result |",
           "|---|---:|---:|---:|---:|---:|---:|---|"]
    for fam, r in (res.get("results") or {}).items():
        if "skipped" in r:
            out.append(f"| {fam} | skipped: {_esc(r['skipped'])} | | | | | | |")
            continue
        one = (r.get("batch_one_process") or {}).get("articles_per_s", "")
        cold = r.get("cold_start") or {}
        cold_s = f"{cold['best_wall_s']} (<= {cold['target_s']:g})" if cold.get("target_s") else \
            cold.get("best_wall_s", "")
        ok = [r.get("meets_target"), r.get("meets_one_process_target"), cold.get("meets_target")]
        result = "" if all(v is None for v in ok) else ("pass" if all(v is not False for v in ok) else "**FAIL**")
        out.append(f"| {fam} | {r['batch']['articles_per_s']} | {one} | {r['single']['articles_per_s']} | "
                   f"{r['single']['median_ms']} | {cold_s} | {_speed_target(r)} | {result} |")
    out += [""] + _params_details(res)
    return out


def render_transformer_speed(res: dict) -> list[str]:
    r = res.get("results") or {}
    rows = [("topic model: fine-tuning", "topic_training", "samples/s = articles/s"),
            ("topic model: inference", "topic_inference", ""),
            ("boilerplate model: fine-tuning", "boilerplate_training", "samples are articles"),
            ("boilerplate model: inference", "boilerplate_inference", ""),
            ("pipeline: clean + boilerplate + topic", "pipeline_inference", "")]
    out = ["## Transformer training and inference speed (CPU)", "",
           "- bench: `bench/transformer_speed.py` -> `bench/results/transformer_speed.json` (not run by run_all.py)",
           f"- command: `{res.get('command')}`",
           f"- date (UTC): {res.get('date')}",
           f"- machine: {_machine(res.get('machine', {}))}", "",
           "| what | articles/s | samples/s | seconds | note |", "|---|---:|---:|---:|---|"]
    for label, key, note in rows:
        v = r.get(key)
        if v:
            out.append(f"| {label} | {v.get('articles_per_s', '')} | {v.get('samples_per_s', '')} | "
                       f"{v.get('seconds', '')} | {note} |")
    depth = r.get("boilerplate_inference_by_encoder_layers")
    if depth:
        out += ["", "Boilerplate inference (articles/s) by encoder layers used:", "",
                "| encoder layers | fp32 | int8 encoder |", "|---:|---:|---:|"]
        out += [f"| {layers} | {v.get('fp32', '')} | {v.get('int8', '')} |" for layers, v in depth.items()]
    out += [""] + _params_details(res)
    return out


def render(results: dict[str, dict], run_log: dict | None) -> str:
    others = [n for n in results if n not in REPORT_ORDER]  # result files of runs outside run_all.py's benches
    lines = ["# newssift benchmarks on real data", "",
             "Generated by `python bench/run_all.py` from `bench/results/*.json`; do not edit by hand (figures are "
             "never typed in). Real data is read from `../shared/data` (or `--data` / `$NEWSSIFT_DATA`) and is "
             "not part of the repository. Mean ± standard deviation over cross-validation folds unless stated.", ""]
    if run_log:
        lines.append(f"Last `run_all.py` run: `{run_log.get('command')}`, {run_log.get('date')}, "
                     f"{run_log.get('seconds', 0) / 60:.1f} min in all: "
                     + "; ".join(f"{r['bench']} {r['status']} ({r['seconds'] / 60:.1f} min)"
                                 for r in run_log.get("runs", [])) + ".")
        lines.append("")
    lines += ["## Headline figures", "", "| bench | model | figure | value | target | result | date |",
              "|---|---|---|---:|---:|---|---|"]
    for name in [*REPORT_ORDER, *others]:
        res = results.get(name)
        if not res or name in SPEED_BENCHES:
            continue
        for f in res.get("figures", []):
            if f.get("headline"):
                label = f.get("label", "") + (f" ({f['section']})" if f.get("section") else "")
                lines.append(f"| {name} | {_esc(f.get('model'))} | {_esc(label)} | {_value(f)} | {_target(f)} | "
                             f"{_pass(f)} | {str(res.get('date', ''))[:10]} |")
    if "inference_speed" in results:
        for fam, r in (results["inference_speed"].get("results") or {}).items():
            if "skipped" not in r:
                lines.append(f"| inference_speed | {fam} | articles/s, batch, end to end | "
                             f"{r['batch']['articles_per_s']} | {_speed_target(r)} | {_speed_result(r)} | "
                             f"{str(results['inference_speed'].get('date', ''))[:10]} |")
    lines.append("")
    missing = [n for n in BENCHES if n not in results]
    if missing:
        lines += ["Not run (no result file): " + ", ".join(missing) + ".", ""]
    for name in REPORT_ORDER:
        if name in results:
            render = {"inference_speed": render_inference_speed,
                      "transformer_speed": render_transformer_speed}.get(name)
            lines += render(results[name]) if render else render_bench(name, results[name])
    if others:
        lines += ["# Other runs", "", "The other result files, each with the command that wrote it (not run by "
                  "run_all.py): " + ", ".join(others) + ".", ""]
        for name in others:
            lines += render_bench(name, results[name])
    return "\n".join(lines).rstrip() + "\n"


def load_results() -> dict[str, dict]:
    """Every bench/results/*.json but the run log: the benches of REPORT_ORDER first, then the other runs by name."""
    others = sorted(p.stem for p in C.RESULTS_DIR.glob("*.json") if p != RUN_LOG and p.stem not in REPORT_ORDER)
    out = {}
    for name in [*REPORT_ORDER, *others]:
        p = C.RESULTS_DIR / f"{name}.json"
        if p.is_file():
            try:
                out[name] = json.loads(p.read_text(encoding="utf-8"))
            except ValueError as exc:
                C.say(f"run_all: {p}: unreadable ({exc}); left out of RESULTS.md")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-transformer", action="store_true", help="TF-IDF and anchors only")
    ap.add_argument("--only", action="append", choices=BENCHES, metavar="NAME",
                    help=f"run only this bench (repeatable): {', '.join(BENCHES)}")
    ap.add_argument("--data", default=None, help="real-data folder, passed on to every bench")
    ap.add_argument("--report-only", action="store_true", help="do not run anything; regenerate RESULTS.md")
    args = ap.parse_args(argv)

    run_log = json.loads(RUN_LOG.read_text(encoding="utf-8")) if RUN_LOG.is_file() else None
    failed = []
    if not args.report_only:
        names = args.only or BENCHES
        t0 = time.perf_counter()
        runs = run(names, args)
        failed = [r["bench"] for r in runs if r["status"].startswith("failed")]
        if not args.only and any(r["status"] == "ok" for r in runs):
            # only a full run that measured something replaces the run log shown at the top of RESULTS.md
            run_log = {"command": C.command_line(), "date": dt.datetime.now(dt.timezone.utc).isoformat(
                timespec="seconds"), "seconds": round(time.perf_counter() - t0, 1), "machine": C.machine_info(),
                "runs": runs}
            C.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
            RUN_LOG.write_text(json.dumps(run_log, indent=2) + "\n", encoding="utf-8")
        C.say(f"run_all: done in {(time.perf_counter() - t0) / 60:.1f} min"
              + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    RESULTS_MD.write_text(render(load_results(), run_log), encoding="utf-8")
    C.say(f"run_all: wrote {RESULTS_MD}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
