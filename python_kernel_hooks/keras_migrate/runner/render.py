"""The run report as text, JSON or one self-contained, inert HTML page."""

from __future__ import annotations

import html
import json

SYMBOLS = {
    "ok": "ok",
    "warning": "warn",
    "error": "FAIL",
    "timeout": "TIMEOUT",
    "not-run": "-",
    "skipped": "skip",
}


def cell_symbol(cell):
    if cell["status"] == "error":
        if cell["consequence_of"] is not None:
            return "after %d" % cell["consequence_of"]
        if cell["environment"]:
            return "env"
    symbol = SYMBOLS.get(cell["status"], cell["status"])
    if cell.get("verdict") == "false-blocker":
        symbol += "?"
    elif cell.get("verdict") == "static-miss":
        symbol += "!"
    return symbol


def backend_line(backend, run):
    summary = run["summary"]
    if run["status"] == "not-installed":
        return "%s: not installed (%s)" % (backend, run["reason"])
    if run["status"] == "error" and not summary["cells"]:
        return "%s: could not run (%s)" % (backend, run["reason"])
    text = "%s: %d/%d cells ok" % (backend, summary["ok"], summary["cells"])
    first = summary["first_failure"]
    if first:
        text += ", first failure cell %d: %s" % (first["cell"], _shorten(first["text"], 120))
    elif run["status"] == "environment":
        text += ", environment: %s" % run["reason"]
    elif run["status"] == "error":
        text += ", %s" % run["reason"]
    return text


def _variant_text(notebook, name, variant, backends, out):
    if "backends" not in variant:
        out.append("  %s: %s" % (name, variant.get("error")))
        return
    label = "" if name == "original" else " (fixed copy, %s safe fixes applied)" % variant.get("fixes_applied")
    if label:
        out.append(" " + label.strip())
    heads = {cell["index"]: cell for cell in notebook["cells"]}
    widths = [max(10, len(b) + 2) for b in backends]
    out.append("  " + "cell".ljust(6) + "".join(b.ljust(w) for b, w in zip(backends, widths)) + "source")
    runs = [variant["backends"].get(b) for b in backends]
    for index, info in heads.items():
        row = "  " + str(index).ljust(6)
        for run, width in zip(runs, widths):
            cell = next((c for c in run["cells"] if c["index"] == index), None) if run else None
            row += (cell_symbol(cell) if cell else "").ljust(width)
        out.append(row + _shorten(info["head"], 50))
    for backend, run in zip(backends, runs):
        if run:
            out.append("  " + backend_line(backend, run))
    if not variant["static"]["available"]:
        out.append("  static analysis unavailable: %s" % variant["static"]["reason"])
    for item in variant["disagreements"]:
        if item["kind"] == "static-miss":
            error = item["error"] or {}
            out.append("  static miss: cell %d on %s failed (%s: %s) and no finding predicted it" % (
                item["cell"], item["backend"], error.get("type"), _shorten(error.get("message") or "", 80)))
        else:
            out.append("  false blocker: cell %d ran on %s although %s claim%s it blocks %s" % (
                item["cell"], item["backend"], ", ".join(item["rules"]), "" if len(item["rules"]) > 1 else "s", item["backend"]))


def _shorten(text, limit):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_text(report):
    backends = report["backends"]
    out = []
    for notebook in report["notebooks"]:
        out.append("%s  [%s]" % (notebook["path"], notebook["status"]))
        if notebook["error"]:
            out.append("  cannot run: %s" % notebook["error"])
            out.append("")
            continue
        for name, variant in notebook["variants"].items():
            _variant_text(notebook, name, variant, backends, out)
        out.append("")
    summary = report["summary"]
    if len(report["notebooks"]) > 1:
        out.append("Summary over %d notebooks:" % summary["notebooks"])
        for backend, counts in summary["backends"].items():
            rate = "n/a" if counts["pass_rate"] is None else "%.0f%%" % (100 * counts["pass_rate"])
            out.append("  %s: %d ok, %d failed, %d environment, %d not installed (pass rate %s)" % (
                backend, counts["ok"], counts["failed"], counts["environment"], counts["not_installed"], rate))
        if summary["top_failure_causes"]:
            out.append("  top failure causes: " + "; ".join(
                "%s (%d)" % (cause["guide"], cause["count"]) for cause in summary["top_failure_causes"][:5]))
        out.append("  run everywhere: %d of %d" % (len(summary["run_everywhere"]), summary["notebooks"]))
    out.append("Legend: ok, warn, FAIL, TIMEOUT, env (environment problem), after N (consequence of cell N), "
               "- (not run), skip; ! failed with no finding predicting it, ? a predicted blocker that ran")
    return "\n".join(out) + "\n"


def to_json(report):
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
.ok{background:#e6f4ea}.warning{background:#fff4d6}.error{background:#fde2e1}.timeout{background:#f9d2ff}
.env{background:#e8eaf6}.conseq,.not-run,.skipped{background:#f1f1f1;color:#666}
code,pre{font-family:ui-monospace,monospace;font-size:12px}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5em}
.verdict{font-weight:bold}.muted{color:#666}
"""


def _e(value):
    return html.escape("" if value is None else str(value), quote=True)


def _cell_class(cell):
    if cell["status"] == "error" and cell["consequence_of"] is not None:
        return "conseq"
    if cell["status"] == "error" and cell["environment"]:
        return "env"
    return cell["status"]


def _cell_title(cell):
    parts = [cell["status"]]
    if cell.get("seconds") is not None:
        parts.append("%.2fs" % cell["seconds"])
    error = cell.get("error")
    if error:
        parts.append("%s: %s" % (error["type"], error["message"]))
    if cell.get("environment"):
        parts.append("environment: " + cell["environment"])
    if cell.get("consequence_of") is not None:
        parts.append("consequence of cell %d" % cell["consequence_of"])
    if cell.get("reason"):
        parts.append(cell["reason"])
    return " | ".join(parts)


def _variant_html(notebook, name, variant, backends, out):
    if "backends" not in variant:
        out.append("<p>%s: %s</p>" % (_e(name), _e(variant.get("error"))))
        return
    if name != "original":
        out.append("<h3>Fixed copy (%s safe fixes applied)</h3>" % _e(variant.get("fixes_applied")))
    out.append("<table><tr><th>cell</th>%s<th>source</th></tr>" % "".join("<th>%s</th>" % _e(b) for b in backends))
    runs = [variant["backends"].get(b) for b in backends]
    for info in notebook["cells"]:
        out.append("<tr><td>%s</td>" % _e(info["index"]))
        for run in runs:
            cell = next((c for c in run["cells"] if c["index"] == info["index"]), None) if run else None
            if cell is None:
                out.append("<td></td>")
            else:
                out.append('<td class="%s" title="%s">%s</td>' % (_e(_cell_class(cell)), _e(_cell_title(cell)), _e(cell_symbol(cell))))
        out.append("<td><code>%s</code></td></tr>" % _e(info["head"]))
    out.append("</table><ul>")
    for backend, run in zip(backends, runs):
        if run:
            out.append("<li>%s</li>" % _e(backend_line(backend, run)))
    out.append("</ul>")
    failures = [(b, c) for b, run in zip(backends, runs) if run for c in run["cells"]
                if c["status"] in ("error", "timeout") and c["consequence_of"] is None]
    if failures:
        out.append("<h4>Failures</h4>")
    for backend, cell in failures:
        out.append("<details><summary>cell %s on %s: %s</summary>" % (_e(cell["index"]), _e(backend), _e(_cell_title(cell))))
        diagnosis = cell.get("diagnosis")
        if diagnosis:
            out.append("<p><b>%s</b> <span class=muted>[guide: %s]</span></p><p>%s</p><p><b>Fix:</b> %s</p>" % (
                _e(diagnosis.get("title")), _e(diagnosis.get("guide")), _e(diagnosis.get("explanation")), _e(diagnosis.get("fix"))))
        for finding in cell.get("static") or []:
            out.append("<p class=muted>Predicted by %s (%s): %s</p>" % (_e(finding["rule"]), _e(finding["guide"]), _e(finding["message"])))
        if cell.get("verdict"):
            out.append('<p class="verdict">%s</p>' % _e(cell["verdict"]))
        traceback = (cell.get("error") or {}).get("traceback") or []
        if traceback:
            out.append("<pre>%s</pre>" % _e("\n".join(traceback)[-6000:]))
        out.append("</details>")
    if variant["disagreements"]:
        out.append("<h4>Static prediction vs run</h4><ul>")
        for item in variant["disagreements"]:
            if item["kind"] == "static-miss":
                error = item["error"] or {}
                out.append("<li>static miss: cell %s on %s failed (%s: %s), no finding predicted it</li>" % (
                    _e(item["cell"]), _e(item["backend"]), _e(error.get("type")), _e(error.get("message"))))
            else:
                out.append("<li>false blocker: cell %s ran on %s although %s claim it blocks it</li>" % (
                    _e(item["cell"]), _e(item["backend"]), _e(", ".join(item["rules"]))))
        out.append("</ul>")


def to_html(report):
    """One HTML file with no script, no external resource, and every notebook-derived text escaped."""
    backends = report["backends"]
    out = [
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">",
        # Inert by construction (everything escaped) and by policy: nothing may load or run.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        "<title>keras-migrate run report</title><style>%s</style></head><body>" % _CSS,
        "<h1>keras-migrate run report</h1>",
        "<p class=muted>%s · Keras %s · backends: %s</p>" % (_e(report["created"]), _e(report["tool"]["keras"]), _e(", ".join(backends))),
    ]
    for notebook in report["notebooks"]:
        out.append("<h2>%s <span class=muted>[%s]</span></h2>" % (_e(notebook["path"]), _e(notebook["status"])))
        if notebook["error"]:
            out.append("<p>cannot run: %s</p>" % _e(notebook["error"]))
            continue
        for name, variant in notebook["variants"].items():
            _variant_html(notebook, name, variant, backends, out)
    summary = report["summary"]
    out.append("<h2>Summary</h2><table><tr><th>backend</th><th>ok</th><th>failed</th><th>environment</th><th>not installed</th><th>pass rate</th></tr>")
    for backend, counts in summary["backends"].items():
        rate = "n/a" if counts["pass_rate"] is None else "%.0f%%" % (100 * counts["pass_rate"])
        out.append("<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td></tr>" % (
            _e(backend), counts["ok"], counts["failed"], counts["environment"], counts["not_installed"], _e(rate)))
    out.append("</table>")
    if summary["top_failure_causes"]:
        out.append("<p>Top failure causes: %s</p>" % _e("; ".join("%s (%d)" % (c["guide"], c["count"]) for c in summary["top_failure_causes"])))
    out.append("<p>Run everywhere: %s</p></body></html>" % _e(", ".join(summary["run_everywhere"]) or "none"))
    return "\n".join(out) + "\n"


FORMATS = {"text": to_text, "json": to_json, "html": to_html}
