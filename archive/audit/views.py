"""The audit log for admins: ``/admin/audit`` (filters and paging) and its CSV export.

Read only: there is no route that edits or deletes a record.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue
from sqlalchemy import Select, select

from ..auth import admin_required
from ..extensions import db
from .models import ACTIONS, AuditRecord

bp = Blueprint("audit", __name__, url_prefix="/admin")
PER_PAGE = 50
CSV_BATCH = 1000
CSV_COLUMNS = ("at", "actor", "address", "action", "target", "target_id", "summary", "changes")


@bp.before_request
@admin_required
def _only_admins() -> None:
    """The log is for admins only."""


@dataclass
class Filters:
    actor: str = ""
    action: str = ""
    target: str = ""
    start: date | None = None
    end: date | None = None

    @classmethod
    def from_args(cls, args) -> "Filters":
        return cls(actor=(args.get("actor") or "").strip()[:64],
                   action=args.get("action") if args.get("action") in ACTIONS else "",
                   target=(args.get("target") or "").strip()[:40],
                   start=_day(args.get("dari")), end=_day(args.get("sampai")))

    def apply(self, stmt: Select) -> Select:
        if self.actor:
            stmt = stmt.where(AuditRecord.actor == self.actor)
        if self.action:
            stmt = stmt.where(AuditRecord.action == self.action)
        if self.target:
            stmt = stmt.where(AuditRecord.target == self.target)
        if self.start:
            stmt = stmt.where(AuditRecord.at >= datetime.combine(self.start, time.min))
        if self.end:
            stmt = stmt.where(AuditRecord.at < datetime.combine(self.end + timedelta(days=1),
                                                                time.min))
        return stmt.order_by(AuditRecord.at.desc(), AuditRecord.id.desc())


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@bp.route("/audit")
def index() -> ResponseReturnValue:
    filters = Filters.from_args(request.args)
    pagination = db.paginate(filters.apply(select(AuditRecord)), per_page=PER_PAGE,
                             error_out=False, max_per_page=PER_PAGE)
    targets = db.session.scalars(select(AuditRecord.target).distinct()
                                 .order_by(AuditRecord.target)).all()
    return render_template("audit/index.html", pagination=pagination, records=pagination.items,
                           filters=filters, actions=ACTIONS, targets=targets)


@bp.route("/audit.csv")
def export() -> ResponseReturnValue:
    """Every record under the filters, oldest first, as CSV (UTF-8 with BOM, for Excel),
    read a thousand at a time so that a long log is never held in memory whole."""
    filters = Filters.from_args(request.args)

    def batches():
        last_id = 0
        while True:
            stmt = filters.apply(select(AuditRecord)).order_by(None).where(
                AuditRecord.id > last_id).order_by(AuditRecord.id).limit(CSV_BATCH)
            rows = db.session.scalars(stmt).all()
            if not rows:
                return
            yield rows
            last_id = rows[-1].id
            db.session.expunge_all()

    def generate():
        out = io.StringIO()
        writer = csv.writer(out)
        out.write("\ufeff")
        writer.writerow(CSV_COLUMNS)
        for rows in batches():
            for record in rows:
                writer.writerow([record.at.isoformat(timespec="seconds"), record.actor,
                                 record.address, record.action, record.target,
                                 record.target_id or "", record.summary,
                                 json.dumps(record.changes or {}, ensure_ascii=False)])
            yield out.getvalue()
            out.seek(0)
            out.truncate()
        yield out.getvalue()

    return Response(stream_with_context(generate()), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="audit-log.csv"'})
