"""`newssift report` and the offline plots template: tables from `dvc exp show --json`, clear errors, and (slow) three
queued experiments on a tiny corpus compared in the report and in `dvc plots diff`, both opened in headless Chromium
with the network off."""
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import _TOPIC_WORDS, ROOT, make_corpus

from newssift.cli import main
from newssift.files import write_jsonl
from newssift.report import (
    PLOTS_TEMPLATE,
    ReportError,
    metric_tables,
    params_table,
    parse_exp_show,
    plots_template,
    select_runs,
)

CHROMIUM = Path("/usr/bin/chromium")
EXPERIMENTS = {  # name -> `dvc exp run -S` overrides; each changes some metric on the noisy corpus below
    "topic-128-features": ["tfidf.topic.n_features=128"],
    "threshold-0.9": ["tfidf.boilerplate.threshold=0.9"],
    "boilerplate-C-0.01": ["tfidf.boilerplate.C=0.01"],
}


# ---------------------------------------------------------------- the offline template

def test_committed_plots_template_is_current():
    """.dvc/plots_offline.html is what `newssift report --write-plots-template` writes from the vendored builds."""
    committed = (ROOT / PLOTS_TEMPLATE).read_text(encoding="utf-8")
    assert committed == plots_template(), "run `newssift report --write-plots-template` and commit the result"


def test_plots_template_is_offline_and_is_dvcs_template():
    page = plots_template()
    assert "{plot_divs}" in page and "{scripts}" not in page  # no {scripts}: DVC adds no CDN <script> tags
    assert not re.search(r"<script[^>]+src=", page)
    for name in ("vega", "vega-lite", "vega-embed"):
        assert re.search(rf"/\*! {name}@\d+\.\d+\.\d+ \| BSD-3-Clause", page)
    config = (ROOT / ".dvc/config").read_text()
    assert re.search(r"html_template\s*=\s*plots_offline\.html", config)


# ---------------------------------------------------------------- tables from `dvc exp show --json`

def _row(rev, name, params, metrics, experiments=None):
    return {"rev": rev, "name": name, "error": None, "experiments": experiments,
            "data": {"rev": rev, "timestamp": "2026-12-01T10:00:00",
                     "params": {"params.yaml": {"data": params}},
                     "metrics": {"eval/tfidf/metrics.json": {"data": metrics}}}}


def _exp(name, rev, params, metrics, state="success"):
    return {"name": name, "executor": {"state": state},
            "revs": [dict(_row(rev, name, params, metrics), experiments=None)]}


EXP_SHOW = [
    _row("workspace", None, {"tfidf": {"topic": {"C": 10.0}}}, {"topic": {"accuracy": 0.9}}),
    _row("a" * 40, "main", {"seed": 1, "tfidf": {"topic": {"C": 10.0}}},
         {"enabled": 1, "topic": {"accuracy": 0.9, "f1": {"sport": 0.8, "science": 1.0}}},
         experiments=[
             _exp("low-c", "b" * 40, {"seed": 1, "tfidf": {"topic": {"C": 0.5}}},
                  {"enabled": 1, "topic": {"accuracy": 0.95, "f1": {"sport": 0.9, "science": 1.0}}}),
             _exp("waiting", "c" * 40, {}, {}, state="queued"),
         ]),
]


def test_exp_show_to_params_metrics_and_per_topic_f1():
    base, runs, pending = select_runs(parse_exp_show(EXP_SHOW))
    assert base.name == "main" and [r.name for r in runs] == ["main", "low-c"]
    assert [r.name for r in pending] == ["waiting"]
    params = params_table(runs)
    assert [row[0][0] for row in params.rows] == ["tfidf.topic.C"]  # seed is the same: left out
    assert [c[0] for c in params.rows[0][1:]] == ["10.0", "0.5"]
    (metrics,), (topics,) = metric_tables(runs)
    assert [row[0][0] for row in metrics.rows] == ["topic.accuracy"]
    assert metrics.rows[0][2] == ("0.9500", "+0.0500", "up")
    assert metrics.same == ["enabled 1"]
    assert topics.title == "tfidf: topic F1"
    assert {row[0][0]: row[2][1] for row in topics.rows} == {"sport": "+0.1000", "science": ""}


def test_baseline_and_experiments_can_be_chosen_and_unknown_names_are_errors():
    runs = parse_exp_show(EXP_SHOW)
    base, chosen, _ = select_runs(runs, baseline="low-c", exps=["main"])
    assert base.name == "low-c" and [r.name for r in chosen] == ["low-c", "main"]
    with pytest.raises(ReportError, match="unknown run 'nope'.*main, low-c, waiting"):
        select_runs(runs, baseline="nope")
    with pytest.raises(ReportError, match="no finished experiments.*1 queued"):
        select_runs(runs, exps=["waiting"])


def test_report_outside_a_dvc_repository_is_one_clear_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["report"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newssift: error: not inside a DVC repository") and "Traceback" not in err


def test_report_before_a_commit_or_an_experiment_says_what_to_do(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = dict(os.environ, DVC_NO_ANALYTICS="1", GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")

    def run(*cmd):
        return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    run("git", "init", "-q")
    run("dvc", "init", "-q")
    res = run(sys.executable, "-m", "newssift", "report")
    assert res.returncode == 2 and "lists no commit: commit the project first" in res.stderr
    run("git", "commit", "-qm", "init")
    res = run(sys.executable, "-m", "newssift", "report")
    assert res.returncode == 2 and "no finished experiments to compare" in res.stderr
    assert "Traceback" not in res.stderr


# ---------------------------------------------------------------- end to end: queued experiments, report, browser

def _noisy_corpus(n=90, seed=3, mix=0.45) -> list[dict]:
    """make_corpus with topic words mixed across topics and some boilerplate lines that run on like sentences,
    so that the params of the experiments change the metrics (make_corpus alone scores 1.0 everywhere)."""
    rng = random.Random(seed)
    topics = sorted(_TOPIC_WORDS)
    rows = make_corpus(n, seed=seed)
    for r in rows:
        lines = r["text"].split("\n")
        for i, label in enumerate(r["line_labels"]):
            if label == 0:
                other = _TOPIC_WORDS[rng.choice(topics)].split()
                lines[i] = " ".join(rng.choice(other) if rng.random() < mix else w for w in lines[i].split())
            elif rng.random() < 0.25:
                lines[i] += " " + " ".join(rng.choice(_TOPIC_WORDS[r["topic"]].split()) for _ in range(8))
        r["text"] = "\n".join(lines)
    return rows


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A git + DVC project of the real dvc.yaml and .dvc/config on a tiny corpus (transformer off): a committed
    baseline and three experiments queued with `dvc exp run --queue -S` and run by the queue's worker."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path_factory.mktemp("report") / "proj"
    work.mkdir()
    for name in ("dvc.yaml", ".dvcignore"):
        shutil.copy(ROOT / name, work / name)
    shutil.copytree(ROOT / "src", work / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    write_jsonl(work / "corpus.jsonl", _noisy_corpus())
    raw = yaml.safe_load((ROOT / "params.yaml").read_text())
    raw["data"]["corpus"] = "corpus.jsonl"
    raw["tfidf"]["topic"]["n_features"] = 4096
    raw["tfidf"]["boilerplate"]["n_features"] = 4096
    raw["transformer"]["enabled"] = False
    (work / "params.yaml").write_text(yaml.safe_dump(raw))
    env = dict(os.environ, DVC_NO_ANALYTICS="1", GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")

    def run(*cmd, check=True):
        res = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=600)
        assert not check or res.returncode == 0, f"{cmd} failed:\n{res.stdout}\n{res.stderr}"
        return res.stdout

    run("git", "init", "-q")
    run("dvc", "init", "-q")
    for name in ("config", PLOTS_TEMPLATE.name):  # the project's own DVC config: plots.html_template
        shutil.copy(ROOT / ".dvc" / name, work / ".dvc" / name)
    run("dvc", "repro", "-q")
    run("git", "add", "-A")
    run("git", "commit", "-qm", "baseline")
    for name, sets in EXPERIMENTS.items():
        run("dvc", "exp", "run", "--queue", "-n", name, *[a for s in sets for a in ("-S", s)])
    run("dvc", "exp", "run", "--run-all")  # the queue's worker, as `dvc queue start`, waiting until it is done
    return work, run


@pytest.mark.slow
def test_queued_experiments_are_compared_in_the_report(project, capsys):
    work, run = project
    shown = json.loads(run("dvc", "exp", "show", "--json"))
    exps = {e["name"]: e for row in shown for e in row.get("experiments") or []}
    assert set(exps) == set(EXPERIMENTS)
    for e in exps.values():
        assert e["executor"]["state"] == "success"
        metrics = e["revs"][0]["data"]["metrics"]["eval/tfidf/metrics.json"]["data"]
        assert 0 < metrics["topic"]["accuracy"] <= 1

    run(sys.executable, "-m", "newssift", "report")
    out = work / "reports/compare"
    md = (out / "report.md").read_text()
    for name, sets in EXPERIMENTS.items():
        assert f"| {name} |" in md
        key, value = sets[0].split("=")
        assert re.search(rf"\| {re.escape(key)} \|.*\*\*{re.escape(value)}\*\*", md), key
    assert "## Per-topic F1" in md and "| business |" in md
    assert re.search(r"\| topic\.accuracy \|.*\([+-]0\.\d{4}\)", md)   # a delta against the baseline
    page = (out / "report.html").read_text()
    assert page.count('class="plot"') == 3 and "cdn." not in page

    # no experiment of another baseline: a clear error, exit code 2
    res = subprocess.run([sys.executable, "-m", "newssift", "report", "--exp", "nope"], cwd=work,
                         capture_output=True, text=True)
    assert res.returncode == 2 and "unknown experiment(s) 'nope'" in res.stderr and "Traceback" not in res.stderr


_PROBE_HEAD = """<script>window.__errors = [];
addEventListener("error", function (e) {
  __errors.push(e.target && e.target !== window ? "failed to load " + (e.target.src || e.target.href)
                                                : String(e.message));
}, true);
addEventListener("unhandledrejection", function (e) {
  __errors.push("unhandled: " + (e.reason && e.reason.message || e.reason));
});
</script>"""
_PROBE_TAIL = """<script>
function __check(n) {
  var boxes = (%s);
  var drawn = boxes.filter(function (b) { return b.querySelector("canvas, svg.marks"); });
  if (drawn.length < boxes.length && n < 200) { setTimeout(function () { __check(n + 1); }, 100); return; }
  var pre = document.createElement("pre");
  pre.id = "render-status";
  pre.textContent = JSON.stringify({plots: boxes.length, drawn: drawn.length, errors: __errors});
  document.body.appendChild(pre);
}
addEventListener("load", function () { __check(0); });
</script>"""


def _chromium(url_file: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
           "--disable-extensions", f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9",
           "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=20000", *extra, url_file.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def _render_status(page: Path, boxes_js: str, tmp: Path) -> dict:
    """Open a copy of ``page`` with a probe: script errors and failed loads, and how many plot boxes got a canvas
    or an SVG drawing."""
    text = page.read_text(encoding="utf-8")
    assert "<head>" in text and "</body>" in text
    probe = tmp / f"probe-{page.parent.name}-{page.name}"
    end = text.rindex("</body>")  # the last one: the inlined Vega code has the string "</body>" in it
    text = text[:end] + _PROBE_TAIL % boxes_js + text[end:]
    probe.write_text(text.replace("<head>", "<head>" + _PROBE_HEAD, 1), encoding="utf-8")
    res = _chromium(probe, tmp / "profile", "--dump-dom")
    found = re.search(r'<pre id="render-status">(.*?)</pre>', res.stdout, re.S)
    assert found, f"no render status from chromium:\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.slow
def test_report_and_dvc_plots_render_offline_in_chromium(project, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (`apt-get install chromium`, as .ci/run does)")
    work, run = project
    run(sys.executable, "-m", "newssift", "report")
    names = ["HEAD", *EXPERIMENTS]
    run("dvc", "plots", "diff", *names)  # plain: .dvc/config's plots.html_template makes it offline
    report, dvc_page = work / "reports/compare/report.html", work / "dvc_plots/index.html"
    assert "cdn.jsdelivr" not in dvc_page.read_text()

    status = _render_status(report, 'Array.from(document.querySelectorAll("div.plot"))', tmp_path)
    assert status == {"plots": 3, "drawn": 3, "errors": []}, status
    ids = re.findall(r"vegaEmbed\('#([^']+)'", dvc_page.read_text())  # DVC's plot divs (vegaEmbed empties them)
    dvc_boxes = json.dumps(ids) + ".map(function (id) { return document.getElementById(id); })"
    status = _render_status(dvc_page, dvc_boxes, tmp_path)
    assert len(ids) >= 3 and status == {"plots": len(ids), "drawn": len(ids), "errors": []}, status

    shots = Path(os.environ.get("NEWSSIFT_SCREENSHOT_DIR") or tmp_path)  # set it to refresh docs/report.png
    shots.mkdir(parents=True, exist_ok=True)
    res = _chromium(report, tmp_path / "profile", "--hide-scrollbars", "--window-size=1100,1900",
                    f"--screenshot={shots / 'report.png'}")
    assert (shots / "report.png").stat().st_size > 20_000, res.stderr[-2000:]
