"""Reports as JSON: the shapes of ``docs/API.md`` for reports, sections, items and cards.

What a viewer sees inside a report follows ``reports.visibility``: a draft
entry chosen for a section is left out for anyone who may not see it.
"""
from __future__ import annotations

from flask import url_for

from ..api.serializers import ScoreLookup, entry_to_json, score_lookup_for, score_record_to_json, utc_iso
from ..core.labels import status_label
from ..entries.visibility import Viewer
from ..models import Topic
from .markdown import render_markdown
from .models import Recommendation, Report, ReportItem, ReportSection
from .visibility import visible_items


def _topic_slug(topic: Topic | None) -> str | None:
    return topic.slug if topic is not None else None


def item_to_json(item: ReportItem, score_lookup: ScoreLookup | None = None) -> dict:
    return {
        "id": item.id,
        "position": item.position,
        "entry_id": item.entry_id,
        "caption": item.caption,
        "notes": item.notes,
        "excerpt": item.excerpt,
        "entry": entry_to_json(item.entry, score_lookup),
    }


def section_to_json(section: ReportSection, viewer: Viewer,
                    score_lookup: ScoreLookup | None = None) -> dict:
    items = visible_items(section, viewer)
    # Every item shares the author's score record: one query for the lot.
    score_lookup = score_lookup or score_lookup_for([i.entry for i in items])
    return {
        "id": section.id,
        "position": section.position,
        "title": section.title,
        "topic": _topic_slug(section.topic),
        "narrative": section.narrative,
        "narrative_html": str(render_markdown(section.narrative)),
        "notes": section.notes,
        "items": [item_to_json(i, score_lookup) for i in items],
    }


def recommendation_to_json(rec: Recommendation, viewer: Viewer) -> dict:
    return {
        "id": rec.id,
        "report_id": rec.report_id,
        "position": rec.position,
        "title": rec.title,
        "topic": _topic_slug(rec.topic),
        "practice": rec.practice,
        "problem": rec.problem,
        "kecamatan_id": rec.kecamatan_id,
        "kecamatan": rec.kecamatan.name if rec.kecamatan else None,
        "city_wide": rec.is_city_wide,
        "executor": rec.executor,
        "cost_effort": rec.cost_effort,
        "status": rec.status,
        "status_label": status_label(rec.status),
        "status_note": rec.status_note,
        "entry_ids": [e.id for e in rec.entries if viewer.can_see(e)],
        "created_at": utc_iso(rec.created_at),
        "updated_at": utc_iso(rec.updated_at),
    }


def report_summary_to_json(report: Report) -> dict:
    camat = report.camat
    return {
        "id": report.id,
        "title": report.title,
        "title_en": report.title_en,
        "status": report.status,
        "trip": {"id": report.trip.id, "slug": report.trip.slug, "title": report.trip.title,
                 "title_en": report.trip.title_en},
        "author": {
            "id": camat.id,
            "name": camat.name,
            "kecamatan": camat.kecamatan.name,
            "score_record": score_record_to_json(report.score_record()),
        },
        "created_at": utc_iso(report.created_at),
        "updated_at": utc_iso(report.updated_at),
        "url": url_for("reports.detail", report_id=report.id, _external=True),
        "api_url": url_for("api.report_detail", report_id=report.id, _external=True),
        "pdf_url": url_for("presentation.report_pdf", report_id=report.id, _external=True),
        "zip_url": url_for("presentation.report_zip", report_id=report.id, _external=True),
        "slides_url": url_for("presentation.slides", report_id=report.id, _external=True),
    }


def report_to_json(report: Report, viewer: Viewer) -> dict:
    lookup = score_lookup_for([i.entry for s in report.sections for i in s.items])
    data = report_summary_to_json(report)
    data.update(
        opening=report.opening,
        opening_html=str(render_markdown(report.opening)),
        closing=report.closing,
        closing_html=str(render_markdown(report.closing)),
        sections=[section_to_json(s, viewer, lookup) for s in report.sections],
        recommendations=[recommendation_to_json(r, viewer) for r in report.recommendations],
    )
    return data
