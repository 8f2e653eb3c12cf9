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
