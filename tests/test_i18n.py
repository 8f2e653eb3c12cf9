"""English pages and the English catalog.

The message ids are Indonesian; ``?lang=en`` (kept in a cookie) switches the
site to English. The catalog tests extract the message ids from the current
sources, the same way ``scripts/translations.sh update`` does, and fail when
one has no English translation or when the committed ``messages.mo`` is older
than ``messages.po``: run ``scripts/translations.sh update``, translate, then
``scripts/translations.sh compile``.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT / "archive" / "translations" / "en" / "LC_MESSAGES"
PO_PATH = CATALOG_DIR / "messages.po"
MO_PATH = CATALOG_DIR / "messages.mo"

# The same keywords as scripts/translations.sh: pybabel's defaults plus the lazy ones.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}

PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
                         r"|%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{[A-Za-z0-9_]*\}")


def _text(response) -> str:
    return response.get_data(as_text=True)


def _lang_cookies(response) -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith("lang=")]


def _visible(html: str) -> str:
    """The page's text without tags, so words inside attributes do not count."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- pages -------------------------------------------------------------------

def test_default_language_is_indonesian(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    html = _text(response)
    assert response.status_code == 200
    assert '<html lang="id">' in html
    text = _visible(html)
    for word in ("Beranda", "Cari", "Masuk", "Langsung ke isi"):
        assert word in text
    assert "Skip to content" not in text and "Log in" not in text
    assert not _lang_cookies(response)


def test_home_in_english(client):
    response = client.get("/?lang=en")
    html = _text(response)
    assert response.status_code == 200
    assert '<html lang="en">' in html
    text = _visible(html)
    for words in ("Home", "Search", "Log in", "Skip to content", "Study Visit Archive",
                  "Latest entries", "Six assigned topics"):
        assert words in text, words
    for words in ("Beranda", "Masuk", "Langsung ke isi", "Entri terbaru", "Enam topik penugasan",
                  "Navigasi utama"):
        assert words not in html, words


def test_plural_forms_in_english(client):
    text = _visible(_text(client.get("/?lang=en")))
    assert re.search(r"\b\d+ participants\b", text)
    assert "peserta" not in text


def test_search_page_in_english(client):
    response = client.get("/cari?lang=en&q=trotoar")
    assert response.status_code == 200
    text = _visible(_text(response))
    assert re.search(r"\b\d+ entr(y|ies) for “trotoar”", text)
    for words in ("How to search", "Keywords", "Sort", "Most relevant"):
        assert words in text, words
    for words in ("entri untuk", "Cara mencari", "Kata kunci", "Urutkan", "Paling relevan"):
        assert words not in text, words


def test_login_page_in_english(client):
    response = client.get("/masuk?lang=en")
    assert response.status_code == 200
    text = _visible(_text(response))
    for words in ("Log in", "Username", "Password", "Remember me"):
        assert words in text, words
    for words in ("Nama pengguna", "Kata sandi", "Ingat saya"):
        assert words not in text, words


def test_wrong_password_message_in_english(client):
    client.get("/masuk?lang=en")
    response = client.post("/masuk", data={"username": "cinambo", "password": "salah-sekali"})
    text = _visible(_text(response))
    assert "Incorrect username or password." in text
    assert "Nama pengguna atau kata sandi salah." not in text


def test_error_page_in_english(client):
    response = client.get("/halaman-yang-tidak-ada?lang=en")
    assert response.status_code == 404
    text = _visible(_text(response))
    for words in ("Not found", "The page or data you are looking for was not found.",
                  "Back to the home page", "Error 404"):
        assert words in text, words
    for words in ("Tidak ditemukan", "Kembali ke beranda", "Kesalahan 404"):
        assert words not in text, words


def test_error_page_in_indonesian_by_default(client):
    response = client.get("/halaman-yang-tidak-ada")
    assert response.status_code == 404
    text = _visible(_text(response))
    assert "Tidak ditemukan" in text and "Kembali ke beranda" in text
    assert "Not found" not in text


def test_upload_page_in_english_for_a_camat(client, auth):
    client.get("/?lang=en")
    response = auth.login("cinambo")
    assert response.status_code in (302, 303)
    response = client.get("/entri/unggah")
    assert response.status_code == 200
    text = _visible(_text(response))
    for words in ("Upload photos and papers", "Upload", "My entries", "Log out",
                  "Tags (separate with commas)", "Place name"):
        assert words in text, words
    for words in ("Unggah foto dan paper", "Entri saya", "Keluar", "Nama tempat",
                  "Tag (pisahkan dengan koma)"):
        assert words not in text, words


def test_welcome_flash_in_english(client, auth):
    client.get("/masuk?lang=en")
    response = auth.login("cinambo")
    follow = client.get(response.headers["Location"])
    text = _visible(_text(follow))
    assert "Welcome, " in text
    assert "Selamat datang" not in text


def test_cookie_keeps_the_choice(client):
    first = client.get("/?lang=en")
    [cookie] = _lang_cookies(first)
    assert cookie.startswith("lang=en;") and "Max-Age" in cookie
    assert client.get_cookie("lang").value == "en"

    again = client.get("/cari")  # no ?lang: the cookie decides
    assert '<html lang="en">' in _text(again)
    assert "How to search" in _visible(_text(again))
    assert not _lang_cookies(again)  # unchanged, not re-sent

    back = client.get("/?lang=id")
    assert client.get_cookie("lang").value == "id"
    assert '<html lang="id">' in _text(back)
    assert '<html lang="id">' in _text(client.get("/cari"))


def test_unknown_language_falls_back_to_indonesian(client):
    response = client.get("/?lang=fr")
    assert '<html lang="id">' in _text(response)
    assert client.get_cookie("lang") is None


def test_api_error_message_in_english(client):
    response = client.get("/api/v1/entries/999999?lang=en")
    assert response.status_code == 404
    assert response.get_json()["message"] == "Entry 999999 not found."


# --- catalog -----------------------------------------------------------------

def _extracted() -> dict[str | tuple[str, ...], list[str]]:
    """Message id -> where it is used, from the current sources and babel.cfg."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict[str | tuple[str, ...], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS,
    ):
        key = tuple(message) if isinstance(message, (list, tuple)) else message
        if isinstance(key, tuple) and len(key) == 1:
            key = key[0]
        found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def extracted():
    return _extracted()


@pytest.fixture(scope="module")
def catalog():
    with open(PO_PATH, "rb") as f:
        return read_po(f, locale="en")


def _translated(message) -> bool:
    if isinstance(message.string, (list, tuple)):
        return all(s.strip() for s in message.string)
    return bool(message.string and message.string.strip())


def test_extraction_finds_python_and_template_strings(extracted):
    where = [loc for locs in extracted.values() for loc in locs]
    assert any(loc.startswith("archive/") and ".py:" in loc for loc in where)
    assert any(loc.startswith("templates/") and ".html:" in loc for loc in where)
    assert "Beranda" in extracted                      # {{ _("...") }} in a template
    assert "Wajib diisi." in extracted                 # _l(...) in a form
    assert any(isinstance(k, tuple) for k in extracted)  # ngettext(...)
    assert not any(loc.startswith(("tests/", ".venv/")) for loc in where)


def test_every_message_has_an_english_translation(extracted, catalog):
    missing = []
    for key, places in sorted(extracted.items(), key=lambda kv: str(kv[0])):
        msgid = key[0] if isinstance(key, tuple) else key
        message = catalog.get(msgid)
        if message is None or message.fuzzy or not _translated(message):
            missing.append(f"{places[0]}: {key!r}")
        elif isinstance(key, tuple) and message.id != key:
            missing.append(f"{places[0]}: plural changed {key!r}")
    assert not missing, (
        f"{len(missing)} message(s) without English translation; run "
        "scripts/translations.sh update, translate, then scripts/translations.sh compile:\n"
        + "\n".join(missing)
    )


def test_no_fuzzy_or_empty_entries_in_catalog(catalog):
    bad = [m.id for m in catalog if m.id and (m.fuzzy or not _translated(m))]
    assert not bad, bad


def test_translations_keep_placeholders(catalog):
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            pairs = list(zip(message.id, message.string))  # English: singular, plural
        else:
            pairs = [(message.id, message.string)]
        for source, target in pairs:
            if sorted(set(PLACEHOLDER.findall(source))) != sorted(set(PLACEHOLDER.findall(target))):
                wrong.append((source, target))
    assert not wrong, wrong
    errors = [(m.id, [str(e) for e in errs]) for m, errs in catalog.check()]
    assert not errors, errors


def test_translations_keep_html_markup(catalog):
    tag = re.compile(r"</?[a-zA-Z][^>]*>")
    wrong = [m.id for m in catalog if m.id and isinstance(m.id, str)
             and sorted(tag.findall(m.id)) != sorted(tag.findall(m.string))]
    assert not wrong, wrong


def test_committed_mo_matches_po(catalog):
    with open(MO_PATH, "rb") as f:
        compiled = read_mo(f)

    def messages(cat):
        out = {}
        for m in cat:
            if not m.id or m.fuzzy or not _translated(m):
                continue
            key = tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id
            out[key] = tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string
        return out

    in_po, in_mo = messages(catalog), messages(compiled)
    stale = sorted(str(k) for k in set(in_po) ^ set(in_mo))
    stale += sorted(str(k) for k in set(in_po) & set(in_mo) if in_po[k] != in_mo[k])
    assert not stale, (
        "messages.mo is out of date with messages.po; run scripts/translations.sh compile:\n"
        + "\n".join(stale[:50])
    )


def test_report_pages_name_topics_in_the_page_language(client):
    english = client.get("/kunjungan/1/cakupan?lang=en").get_data(as_text=True)
    assert "Sidewalks" in english and "Street furniture" in english
    indonesian = client.get("/kunjungan/1/cakupan?lang=id").get_data(as_text=True)
    assert "Trotoar" in indonesian and "Sidewalks" not in indonesian


def test_search_facets_and_zone_follow_the_page_language(app, client):
    from sqlalchemy import select

    from archive.extensions import db
    from archive.models import ScoreRecord

    with app.test_request_context("/?lang=en"):
        record = db.session.scalar(select(ScoreRecord).where(ScoreRecord.rank == 1))
        assert record.zone_label == "green"
    with app.test_request_context("/"):
        record = db.session.scalar(select(ScoreRecord).where(ScoreRecord.rank == 1))
        assert record.zone_label == "hijau"


def test_fixed_values_are_named_in_the_page_language(app):
    from archive.core.labels import kind_label, status_label, zone_label

    with app.test_request_context("/?lang=en"):
        assert [zone_label(z) for z in ("green", "yellow", "red", None, "blue")] == [
            "green", "yellow", "red", "–", "–"]
        assert [status_label(s) for s in ("draft", "published", "adopted", "odd")] == [
            "Draft", "Published", "Implemented", "odd"]
        assert [kind_label(k) for k in ("photo", "paper", "video")] == ["Photo", "Paper", "video"]
    with app.test_request_context("/"):
        assert [zone_label(z) for z in ("green", "yellow", "red")] == ["hijau", "kuning", "merah"]
        assert [status_label(s) for s in ("draft", "rejected")] == ["Draf", "Ditolak"]
        assert kind_label("photo") == "Foto"


def test_search_topic_facet_in_english(app, client, auth):
    from support.files import camera_jpeg
    from support.rows import topic_id
    from support.uploads import upload

    auth.login("cinambo")
    result = upload(client, [(camera_jpeg(7), "halte.jpg")], topic=topic_id(app, "street-furniture"),
                    description="Halte bus dengan bangku", status="published")
    assert result.status_code == 201
    english = client.get("/cari?q=halte&lang=en").get_data(as_text=True)
    assert "Street furniture" in english and "Aksesoris perkotaan" not in english
    indonesian = client.get("/cari?q=halte&lang=id").get_data(as_text=True)
    assert "Aksesoris perkotaan" in indonesian


def test_catalog_defines_each_message_once():
    """Merges that keep both sides leave a message defined twice: GNU msgfmt refuses
    such a catalog even where Babel's compiler takes the last one silently."""
    text = PO_PATH.read_text(encoding="utf-8")
    ids = re.findall(r'^(?:msgctxt (".*")\n)?msgid ((?:".*"\n)+)msgstr', text, re.M)
    keys = [ctx + body for ctx, body in ids if body.strip() != '""']
    repeated = sorted({k.splitlines()[0] for k in keys if keys.count(k) > 1})
    assert len(keys) > 500 and not repeated, repeated[:5]
