"""``newssift report``: compare DVC experiments in one self-contained HTML page and a Markdown file.

Everything comes from DVC itself: ``dvc exp show --json`` gives each run's params and metrics, ``dvc plots diff
--json`` gives the Vega-Lite specs of the plots in ``dvc.yaml`` with every run's data overlaid. The page shows the
params that differ, the metrics of every run with their change against a baseline, per-topic F1, and the plots,
drawn by vega-embed from DVC's specs (no charting code of our own). Vega, Vega-Lite and vega-embed are inlined from
the copies in ``newssift/vendor/``, so the page opens offline and can be sent as one file.

The same copies make the HTML template of ``dvc plots show/diff`` (``.dvc/plots_offline.html``, set as
``plots.html_template`` in ``.dvc/config``): :func:`plots_template` writes it.
"""
from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newssift.errors import NewssiftError
from newssift.files import write_text

VENDOR = Path(__file__).resolve().parent / "vendor"
VEGA_PACKAGES = ("vega", "vega-lite", "vega-embed")
PLOTS_TEMPLATE = Path(".dvc/plots_offline.html")  # relative to the repository root
DEFAULT_OUT = Path("reports/compare")
PARAMS_FILE = "params.yaml"


class ReportError(NewssiftError):
    """The report cannot be built: not a DVC repository, no experiments, an unknown run name, DVC failed."""


# ---------------------------------------------------------------- the offline Vega scripts and the page skeleton

def vega_scripts() -> str:
    """``<script>`` elements with the vendored Vega, Vega-Lite and vega-embed builds inlined, each headed by a
    comment naming the package, its pinned version and its licence."""
    pins = json.loads((VENDOR / "package.json").read_text(encoding="utf-8"))["dependencies"]
    tags = []
    for name in VEGA_PACKAGES:
        js = (VENDOR / f"{name}.min.js").read_text(encoding="utf-8")
        if "</script" in js.lower():  # would end the inline element early
            raise ReportError(f"{VENDOR / name}.min.js cannot be inlined (it contains '</script')")
        header = (f"/*! {name}@{pins[name]} | BSD-3-Clause | Copyright (c) 2015, University of Washington "
                  f"Interactive Data Lab | licence: newssift/vendor/LICENSE-{name} */")
        tags.append(f"<script>{header}\n{js}\n</script>")
    return "\n".join(tags)


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5em 2em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
h3 { font-size: 1em; margin: 1.2em 0 0.4em; }
.meta { color: #666; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.4em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f4f4f4; }
td.changed { background: #fff6d6; }
.up { color: #1f5fa8; } .down { color: #b35900; }   /* direction only: whether up is better depends on the metric */
table.text td, table.text th { text-align: left; }
.plots { display: flex; flex-wrap: wrap; gap: 1.2em; }
.plot-box { border: 1px solid #e4e4e4; padding: 0.6em; }
.plot-box h3 { margin-top: 0; }
.failed { color: #c62828; }
.note { color: #666; font-size: 0.9em; }
"""


def _page(title: str, head: str, body: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n{head}\n"
            f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def plots_template() -> str:
    """The HTML template for ``dvc plots show/diff --html-template``: DVC fills ``{plot_divs}`` (and
    ``{refresh_tag}``); it has no ``{scripts}`` placeholder, so DVC adds none of its CDN ``<script>`` tags and the
    inlined copies draw the plots offline."""
    return _page("DVC plots", "{refresh_tag}\n" + vega_scripts(), "{plot_divs}")


def write_plots_template(root: Path) -> Path:
    path = root / PLOTS_TEMPLATE
    write_text(path, plots_template())
    return path


# ---------------------------------------------------------------- reading DVC

def find_root(start: Path | None = None) -> Path:
    """The DVC repository holding ``start`` (the current folder by default)."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / ".dvc").is_dir():
            return folder
    raise ReportError(f"not inside a DVC repository (no .dvc folder in {start} or above): run `newssift report` "
                      "in the project, after `dvc init` and some experiments")


def _dvc(root: Path, *args: str) -> str:
    cmd = [sys.executable, "-m", "dvc", *args]
    env = dict(os.environ, DVC_NO_ANALYTICS="1")
    res = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env)
    if res.returncode != 0:
        lines = [ln.strip() for ln in (res.stderr or res.stdout).splitlines() if ln.strip()]
        raise ReportError(f"`dvc {' '.join(args)}` failed: {lines[-1] if lines else f'exit {res.returncode}'}")
    return res.stdout


def _flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for k, v in node.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: node}


@dataclass
class Run:
    name: str                                  # what the page shows and `dvc plots diff` is given
    rev: str                                   # commit sha
    kind: str                                  # "baseline" (a commit) or "experiment"
    state: str = "success"                     # success, queued, running, failed
    created: str | None = None
    params: dict[str, Any] = field(default_factory=dict)     # "key" for params.yaml, "file:key" otherwise
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)  # metrics file -> flattened metrics


def _run(name: str, rev: str, kind: str, data: dict | None, state: str) -> Run:
    data = data or {}
    params = {}
    for fname, content in (data.get("params") or {}).items():
        for k, v in _flatten((content or {}).get("data") or {}).items():
            params[k if fname == PARAMS_FILE else f"{fname}:{k}"] = v
    metrics = {fname: _flatten((content or {}).get("data") or {})
               for fname, content in (data.get("metrics") or {}).items()}
    return Run(name=name, rev=rev, kind=kind, state=state, created=data.get("timestamp"), params=params,
               metrics=metrics)


def parse_exp_show(rows: list[dict]) -> list[Run]:
    """Baseline commits and their experiments from ``dvc exp show --json``, in its order (workspace left out)."""
    runs = []
    for row in rows:
        if row.get("rev") == "workspace":
            continue
        runs.append(_run(row.get("name") or row["rev"][:7], row["rev"], "baseline", row.get("data"), "success"))
        for exp in row.get("experiments") or []:
            rev = (exp.get("revs") or [{}])[0]
            executor = exp.get("executor") or {}
            state = executor.get("state") or ("failed" if rev.get("error") else "success")
            runs.append(_run(exp.get("name") or rev.get("rev", "")[:7], rev.get("rev", ""), "experiment",
                             rev.get("data"), state))
    return runs


def select_runs(runs: list[Run], baseline: str | None = None,
                exps: list[str] | None = None) -> tuple[Run, list[Run], list[Run]]:
    """(baseline, compared runs including the baseline, runs left out because they have not finished)."""
    by_name = {r.name: r for r in runs}
    by_name.update({r.rev: r for r in runs if r.rev})
    baselines = [r for r in runs if r.kind == "baseline"]
    if not baselines:
        raise ReportError("`dvc exp show` lists no commit: commit the project first (git add -A && git commit)")
    if baseline is None:
        base = baselines[0]
    elif baseline in by_name:
        base = by_name[baseline]
    else:
        raise ReportError(f"unknown run {baseline!r} for --baseline; runs: {', '.join(r.name for r in runs)}")
    if exps:
        unknown = [e for e in exps if e not in by_name]
        if unknown:
            raise ReportError(f"unknown experiment(s) {', '.join(map(repr, unknown))}; "
                              f"runs: {', '.join(r.name for r in runs)}")
        chosen = [by_name[e] for e in exps]
    else:
        chosen = [r for r in runs if r.kind == "experiment"]
    pending = [r for r in chosen if r.state != "success"]
    done = [r for r in chosen if r.state == "success" and r is not base]
    if not done:
        waiting = f" ({len(pending)} queued, running or failed: see `dvc queue status`)" if pending else ""
        raise ReportError(f"no finished experiments to compare{waiting}: queue some with "
                          "`dvc exp run --queue -S key=value`, run them with `dvc queue start` "
                          "(or `dvc exp run --run-all`), then run `newssift report` again")
    return base, [base, *done], pending


def plots_diff(root: Path, runs: list[Run]) -> dict:
    """``dvc plots diff --json`` for these runs: ``{"data": {plot id: [{type, revisions, content}]}, "errors"}``."""
    out = _dvc(root, "plots", "diff", "--json", *[r.name for r in runs])
    try:
        return json.loads(out)
    except json.JSONDecodeError as exc:
        raise ReportError(f"`dvc plots diff --json` printed no JSON ({exc.msg})") from None


# ---------------------------------------------------------------- tables

def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.4f}"
    if isinstance(v, (list, dict)):
        return json.dumps(v)
    return str(v)


def _fmt_param(v: Any) -> str:
    return "null" if v is None else json.dumps(v) if isinstance(v, (list, dict, bool)) else str(v)


def _delta(v: Any, base: Any) -> tuple[str, str]:
    """(text, css class) of a metric's change against the baseline."""
    if not (_is_number(v) and _is_number(base)):
        return "", ""
    d = v - base
    if abs(d) < 5e-5:
        return "", ""
    text = f"{d:+.4f}" if isinstance(v, float) or isinstance(base, float) else f"{d:+d}"
    return text, "up" if d > 0 else "down"


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[tuple[str, str, str]]]     # cells: (value, delta, css class of the delta)
    same: list[str] = field(default_factory=list)  # metrics left out of rows: equal in every run
    numeric: bool = True                       # right-aligned value columns


def params_table(runs: list[Run]) -> Table:
    keys = sorted({k for r in runs for k in r.params})
    rows = []
    for k in keys:
        values = [r.params.get(k) for r in runs]
        if len({json.dumps(v, sort_keys=True) for v in values}) > 1:
            rows.append([(k, "", "")] + [(_fmt_param(v), "", "changed" if v != values[0] else "")
                                         for v in values])
    return Table("Params that differ", ["param", *(r.name for r in runs)], rows)


def _family(fname: str) -> str:
    parts = Path(fname).parts
    return parts[1] if len(parts) >= 3 and parts[0] == "eval" else Path(fname).stem


def metric_tables(runs: list[Run]) -> tuple[list[Table], list[Table]]:
    """(metrics tables, one per metrics file; per-topic F1 tables, one per model family)."""
    base = runs[0]
    files = list(dict.fromkeys(f for r in runs for f in r.metrics))
    files.sort(key=lambda f: not f.startswith("eval/"))  # the models' metrics first, data counts after
    metrics, topics = [], []
    for fname in files:
        keys = list(dict.fromkeys(k for r in runs for k in r.metrics.get(fname, {})))
        plain = [k for k in keys if not k.startswith("topic.f1.")]
        per_topic = [k for k in keys if k.startswith("topic.f1.")]
        for chosen, out, title, strip in ((plain, metrics, f"{fname}", ""),
                                          (per_topic, topics, f"{_family(fname)}: topic F1", "topic.f1.")):
            rows, same = [], []
            for k in chosen:
                values = [r.metrics.get(fname, {}).get(k) for r in runs]
                if not any(_is_number(v) for v in values):
                    continue
                if not strip and len({json.dumps(v) for v in values}) == 1:
                    same.append(f"{k} {_fmt(values[0])}")
                    continue
                b = base.metrics.get(fname, {}).get(k)
                row = [(k[len(strip):], "", "")]
                for i, v in enumerate(values):
                    row.append((_fmt(v), *(("", "") if i == 0 else _delta(v, b))))
                rows.append(row)
            if rows or same:
                out.append(Table(title, ["metric" if not strip else "topic", *(r.name for r in runs)], rows, same))
    return metrics, topics


def _html_table(t: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in t.header)
    body = []
    for row in t.rows:
        cells = [f"<td>{html.escape(row[0][0])}</td>"]
        for value, delta, css in row[1:]:
            if css == "changed":
                cells.append(f"<td class=\"changed\">{html.escape(value)}</td>")
            elif delta:
                cells.append(f"<td>{html.escape(value)} <span class=\"{css}\">({html.escape(delta)})</span></td>")
            else:
                cells.append(f"<td>{html.escape(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    css = "" if t.numeric else " class=\"text\""
    return f"<table{css}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|")


def _md_table(t: Table) -> str:
    lines = ["| " + " | ".join(map(_md_cell, t.header)) + " |",
             "|" + "---|" + ("---:|" if t.numeric else "---|") * (len(t.header) - 1)]
    for row in t.rows:
        cells = [_md_cell(row[0][0])]
        for value, delta, css in row[1:]:
            if css == "changed":
                cells.append(f"**{_md_cell(value)}**")
            elif delta:
                cells.append(f"{_md_cell(value)} ({delta})")
            else:
                cells.append(_md_cell(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------- the report

@dataclass
class Plot:
    title: str
    spec: dict | None          # Vega-Lite spec with every run's data, or None
    missing: list[str]         # runs whose data DVC could not load for this plot


def collect_plots(diff: dict) -> list[Plot]:
    missing: dict[str, list[str]] = {}
    for err in diff.get("errors") or []:
        missing.setdefault(err.get("name", ""), []).append(err.get("rev", "?"))
    plots = []
    for plot_id, items in (diff.get("data") or {}).items():
        vega = [it for it in items if it.get("type") == "vega" and isinstance(it.get("content"), dict)]
        revs = list(dict.fromkeys(missing.get(plot_id, [])))
        if vega:
            for it in vega:
                plots.append(Plot(plot_id, it["content"], revs))
        else:
            plots.append(Plot(plot_id, None, revs))
    return plots


def _runs_table(runs: list[Run], pending: list[Run]) -> Table:
    rows = [[(r.name, "", ""), (r.rev[:7], "", ""), ("baseline" if i == 0 else r.kind, "", ""),
             ((r.created or "")[:19].replace("T", " "), "", "")] for i, r in enumerate(runs)]
    rows += [[(r.name, "", ""), (r.rev[:7], "", ""), (f"not compared: {r.state}", "", ""), ("", "", "")]
             for r in pending]
    return Table("Runs", ["run", "commit", "role", "created"], rows, numeric=False)


def render_html(runs: list[Run], pending: list[Run], plots: list[Plot], generated: str) -> str:
    base = runs[0]
    ptable = params_table(runs)
    mtables, ttables = metric_tables(runs)
    parts = ["<h1>Experiment comparison</h1>",
             f"<p class=\"meta\">Baseline <b>{html.escape(base.name)}</b> ({html.escape(base.rev[:7])}), "
             f"{len(runs) - 1} experiment(s). Generated {html.escape(generated)} by <code>newssift report</code> "
             "from <code>dvc exp show --json</code> and <code>dvc plots diff --json</code>; "
             "changes are against the baseline.</p>",
             "<h2>Runs</h2>", _html_table(_runs_table(runs, pending)),
             "<h2>Params that differ</h2>",
             _html_table(ptable) if ptable.rows else "<p class=\"note\">All runs have the same params.</p>"]
    parts.append("<h2>Metrics</h2>")
    for t in mtables:
        parts.append(f"<h3>{html.escape(t.title)}</h3>")
        if t.rows:
            parts.append(_html_table(t))
        if t.same:
            parts.append(f"<p class=\"note\">Same in every run: {html.escape(', '.join(t.same))}.</p>")
    if ttables:
        parts.append("<h2>Per-topic F1</h2>")
        for t in ttables:
            parts += [f"<h3>{html.escape(t.title)}</h3>", _html_table(t)]
    parts.append("<h2>Plots</h2>\n<div class=\"plots\">")
    notes = []
    for i, p in enumerate(plots):
        if p.spec is None:
            notes.append(f"<li>{html.escape(p.title)}: no data in any run</li>")
            continue
        spec = json.dumps(p.spec).replace("</", "<\\/")
        lacking = (f"<p class=\"note\">no data for: {html.escape(', '.join(p.missing))}</p>" if p.missing else "")
        parts.append(f"<div class=\"plot-box\"><h3>{html.escape(p.title)}</h3>"
                     f"<div class=\"plot\" data-spec=\"spec-{i}\"></div>{lacking}"
                     f"<script type=\"application/json\" id=\"spec-{i}\">{spec}</script></div>")
    parts.append("</div>")
    if notes:
        parts.append("<ul class=\"note\">" + "".join(notes) + "</ul>")
    parts.append("""<script>
document.querySelectorAll("div.plot").forEach(function (div) {
  var spec = JSON.parse(document.getElementById(div.dataset.spec).textContent);
  vegaEmbed(div, spec, {actions: {export: true, source: false, compiled: false, editor: false}})
    .catch(function (err) { div.className = "plot failed"; div.textContent = "This plot could not be drawn: " + err; });
});
</script>""")
    return _page(f"Experiments: {base.name} and {len(runs) - 1} more", vega_scripts(), "\n".join(parts))


def render_markdown(runs: list[Run], pending: list[Run], plots: list[Plot], generated: str) -> str:
    base = runs[0]
    ptable = params_table(runs)
    mtables, ttables = metric_tables(runs)
    out = ["# Experiment comparison", "",
           f"Baseline **{base.name}** ({base.rev[:7]}), {len(runs) - 1} experiment(s). Generated {generated} by "
           "`newssift report` from `dvc exp show --json` and `dvc plots diff --json`; changes (in brackets) are "
           "against the baseline, changed params in bold. The plots are in `report.html`.", "",
           "## Runs", "", _md_table(_runs_table(runs, pending)), "", "## Params that differ", "",
           _md_table(ptable) if ptable.rows else "All runs have the same params.", ""]
    out += ["## Metrics", ""]
    for t in mtables:
        out += [f"### {t.title}", ""]
        if t.rows:
            out += [_md_table(t), ""]
        if t.same:
            out += [f"Same in every run: {', '.join(t.same)}.", ""]
    if ttables:
        out += ["## Per-topic F1", ""]
        for t in ttables:
            out += [f"### {t.title}", "", _md_table(t), ""]
    drawn = [p.title for p in plots if p.spec is not None]
    empty = [p.title for p in plots if p.spec is None]
    out += ["## Plots", "", "In `report.html`: " + (", ".join(drawn) if drawn else "none") + "."]
    if empty:
        out += ["", "No data in any run: " + ", ".join(empty) + "."]
    return "\n".join(out) + "\n"


def build_report(root: Path, out_dir: Path, baseline: str | None = None,
                 exps: list[str] | None = None) -> tuple[Path, Path]:
    """Write ``report.html`` and ``report.md`` into ``out_dir``; returns their paths."""
    try:
        rows = json.loads(_dvc(root, "exp", "show", "--json"))
    except json.JSONDecodeError as exc:
        raise ReportError(f"`dvc exp show --json` printed no JSON ({exc.msg})") from None
    base, runs, pending = select_runs(parse_exp_show(rows), baseline, exps)
    plots = collect_plots(plots_diff(root, runs))
    generated = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    html_path, md_path = out_dir / "report.html", out_dir / "report.md"
    write_text(html_path, render_html(runs, pending, plots, generated))
    write_text(md_path, render_markdown(runs, pending, plots, generated))
    return html_path, md_path


# ---------------------------------------------------------------- command line

def _cmd_report(args) -> int:
    root = find_root()
    if args.write_plots_template:
        path = write_plots_template(root)
        print(f"wrote {path} (the offline HTML template of `dvc plots show/diff`)")
        return 0
    out = Path(args.out) if args.out else root / DEFAULT_OUT
    html_path, md_path = build_report(root, out, args.baseline, args.exp or None)
    print(f"wrote {html_path}\nwrote {md_path}")
    return 0


def add_command(sub) -> None:
    help_ = ("Compare DVC experiments: params that differ, metrics with their change against a baseline, "
             "per-topic F1 and the plots of every run overlaid, in one self-contained HTML page (works offline) "
             "and a Markdown file.")
    p = sub.add_parser("report", help=help_, description=help_)
    p.add_argument("--baseline", metavar="RUN",
                   help="run the others are compared with (default: the current commit, as `dvc exp show` lists it)")
    p.add_argument("--exp", action="append", metavar="NAME",
                   help="an experiment to compare (repeat the option; default: every finished experiment of the "
                        "current commit)")
    p.add_argument("--out", metavar="DIR", help=f"folder for report.html and report.md (default: {DEFAULT_OUT}/ "
                                                "in the repository)")
    p.add_argument("--write-plots-template", action="store_true",
                   help=f"write {PLOTS_TEMPLATE} (the offline HTML template `dvc plots show/diff` uses, with the "
                        "vendored Vega scripts) and exit")
    p.set_defaults(func=_cmd_report)
