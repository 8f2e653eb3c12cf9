"""Drafts never leak: every route that shows an entry, a file, a report or a
search result is walked from the app's URL map, as a visitor and as another
camat, and none of them shows a draft (one visibility rule: entries.visibility)."""
from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from archive.entries.visibility import Viewer
from archive.extensions import db
from archive.core.time import utcnow
from archive.models import PartialUpload, ScoreRecord, Trip
from archive.reports.models import Report
from support.files import pdf_bytes
from support.reports import build_report
from support.rows import camat_of, ingest

#: in the title of every draft made here; no published thing contains it
SECRET = "draf rahasia"
#: a word only the draft paper contains (for search and did-you-mean)
PAPER_WORD = "zebrakrosrahasia"

#: one letter off PAPER_WORD: a suggestion must not reveal the draft's word
MISSPELT = PAPER_WORD + "x"

#: pages behind the admin check; a camat or visitor never reaches them
SKIPPED = ("static", "admin.", "search_admin.")


@pytest.fixture
def drafts(app):
    """A published report by Cinambo holding a draft photo, a draft paper by
    Cinambo, and a draft report by Batununggal."""
    with app.app_context():
        published = build_report("cinambo", status="published")
        [paper_id] = ingest(camat_of("cinambo"), [("draf.pdf", pdf_bytes(
            f"Catatan {PAPER_WORD} tentang trotoar", 2))], status="draft",
            title="Paper draf rahasia", topic_slug="sidewalks")
        draft = build_report("batununggal", status="draft", seed=50)
        # Cinambo's resumable upload that became the draft paper: its result is Cinambo's only.
        upload = PartialUpload(user_id=camat_of("cinambo").user.id, length=10, fields={},
                               filename="draf.pdf", expires_at=utcnow() + timedelta(hours=1),
                               finished_at=utcnow(), result_status="added", result_http=201,
                               result_message=f"Paper {SECRET}", result_entry_id=paper_id)
        db.session.add(upload)
        db.session.commit()
        report = db.session.get(Report, draft.report_id)
        ids = {
            "entry_ids": [published.draft_photo_id, paper_id, draft.draft_photo_id],
            "report_id": draft.report_id,
            "section_id": report.sections[0].id,
            "trip_id": db.session.scalar(select(Trip.id).where(Trip.slug == "seoul-2018")),
            "camat_id": camat_of("cinambo").id,
            "record_id": db.session.scalar(select(ScoreRecord.id)),
            "code": "2018", "fmt": "csv",
            "kecamatan_id": camat_of("cinambo").kecamatan_id,
            "upload_id": upload.id,
        }
        db.session.rollback()
    return ids


def _rules(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.endpoint.startswith(SKIPPED):
            yield rule


def _text_of(response) -> str:
    """What a person would read in the response: PDFs and zips opened up."""
    data = response.get_data()
    response.close()  # a file sent with send_file stays open until closed
    if response.mimetype == "application/pdf" and data.startswith(b"%PDF"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    if response.mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            return "\n".join(bundle.read(name).decode("utf-8", "replace")
                             for name in bundle.namelist() if not name.endswith(".jpg"))
    return data.decode("utf-8", "replace")


def _urls(app, ids) -> tuple[list[str], list[str]]:
    """(URLs that name a draft itself, URLs that list or show other things)."""
    naming, showing = [], []
    with app.test_request_context():
        from flask import url_for

        for rule in _rules(app):
            args = set(rule.arguments)
            values = {}
            if "entry_id" in args:
                for entry_id in ids["entry_ids"]:
                    values = {"entry_id": entry_id}
                    if "size" in args:
                        values["size"] = "small"
                    naming.append(url_for(rule.endpoint, **values))
                continue
            if "upload_id" in args:
                naming.append(url_for(rule.endpoint, upload_id=ids["upload_id"]))
                continue
            if "report_id" in args:
                values = {"report_id": ids["report_id"], "section_id": ids["section_id"],
                          "rec_id": 1}
                naming.append(url_for(rule.endpoint, **{k: values[k] for k in args}))
                continue
            for name in args:
                if name == "slug":
                    values[name] = "rivers" if rule.endpoint == "main.topic" else "seoul-2018"
                elif name in ids:
                    values[name] = ids[name]
            if set(values) != args:
                raise AssertionError(f"no test value for {rule.rule}: add one here")
            showing.append(url_for(rule.endpoint, **values))
    # Searches that would find the drafts, and a misspelling of a draft-only word.
    showing += ["/cari?q=rahasia", "/api/v1/search?q=rahasia", f"/cari?q={MISSPELT}",
                f"/api/v1/search?q={MISSPELT}", "/cari?q=trotoar&kind=paper",
                "/api/v1/entries?per_page=100", f"/api/v1/entries?camat={ids['camat_id']}",
                f"/api/v1/reports?trip={ids['trip_id']}", "/laporan"]
    return naming, showing


@pytest.mark.parametrize("who", ["visitor", "another camat"])
def test_a_draft_is_invisible_on_every_route(app, client, auth, drafts, who):
    if who == "another camat":
        assert auth.login("cidadap").status_code == 302
    naming, showing = _urls(app, drafts)
    assert len(naming) >= 10 and len(showing) >= 20, (naming, showing)
    for url in naming:
        response = client.get(url)
        assert response.status_code in (302, 401, 403, 404), (who, url, response.status_code)
        assert SECRET not in _text_of(response), (who, url)
    for url in showing:
        response = client.get(url)
        assert response.status_code < 500, (who, url)
        text = _text_of(response).lower().replace(MISSPELT, "")
        assert SECRET not in text and PAPER_WORD not in text, (who, url)


def test_the_author_and_admins_do_see_the_drafts(app, client, auth, drafts):
    """The same walk would pass if nothing were shown at all; the owner sees them."""
    auth.login("cinambo")
    paper_id = drafts["entry_ids"][1]
    assert "paper " + SECRET in _text_of(client.get(f"/entri/{paper_id}")).lower()
    assert PAPER_WORD in _text_of(client.get(f"/entri/{paper_id}/paper.pdf"))
    assert PAPER_WORD in _text_of(client.get(f"/cari?q={PAPER_WORD}")).lower()
    auth.logout()
    auth.login("admin")
    assert "foto " + SECRET in _text_of(client.get(f"/laporan/{drafts['report_id']}/slide")).lower()
    assert "foto " + SECRET in _text_of(client.get(f"/reports/{drafts['report_id']}.pdf")).lower()


def test_one_rule_in_three_forms_agrees(app, drafts):
    """The predicate, the SQL clause and the index mask give the same answer."""
    import numpy as np

    from archive.models import Entry

    with app.app_context():
        entries = db.session.scalars(select(Entry)).all()
        viewers = [Viewer(), Viewer(camat_id=camat_of("cinambo").id),
                   Viewer(camat_id=camat_of("batununggal").id), Viewer(is_admin=True)]
        published = np.array([int(e.status == "published") for e in entries])
        camat_ids = np.array([e.camat_id for e in entries])
        for viewer in viewers:
            by_predicate = {e.id for e in entries if viewer.can_see(e)}
            by_sql = set(db.session.scalars(select(Entry.id).where(viewer.entry_clause())))
            mask = viewer.index_mask(published, camat_ids)
            by_mask = {e.id for e, keep in zip(entries, mask if mask is not None
                                               else [True] * len(entries)) if keep}
            assert by_predicate == by_sql == by_mask, viewer
        assert len({frozenset(e.id for e in entries if v.can_see(e)) for v in viewers}) == 4
