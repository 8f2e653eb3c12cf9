"""Demo and reference data: the 2018 Bandung -> Seoul visit as the article tells it.

Only figures the source article gives are seeded: the 2018 scoring period with
the four criteria it names (weights, maxima and zone thresholds left empty: the
article does not give them), the period's published zone distribution (27 of 30
kecamatan green, three yellow), the ten totals and their order. Sub-scores stay
empty; the ten best are green.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from .extensions import db
from .models import (
    Camat, Kecamatan, ScoreCriterion, ScorePeriod, ScoreRecord, Topic, Trip, TripParticipant, User,
)

BANDUNG_KECAMATAN = (
    "Andir", "Antapani", "Arcamanik", "Astanaanyar", "Babakan Ciparay", "Bandung Kidul",
    "Bandung Kulon", "Bandung Wetan", "Batununggal", "Bojongloa Kaler", "Bojongloa Kidul",
    "Buahbatu", "Cibeunying Kaler", "Cibeunying Kidul", "Cibiru", "Cicendo", "Cidadap",
    "Cinambo", "Coblong", "Gedebage", "Kiaracondong", "Lengkong", "Mandalajati",
    "Panyileukan", "Rancasari", "Regol", "Sukajadi", "Sukasari", "Sumur Bandung",
    "Ujungberung",
)

#: (kecamatan, total) in rank order, from merdeka.com, 5 July 2018
TOP_TEN_2018 = (
    ("Cinambo", 93.56), ("Batununggal", 89.89), ("Lengkong", 88.08), ("Antapani", 87.36),
    ("Panyileukan", 87.25), ("Cidadap", 87.18), ("Cibeunying Kaler", 87.14),
    ("Sukajadi", 87.13), ("Coblong", 87.05), ("Bojongloa Kaler", 87.04),
)
#: (key, Indonesian, English): the criteria as Kepala Bagian Pemerintahan Anton Sugiana named them
CRITERIA_2018 = (
    ("public_service", "Kualitas pelayanan publik", "Quality of public service"),
    ("general_government", "Kinerja penyelenggaraan tugas umum pemerintahan",
     "Performance of general government tasks"),
    ("environment", "Ketertiban, kebersihan dan keindahan lingkungan hidup",
     "Order, cleanliness and beauty of the environment"),
    ("innovation_happiness", "Inovasi, kreativitas dan peningkatan indeks kebahagiaan",
     "Innovation, creativity and the happiness index"),
)
#: "dari 30 kecamatan, 27 kecamatan sudah rapot hijau ... tiga lainnya zona kuning"
DISTRIBUTION_2018 = {"published_green": 27, "published_yellow": 3, "published_red": 0}
SCORE_SOURCE = "Sistem Informasi Penilaian (SIP) Kota Bandung 2018; merdeka.com, 5 Juli 2018"

#: (slug, Indonesian, English, position)
TOPICS = (
    ("sidewalks", "Trotoar", "Sidewalks"),
    ("trees", "Perlakuan pohon", "Tree treatment"),
    ("rivers", "Sungai", "Rivers"),
    ("signage", "Penataan informasi dan reklame", "Information and advertising signage"),
    ("parks", "Taman inovatif", "Innovative parks"),
    ("street-furniture", "Aksesoris perkotaan", "Street furniture"),
)

SEOUL_2018 = dict(
    slug="seoul-2018",
    title="Studi banding camat berprestasi Kota Bandung ke Seoul",
    program="Innovation in Public Sector Administration",
    origin_city="Bandung",
    host_city="Seoul",
    host_country="Korea Selatan",
    year=2018,
    score_period="2018",
    description=(
        "Sepuluh camat terbaik hasil penilaian kinerja 2018 mengikuti program "
        "On Innovation in Public Sector Administration di Seoul selama lima hari kerja "
        "(Juli 2018), dan ditugasi memotret trotoar, perlakuan pohon, sungai, penataan "
        "informasi dan reklame, taman inovatif serta aksesoris perkotaan untuk dijadikan paper."
    ),
    title_en="Study visit of Bandung's best-performing camat to Seoul",
    description_en=(
        "The ten best camat of the 2018 performance evaluation took part in the programme "
        "On Innovation in Public Sector Administration in Seoul for five working days "
        "(July 2018), and were asked to photograph sidewalks, tree treatment, rivers, "
        "information and advertising signage, innovative parks and street furniture "
        "for their papers."
    ),
)

ADMIN_DEMO = ("admin", "admin-demo")


def username_for(kecamatan: str) -> str:
    return kecamatan.lower().replace(" ", "")


def demo_password(username: str) -> str:
    return f"{username}-demo"


@dataclass
class SeedResult:
    created: dict[str, int]
    logins: list[tuple[str, str, str]]  # (username, password, role)


def _get_or_create(model, defaults: dict | None = None, **keys):
    row = db.session.scalar(select(model).filter_by(**keys))
    if row is None:
        row = model(**keys, **(defaults or {}))
        db.session.add(row)
        db.session.flush()
        return row, True
    return row, False


def seed_reference() -> dict[str, int]:
    """Kecamatan, topics and the search synonym groups: data every installation needs. Idempotent."""
    from .search.synonyms import seed_defaults

    created = {"kecamatan": 0, "topic": 0}
    for name in BANDUNG_KECAMATAN:
        created["kecamatan"] += _get_or_create(Kecamatan, name=name, city="Bandung")[1]
    for position, (slug, name_id, name_en) in enumerate(TOPICS):
        created["topic"] += _get_or_create(
            Topic, defaults=dict(name_id=name_id, name_en=name_en, position=position), slug=slug
        )[1]
    created["synonym_group"] = seed_defaults()
    return created


def seed_period_2018() -> ScorePeriod:
    """The 2018 period as the article gives it; fills what an upgraded database lacks."""
    period, _new = _get_or_create(
        ScorePeriod, defaults=dict(name="Penilaian kinerja kecamatan 2018", status="published",
                                   source=SCORE_SOURCE), code="2018")
    period.name = period.name or "Penilaian kinerja kecamatan 2018"
    period.source = period.source or SCORE_SOURCE
    if period.published_distribution is None:
        for key, value in DISTRIBUTION_2018.items():
            setattr(period, key, value)
    for position, (key, name_id, name_en) in enumerate(CRITERIA_2018):
        _get_or_create(ScoreCriterion, defaults=dict(name_id=name_id, name_en=name_en,
                                                     position=position),
                       period_id=period.id, key=key)
    return period


def seed_demo() -> SeedResult:
    """The Seoul 2018 trip, the ten camat, their scores and demo logins. Idempotent."""
    created = seed_reference()
    created.update(trip=0, camat=0, score_record=0, user=0)
    trip, new = _get_or_create(Trip, defaults={k: v for k, v in SEOUL_2018.items() if k != "slug"},
                               slug=SEOUL_2018["slug"])
    created["trip"] += new
    logins: list[tuple[str, str, str]] = []
    seed_period_2018()

    admin, new = _get_or_create(User, defaults=dict(role="admin", password_hash=""),
                                username=ADMIN_DEMO[0])
    if new:
        admin.set_password(ADMIN_DEMO[1])
    created["user"] += new
    logins.append((ADMIN_DEMO[0], ADMIN_DEMO[1], "admin"))

    for rank, (kec_name, total) in enumerate(TOP_TEN_2018, start=1):
        kec = db.session.scalar(select(Kecamatan).filter_by(name=kec_name, city="Bandung"))
        _, new = _get_or_create(
            ScoreRecord,
            defaults=dict(total=total, rank=rank, zone="green", source=SCORE_SOURCE),
            kecamatan_id=kec.id, period="2018",
        )
        created["score_record"] += new
        username = username_for(kec_name)
        user, new = _get_or_create(User, defaults=dict(role="camat", password_hash=""),
                                   username=username)
        if new:
            user.set_password(demo_password(username))
        created["user"] += new
        camat, new = _get_or_create(
            Camat, defaults=dict(name=f"Camat {kec_name}", user_id=user.id), kecamatan_id=kec.id
        )
        created["camat"] += new
        _get_or_create(TripParticipant, defaults=dict(award_period="2018", award_rank=rank),
                       trip_id=trip.id, camat_id=camat.id)
        logins.append((username, demo_password(username), "camat"))
    return SeedResult(created=created, logins=logins)
