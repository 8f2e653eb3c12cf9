"""The JSON of scoring periods and their records."""
from __future__ import annotations

from flask import url_for

from ..api.serializers import score_record_to_json
from .models import ScorePeriod, ScoreRecord
from .operations.plan import Plan


def period_to_json(period: ScorePeriod) -> dict:
    return {
        "code": period.code,
        "name": period.name,
        "status": period.status,
        "start_date": period.start_date.isoformat() if period.start_date else None,
        "end_date": period.end_date.isoformat() if period.end_date else None,
        "criteria": [{"key": c.key, "name_id": c.name_id, "name_en": c.name_en,
                      "weight": c.weight, "maximum": c.maximum} for c in period.criteria],
        "thresholds": {"green_min": period.green_min, "yellow_min": period.yellow_min},
        "published_distribution": period.published_distribution,
        "source": period.source,
        "url": url_for("scores.table", code=period.code, _external=True),
    }


def records_to_json(records: list[ScoreRecord]) -> list[dict]:
    return [score_record_to_json(r) for r in records]


def plan_to_json(plan: Plan) -> dict:
    return {
        "counts": {s: plan.count(s) for s in ("new", "updated", "unchanged", "error")},
        "problems": plan.problems,
        "rows": [{"line": r.line, "kecamatan": r.kecamatan_name, "status": r.status,
                  "errors": [{"field": f, "message": m} for f, m in r.errors],
                  "changes": {k: {"before": a, "after": b} for k, (a, b) in r.changes.items()}}
                 for r in plan.rows],
    }
