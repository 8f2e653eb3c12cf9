"""The deck behind slides, PDF and bundle: which sections become slides."""
from __future__ import annotations

from archive.extensions import db
from archive.reports.models import Report, ReportSection
from archive.reports.slides import report_deck
from support.reports import build_report
from support.rows import topic


def test_untouched_sections_make_no_slide_and_no_repeated_subtitle(app):
    with app.test_request_context("/"):
        ids = build_report(photos=1, with_paper=False, with_draft_entry=False)
        report = db.session.get(Report, ids.report_id)
        db.session.add(ReportSection(report=report, position=1, title="Trotoar",
                                     topic_id=topic("sidewalks").id))
        db.session.add(ReportSection(report=report, position=2, title="Pohon di Seoul",
                                     topic_id=topic("trees").id,
                                     narrative="Pohon dilindungi **kisi besi**."))
        db.session.commit()
        slides = report_deck(db.session.get(Report, ids.report_id)).slides
        sections = [s for s in slides if s.kind == "section"]
        assert [s.title for s in sections] == ["Sungai yang hidup kembali", "Pohon di Seoul"]
        assert sections[1].subtitle == "Perlakuan pohon"  # topic named when it differs

        report = db.session.get(Report, ids.report_id)
        report.sections[0].title = "Sungai"
        db.session.commit()
        first = [s for s in report_deck(report).slides if s.kind == "section"][0]
        assert first.title == "Sungai" and first.subtitle == ""


def test_the_cover_shows_the_criteria_the_city_published(app):
    """The author's score on slides, PDF and zip: total, rank, zone, period, and each
    criterion with a known value (unknown ones are left out, never shown as 0)."""
    from archive.models import SubScore

    with app.test_request_context("/"):
        ids = build_report(photos=1, with_paper=False, with_draft_entry=False)
        record = db.session.get(Report, ids.report_id).score_record()
        first, second, *_ = record.scoring_period.criteria
        db.session.add(SubScore(record_id=record.id, criterion_id=first.id, value=92.5))
        db.session.commit()
        cover = report_deck(db.session.get(Report, ids.report_id)).slides[0]
        facts = dict(cover.facts)
        assert facts[first.name_id] == "92,50"
        assert second.name_id not in facts
        assert facts["Nilai"] == "93,56" and facts["Periode penilaian"] == "2018"
