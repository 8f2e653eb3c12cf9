"""Search benchmark: N generated entries, query latency through the app, the HTTP API, raw Whoosh and SQLite FTS5.

    .venv/bin/python benchmarks/search.py --count 20000
    .venv/bin/python benchmarks/search.py            # 100,000 entries

The archive (SQLite database, Whoosh index, FTS5 reference table) is built
once under ``benchmarks/out/search-<count>/`` and reused by later runs
(``--rebuild`` to start over, ``--reindex`` to time a reindex again).
Captions mix Indonesian and English, a tenth of the entries are papers with
several pages of text; words follow a Zipf-like distribution over a
vocabulary with a long tail, so common and rare words behave as in life.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ID_TOPICAL = """trotoar pejalan kaki jalur difabel ramah lebar rapi bersih pohon pepohonan rindang
peneduh perlakuan pemangkasan akar sungai kali bantaran naturalisasi jernih sampah banjir tanggul
reklame papan informasi penataan baliho petunjuk arah taman inovatif bermain hijau atap bangku
halte aksesoris perkotaan lampu tempat sampah pagar pot bunga kota warga pemerintah kecamatan
kelurahan pelayanan publik kebersihan ketertiban keindahan inovasi kreativitas kebahagiaan
pengelolaan perawatan pembangunan penerangan keamanan ruang terbuka sepeda parkir zebra cross
penyeberangan drainase saluran air hujan teduh""".split()
EN_TOPICAL = """sidewalk sidewalks pedestrian path accessible wide clean tree trees shade pruning roots
river stream riverbank restoration clear litter flood embankment billboard billboards signage sign
wayfinding information board park parks playground green roof bench benches bus stop street
furniture lamp trash bin fence planter city residents government district public service
cleanliness order beauty innovation creativity happiness management maintenance construction
lighting safety open space bicycle parking crosswalk crossing drainage rainwater shelter""".split()
ID_FILLER = """dan di ke dari yang untuk dengan pada ini itu atau juga dalam oleh sangat lebih
banyak setiap hari pagi sore malam kami kita mereka terlihat tampak sudah akan bisa dapat harus
seperti karena sehingga namun tetapi agar supaya ketika saat selama antara sekitar hampir semua
beberapa para orang anak sekolah pasar jalan gedung kantor rumah""".split()
EN_FILLER = """the of and to in a for on with at by is are was were this that these those very more
many every day morning evening night we they it seen looks already will can could should like
because so however but when while during between around almost all some people children school
market road building office house""".split()
PLACES = ["Cheonggyecheon", "청계천", "Gwanghwamun", "광화문", "Myeongdong", "Insadong", "Jongno",
          "Gangnam", "Yeouido", "Seoullo 7017", "Dongdaemun", "Hongdae", "Namsan", "Itaewon",
          "Seoul Forest", "Banpo", "Euljiro", "Sejong-daero", "Bukchon", "Jamsil"]


def _tail_words(n: int, rng: random.Random) -> list[str]:
    """A long tail of rare pseudo-words (names, technical terms), like a real vocabulary."""
    syll = ["ka", "ri", "mo", "sa", "te", "lu", "ng", "ba", "do", "pe", "si", "gu", "ra", "ne",
            "ho", "ji", "wa", "ke", "to", "yo", "an", "un", "er", "ol"]
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(syll) for _ in range(rng.randint(2, 4))))
    return sorted(out)


class TextMaker:
    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        tail = _tail_words(30000, self.rng)
        vocab = ID_TOPICAL + EN_TOPICAL + ID_FILLER + EN_FILLER + tail
        # Zipf-like weights: filler and topical words common, the tail rare.
        ranks = list(range(1, len(vocab) + 1))
        order = ID_FILLER + EN_FILLER + ID_TOPICAL + EN_TOPICAL + tail
        self.rng.shuffle(order[: len(ID_FILLER) + len(EN_FILLER)])
        self.vocab = order
        self.weights = [1.0 / (r ** 0.95) for r in ranks]
        self.cum = []
        total = 0.0
        for w in self.weights:
            total += w
            self.cum.append(total)

    def words(self, n: int) -> str:
        return " ".join(self.rng.choices(self.vocab, cum_weights=self.cum, k=n))

    def caption(self) -> tuple[str, str]:
        title = self.words(self.rng.randint(4, 9)).capitalize()
        if self.rng.random() < 0.4:
            title += " di " + self.rng.choice(PLACES)
        return title, self.words(self.rng.randint(40, 140))


def build_archive(out: Path, count: int) -> dict:
    """Create the database with ``count`` entries (plain SQL inserts, no index yet)."""
    from sqlalchemy import insert, select

    from archive import create_app
    from archive.cli import upgrade_schema
    from archive.extensions import db
    from archive.models import Camat, Entry, PaperPage, StoredFile, Tag, Topic, Trip, entry_tags
    from archive.seed import seed_demo

    app = make_app(out)
    maker = TextMaker()
    rng = maker.rng
    with app.app_context():
        upgrade_schema()
        seed_demo()
        db.session.commit()
        seoul = db.session.scalar(select(Trip).where(Trip.slug == "seoul-2018"))
        trips = [seoul.id]
        for slug, city, year in (("tokyo-2019", "Tokyo", 2019), ("surabaya-2021", "Surabaya", 2021)):
            t = Trip(slug=slug, title=f"Studi banding ke {city}", host_city=city, year=year,
                     score_period=str(year))
            db.session.add(t)
            db.session.flush()
            trips.append(t.id)
        db.session.commit()
        camat_ids = list(db.session.scalars(select(Camat.id)))
        topic_ids = list(db.session.scalars(select(Topic.id)))
        tag_names = ID_TOPICAL[:40] + EN_TOPICAL[:40]
        conn = db.session.connection()
        conn.execute(insert(Tag), [{"name": n} for n in sorted(set(tag_names))])
        tag_ids = list(db.session.scalars(select(Tag.id)))
        base = datetime(2018, 7, 2, 8, 0)
        batch = 5000
        next_id = 1
        page_id = 1
        started = time.perf_counter()
        for start in range(0, count, batch):
            files, entries, pages, tags = [], [], [], []
            for i in range(start, min(count, start + batch)):
                kind = "paper" if rng.random() < 0.1 else "photo"
                title, desc = maker.caption()
                sha = f"{i:064x}"
                files.append(dict(id=next_id, sha256=sha, kind=kind,
                                  mime_type="application/pdf" if kind == "paper" else "image/jpeg",
                                  size_bytes=1000, storage_path=f"x/{sha}", original_name=f"f{i}",
                                  page_count=None, text_available=kind == "paper",
                                  created_at=base))
                if kind == "paper":
                    npages = rng.randint(3, 8)
                    files[-1]["page_count"] = npages
                    for number in range(1, npages + 1):
                        pages.append(dict(id=page_id, file_id=next_id, number=number,
                                          text=maker.words(rng.randint(150, 300))))
                        page_id += 1
                taken = base + timedelta(days=rng.randint(0, 4), minutes=rng.randint(0, 600))
                gps = rng.random() < 0.6
                entries.append(dict(
                    id=next_id, trip_id=rng.choice(trips) if rng.random() < 0.3 else seoul.id,
                    camat_id=rng.choice(camat_ids), topic_id=rng.choice(topic_ids), file_id=next_id,
                    kind=kind, title=title[:300], description=desc,
                    place_name=rng.choice(PLACES) if rng.random() < 0.5 else "",
                    taken_at=taken if kind == "photo" else None,
                    latitude=37.5 + rng.random() / 10 if gps else None,
                    longitude=126.9 + rng.random() / 10 if gps else None,
                    status="published" if rng.random() < 0.9 else "draft",
                    created_at=base + timedelta(seconds=i), updated_at=base + timedelta(seconds=i),
                ))
                for tag in rng.sample(tag_ids, rng.randint(0, 3)):
                    tags.append({"entry_id": next_id, "tag_id": tag})
                next_id += 1
            conn.execute(insert(StoredFile), files)
            if pages:
                conn.execute(insert(PaperPage), pages)
            conn.execute(insert(Entry), entries)
            if tags:
                conn.execute(insert(entry_tags), tags)
            db.session.commit()
            conn = db.session.connection()
            print(f"  {min(count, start + batch)} entri dibuat", file=sys.stderr)
        return {"generate_s": time.perf_counter() - started}


def make_app(out: Path):
    from archive import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{out / 'archive.sqlite3'}",
        "INDEX_DIR": str(out / "index"),
        "UPLOAD_DIR": str(out / "uploads"),
        "SECRET_KEY": "bench",
        "SEARCH_SYNC_ON_COMMIT": False,
    })


def build_fts(out: Path) -> float:
    """The same texts in an SQLite FTS5 table (unicode61, diacritics removed), as a reference."""
    src = sqlite3.connect(out / "archive.sqlite3")
    path = out / "fts.sqlite3"
    path.unlink(missing_ok=True)
    dst = sqlite3.connect(path)
    dst.execute("CREATE VIRTUAL TABLE doc USING fts5(title, description, tags, topic, place, "
                "author, kecamatan, content, tokenize='unicode61 remove_diacritics 2')")
    dst.execute("CREATE TABLE meta (rowid INTEGER PRIMARY KEY, topic_id INT, camat_id INT, "
                "kind TEXT, created_at TEXT, published INT)")
    started = time.perf_counter()
    rows = src.execute("""
        SELECT e.id, e.title, e.description,
               (SELECT group_concat(t.name, ' ') FROM entry_tag et JOIN tag t ON t.id = et.tag_id WHERE et.entry_id = e.id),
               tp.name_id || ' ' || tp.name_en, e.place_name, c.name, k.name,
               (SELECT group_concat(p.text, ' ') FROM paper_page p WHERE p.file_id = e.file_id),
               e.topic_id, e.camat_id, e.kind, e.created_at, e.status = 'published'
        FROM entry e JOIN camat c ON c.id = e.camat_id JOIN kecamatan k ON k.id = c.kecamatan_id
        LEFT JOIN topic tp ON tp.id = e.topic_id""")
    for row in rows:
        dst.execute("INSERT INTO doc (rowid, title, description, tags, topic, place, author, kecamatan, content) "
                    "VALUES (?,?,?,?,?,?,?,?,?)", row[:9])
        dst.execute("INSERT INTO meta VALUES (?,?,?,?,?,?)", (row[0], *row[9:]))
    dst.commit()
    dst.close()
    return time.perf_counter() - started


QUERIES = {
    "single": ["sungai", "trotoar", "pohon", "reklame", "taman", "halte", "river", "sidewalk",
               "bangku", "lampu", "drainase", "bicycle", "Cheonggyecheon", "청계천"],
    "two": ["penataan reklame", "trotoar lebar", "sungai bersih", "taman bermain", "river clean",
            "bus stop", "pohon peneduh", "lampu jalan", "tempat sampah", "green roof"],
    "phrase": ['"pejalan kaki"', '"ruang terbuka"', '"tempat sampah"', '"bus stop"',
               '"papan informasi"', '"open space"', '"air hujan"', '"zebra cross"'],
    "filtered": ["sungai", "trotoar", "taman", "river", "lampu", "penataan reklame"],
    "misspelled": ["trotor", "sungia", "reklme", "pepohnan", "sidewlak", "bangkku", "halde"],
}


def _cpu_seconds() -> float:
    """User + system CPU of this process and its finished children (the indexing processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rss_mb(field: str = "VmRSS") -> float:
    """This process's resident (VmRSS) or peak resident (VmHWM) memory, from /proc."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def measure(fn, queries: list[str], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), pct(times, 95)


def warm_app_only(app) -> None:
    """Every query once through the HTTP API only, as a serving worker sees them
    (the raw Whoosh reference runs later build caches of their own)."""
    client = app.test_client()
    for kind, queries in QUERIES.items():
        extra = {"topic": "rivers", "sort": "newest"} if kind == "filtered" else {}
        for q in queries:
            assert client.get("/api/v1/search", query_string={"q": q, **extra}).status_code == 200


def run_queries(app, out: Path, repeat: int, reference_rounds: int | None = None) -> dict:
    """p50/p95 per query kind; raw Whoosh (seconds a query at a million entries) runs
    ``reference_rounds`` rounds, without a warm-up round of its own when fewer than ``repeat``."""
    whoosh_rounds = reference_rounds or repeat
    from whoosh import query as wq
    from whoosh import sorting

    from archive.extensions import db
    from archive.models import Camat
    from archive.search import SearchParams, search_entries
    from archive.search.index import current_searcher
    from archive.search.query import build, parse
    from archive.search.synonyms import load_groups
    from sqlalchemy import select

    results: dict[str, dict] = {}
    client = app.test_client()
    fts = sqlite3.connect(out / "fts.sqlite3")
    with app.test_request_context():
        groups = load_groups()
        camat_id = db.session.scalar(select(Camat.id).limit(1))
        topic_slug, topic_id = "rivers", db.session.scalar(
            select(db.text("id")).select_from(db.text("topic")).where(db.text("slug = 'rivers'")))
        searcher = current_searcher(app.config["INDEX_DIR"])
        for kind, queries in QUERIES.items():
            filtered = kind == "filtered"
            extra = {"topic": topic_slug, "camat": camat_id, "sort": "newest"} if filtered else {}

            def app_fn(q, facets=True):
                return search_entries(SearchParams(q=q, with_facets=facets, **extra))

            def http_fn(q):
                r = client.get("/api/v1/search", query_string={"q": q, **extra})
                assert r.status_code == 200, r.status_code

            def raw_fn(q):
                built, _ = build(parse(q), searcher, groups)
                kwargs = {"limit": 20}
                flt = None
                if filtered:
                    flt = wq.And([wq.Term("topic_id", topic_id), wq.Term("camat_id", camat_id)])
                    kwargs["sortedby"] = sorting.FieldFacet("created", reverse=True)
                r = searcher.search(built, filter=flt, **kwargs)
                len(r)

            def raw_groupedby(q):
                built, _ = build(parse(q), searcher, groups)
                facets = {name: sorting.FieldFacet(name) for name in
                          ("topic_id", "camat_id", "kecamatan_id", "trip_id", "year", "kind", "gps")}
                r = searcher.search(built, limit=20, groupedby=facets)
                for name in facets:
                    r.groups(name)

            def fts_fn(q):
                match = fts_query(q)
                sql = ("SELECT doc.rowid FROM doc JOIN meta ON meta.rowid = doc.rowid WHERE doc MATCH ? "
                       "AND meta.published = 1")
                args = [match]
                if filtered:
                    sql += " AND meta.topic_id = ? AND meta.camat_id = ? ORDER BY meta.created_at DESC"
                    args += [topic_id, camat_id]
                else:
                    sql += " ORDER BY rank"
                fts.execute(sql + " LIMIT 20", args).fetchall()
                # facet counts, the FTS way: one GROUP BY per facet over the matches
                for col in ("topic_id", "camat_id", "kind"):
                    fts.execute(f"SELECT meta.{col}, count(*) FROM doc JOIN meta ON meta.rowid = doc.rowid "
                                f"WHERE doc MATCH ? AND meta.published = 1 GROUP BY meta.{col}", [match]).fetchall()

            for q in queries:  # warm caches (stems, facet arrays, page cache)
                app_fn(q); http_fn(q)
                if whoosh_rounds >= repeat:
                    raw_fn(q)
            row = {
                "app": measure(app_fn, queries, repeat),
                "app_no_facets": measure(lambda q: app_fn(q, False), queries, repeat),
                "http": measure(http_fn, queries, repeat),
                "whoosh": measure(raw_fn, queries, whoosh_rounds),
                "fts5": measure(fts_fn, queries, repeat),
            }
            if kind in ("single", "two"):
                row["whoosh_groupedby"] = measure(raw_groupedby, queries[:5], 1)
            sample = app_fn(queries[0])
            row["sample"] = {"q": queries[0], "total": sample.total,
                             "suggestion": sample.suggestion}
            results[kind] = row
    return results


def fts_query(q: str) -> str:
    if q.startswith('"'):
        return q
    return " ".join('"' + w.replace('"', "") + '"' for w in q.split())


def apply_updates(app, out: Path, count: int, per_commit: int = 5) -> int:
    """Re-write ``count`` entries' documents into a copy of the reindexed index,
    ``per_commit`` per Whoosh commit, as the outbox does after everyday edits;
    the app then serves that copy. Returns the number of segments it has."""
    from archive.extensions import db
    from archive.search.documents import iter_documents
    from archive.search.index import INDEX_NAME, apply_documents, forget
    from whoosh.index import open_dir

    copy = out / "index-updated"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(out / "index", copy)
    app.config["INDEX_DIR"] = str(copy)
    forget(str(copy))
    with app.app_context():
        batch: list[dict] = []
        for n, doc in enumerate(iter_documents(db.session)):
            if n >= count:
                break
            batch.append(doc)
            if len(batch) == per_commit:
                apply_documents(str(copy), batch, [])
                batch = []
        if batch:
            apply_documents(str(copy), batch, [])
    return len(open_dir(str(copy), indexname=INDEX_NAME)._segments())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5, help="rounds over each query list")
    ap.add_argument("--rebuild", action="store_true", help="generate the archive again")
    ap.add_argument("--reindex", action="store_true", help="time a full reindex again")
    ap.add_argument("--procs", type=int, default=None, help="indexing processes")
    ap.add_argument("--reference-rounds", type=int, default=None,
                    help="rounds of the raw Whoosh reference (default: --repeat); at a million "
                         "entries each of its queries takes seconds")
    ap.add_argument("--updates", type=int, default=0,
                    help="before the queries, write this many entries again into a copy of the "
                         "index, 5 per commit, as everyday edits do (small segments, deletions)")
    args = ap.parse_args()

    out = ROOT / "benchmarks" / "out" / f"search-{args.count}"
    marker = out / "built.json"
    if args.rebuild and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    info = json.loads(marker.read_text()) if marker.exists() else {}
    if not info:
        print(f"Membuat arsip {args.count} entri di {out} ...", file=sys.stderr)
        info.update(build_archive(out, args.count))
        info["fts_build_s"] = build_fts(out)
        marker.write_text(json.dumps(info))

    app = make_app(out)
    from archive.search import rebuild

    if args.reindex or "reindex_s" not in info:
        print("Membangun indeks Whoosh ...", file=sys.stderr)
        with app.app_context():
            cpu_before = _cpu_seconds()
            started = time.perf_counter()
            n = rebuild(procs=args.procs)
            info["reindex_s"] = time.perf_counter() - started
            # CPU as well as wall time: on a shared machine the wall time
            # says as much about the neighbours as about the indexer.
            info["reindex_cpu_s"] = _cpu_seconds() - cpu_before
            info["indexed"] = n
            # ru_maxrss: KB on Linux; the children's figure is the largest one indexing process
            info["reindex_parent_peak_mb"] = _rss_mb("VmHWM")
            info["reindex_child_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        marker.write_text(json.dumps(info))

    if args.updates:
        started = time.perf_counter()
        segments = apply_updates(app, out, args.updates)
        print(f"{args.updates} entries written again, 5 per commit, into a copy of the index in "
              f"{time.perf_counter() - started:.1f} s: {segments} segments after Whoosh's merges")
    rss_before = _rss_mb()
    warm_app_only(app)
    rss_serving = _rss_mb()
    results = run_queries(app, out, args.repeat, args.reference_rounds)
    rss_after = _rss_mb()
    size_mb = sum(f.stat().st_size for f in Path(app.config["INDEX_DIR"]).glob("*")) / 1e6
    print(f"\nArsip: {args.count} entri ({info.get('indexed')} terindeks), indeks {size_mb:.0f} MB")
    print(f"Reindex: {info['reindex_s']:.1f} s  ->  {info['indexed'] / info['reindex_s']:.0f} dokumen/s "
          f"(bulk, {args.procs or 'bawaan'} proses)"
          + (f", CPU {info['reindex_cpu_s']:.0f} s" if "reindex_cpu_s" in info else ""))
    if "reindex_child_peak_mb" in info:
        print(f"Reindex peak RSS: indexing process {info['reindex_child_peak_mb']:.0f} MB, "
              f"parent (reads the database) {info['reindex_parent_peak_mb']:.0f} MB")
    print(f"Serving process RSS: {rss_before:.0f} MB with the app loaded, {rss_serving:.0f} MB after "
          f"every query once through the API (+{rss_serving - rss_before:.0f} MB: searcher, facet "
          f"columns, caches); {rss_after:.0f} MB after the raw Whoosh and FTS5 reference runs too"
          + (" [same process as the reindex: run without --reindex for a clean figure]"
             if args.reindex else ""))
    print(f"FTS5 build (reference): {info['fts_build_s']:.1f} s\n")
    if args.reference_rounds and args.reference_rounds < args.repeat:
        print(f"raw Whoosh: {args.reference_rounds} round(s) of each query list, without a "
              f"warm-up round of its own; the others: {args.repeat} rounds after one warm-up")
    cols = ["app", "app_no_facets", "http", "whoosh", "whoosh_groupedby", "fts5"]
    print(f"{'query (ms p50/p95)':<20}" + "".join(f"{c:>20}" for c in cols))
    for kind, row in results.items():
        cells = "".join(
            f"{(f'{row[c][0]:.1f} / {row[c][1]:.1f}') if c in row else '-':>20}" for c in cols
        )
        print(f"{kind:<20}{cells}")
    print()
    for kind, row in results.items():
        app50, app95 = row["app"]
        w50, w95 = row["whoosh"]
        nf50, nf95 = row["app_no_facets"]
        print(f"{kind:<12} app/whoosh p50 {app50 / w50:.2f}x  facets add {100 * (app50 / nf50 - 1):+.0f}% (p50)  "
              f"sample {row['sample']}")


if __name__ == "__main__":
    main()
