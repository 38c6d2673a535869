"""Render the program site: HTML pages from the contexts `validator.site` builds, CSV and JSON rows."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from .templates import environment

ROWS = "<!--rows-->"  # where the index's streamed rows go; autoescaped firm text can never contain it
CSV_HEADER = ["id", "name", "file", "eligible_tier", "standing", "standing_since", "next_tier", "first_gap"]
CSV_TAIL = ["demotion_to", "demotion_on", "tier_lost_on", "page", "problems"]
LADDER_COLUMNS = ["eligible_tier", "standing", "standing_since", "demotion_to", "demotion_on"]  # each ladder


@cache
def _env() -> jinja2.Environment:
    return environment(None)


def _source(name: str) -> str:
    env = _env()
    assert env.loader is not None
    return env.loader.get_source(env, name)[0]


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@cache
def assets(script: bool) -> dict[str, Any]:
    """The inline style (and script), with a Content-Security-Policy that allows them and nothing else."""
    css = _source("evidence.css") + _source("site.css")
    js = _source("site.js") if script else ""
    csp = f"default-src 'none'; style-src {_digest(css)}; base-uri 'none'; form-action 'none'"
    if script:
        csp += f"; script-src {_digest(js)}"
    return {"css": Markup(css), "js": Markup(js), "csp": csp}


def firm_page(ctx: dict[str, Any]) -> str:
    """A firm's page: the evidence pack with the daily chart, no script."""
    return _env().get_template("site-firm.html.j2").render({**ctx, **assets(False)})


def program_page(ctx: dict[str, Any]) -> str:
    return _env().get_template("site-program.html.j2").render({**ctx, **assets(False)})


def index_page(ctx: dict[str, Any]) -> tuple[str, str]:
    """The index around its rows: what comes before the first row, and what after the last."""
    html = _env().get_template("site-index.html.j2").render({**ctx, **assets(True)})
    head, tail = html.split(ROWS)
    return head, tail


def row_html(row: dict[str, Any], columns: int) -> str:
    """One firm (or invalid file) as a row of the index table."""
    return _env().get_template("site-row.html.j2").render(r=row, columns=columns)


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: a leading = + - @ would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_header(metrics: list[str], designations: list[str]) -> str:
    """The columns: the firm, each headline metric's value, each other designation's tiers, the rest."""
    ladders = [f"{d}_{k}" for d in designations for k in LADDER_COLUMNS]
    return _csv([*CSV_HEADER, *metrics, *ladders, *CSV_TAIL])


def csv_row(row: dict[str, Any], metrics: list[str], designations: list[str]) -> str:
    """One line of firms.csv; an invalid file has its problems in the last column and no values."""
    values = {q["metric"]: q["value"] for q in row.get("requirements", [])}
    ladders = {d["id"]: d for d in row.get("designations", [])}
    cells = [row.get(k) for k in CSV_HEADER] + [values.get(m) for m in metrics]
    cells += [ladders.get(d, {}).get(k) for d in designations for k in LADDER_COLUMNS]
    cells += [row.get(k) for k in CSV_TAIL[:-1]] + ["; ".join(row["problems"])]
    return _csv([_cell(c) for c in cells])


def _csv(cells: list[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


JSON_KEYS = (
    "id", "name", "file", "page", "eligible_tier", "standing", "standing_since", "next_tier", "first_gap",
    "within_reach", "demotion_to", "demotion_on", "tier_lost_on", "problems",
)  # fmt: skip


def json_row(row: dict[str, Any]) -> str:
    """One object of firms.json: the row's plain fields, each requirement as value and threshold, each other
    designation's tiers by its id."""
    obj = {k: row[k] for k in JSON_KEYS if k in row}
    if "requirements" in row:
        obj["requirements"] = {
            q["metric"]: {"value": q["value"], "threshold": q["threshold"]} for q in row["requirements"]
        }
        keys = (*LADDER_COLUMNS, "next_tier", "within_reach")
        obj["designations"] = {d["id"]: {k: d[k] for k in keys} for d in row["designations"]}
    return json.dumps(obj, ensure_ascii=False)
