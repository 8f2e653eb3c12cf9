"""Command line: ``flask --app archive <command>``.

Each command commits once at its end (the CLI is, with the request, one of the
two places that commit) and exits non-zero with a clear message on bad input.
"""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from .core.commands import command_context
from .extensions import db, migrations
from .models import ROLES, ApiToken, Kecamatan, User


def init_app(app: Flask) -> None:
    for command in (init_db, seed_demo_command, create_user, create_token):
        app.cli.add_command(command)
    ingest_cli = __import__("archive.ingest.cli", fromlist=["cli"])
    app.cli.add_command(ingest_cli.rebuild_thumbnails)
    app.cli.add_command(ingest_cli.import_command)
    app.cli.add_command(__import__("archive.uploads.cli", fromlist=["cli"]).sweep_uploads)
    app.cli.add_command(
        __import__("archive.places.cli", fromlist=["cli"]).rebuild_places_command)
    __import__("archive.backup", fromlist=["init_app"]).init_app(app)


def upgrade_schema() -> None:
    """Create or upgrade the schema through the Alembic migrations."""
    from flask_migrate import upgrade

    migrations()
    upgrade()


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database schema (Alembic migrations) and reference data."""
    from .seed import seed_reference

    upgrade_schema()
    created = seed_reference()
    db.session.commit()
    click.echo(
        f"Skema basis data mutakhir. Kecamatan baru: {created['kecamatan']}, "
        f"topik baru: {created['topic']}, kelompok sinonim baru: {created['synonym_group']}."
    )


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the Seoul 2018 trip, the ten camat, their 2018 scores, demo logins and the
    openly licensed sample photos and papers (archive/demo/samples)."""
    from .demo import seed_samples
    from .demo.report import seed_sample_report
    from .search import sync_pending
    from .seed import seed_demo

    upgrade_schema()
    result = seed_demo()
    db.session.commit()
    sync_pending()
    made = ", ".join(f"{k}: {v}" for k, v in result.created.items())
    click.echo(f"Data demo siap (baru dibuat - {made}).")
    with command_context():  # the pipeline's messages read the locale
        samples = seed_samples()
    click.echo(f"Contoh berlisensi terbuka: {samples.added} ditambahkan, "
               f"{samples.duplicate} sudah ada (sumber dan lisensi: archive/demo/samples/README.md).")
    for label, message in samples.failed:
        click.echo(f"Contoh gagal: {label}: {message}", err=True)
    if seed_sample_report() is not None:
        db.session.commit()
        click.echo("Contoh laporan dibuat dari berkas contoh camat Cinambo.")
    click.echo("Login DEMO, hanya untuk mencoba; semua orang mengetahui kata sandi ini")
    click.echo("(demo logins, for trying only: everyone knows these passwords):")
    for username, password, role in result.logins:
        click.echo(f"  {username:<18} {password:<24} {role}")
    click.echo("Untuk dipakai sungguhan: ganti kata sandi ini di /admin/pengguna, atau jangan "
               "memuat data demo (README, 'Running it for real').")


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--kecamatan", "kecamatan_name", help="Kecamatan yang dipimpin (peran camat).")
@click.option("--name", "display_name", help="Nama camat (bawaan: 'Camat <kecamatan>').")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user(username: str, role: str, kecamatan_name: str | None,
                display_name: str | None, password: str) -> None:
    """Create a login. A camat is linked to the camat of --kecamatan (created if needed)."""
    from .admin.operations.users import NewUser, Refused, create_user as create_user_row

    username = username.strip()
    if not username or len(username) > 64:
        raise click.UsageError("Nama pengguna harus 1-64 karakter.")
    if role == "camat" and not kecamatan_name:
        raise click.UsageError("Peran camat memerlukan --kecamatan NAMA.")
    kecamatan_id = None
    if kecamatan_name:
        kec = db.session.scalar(
            select(Kecamatan).where(db.func.lower(Kecamatan.name) == kecamatan_name.strip().lower())
        )
        if kec is None:
            raise click.UsageError(f"Kecamatan '{kecamatan_name}' tidak dikenal.")
        kecamatan_id = kec.id
    try:
        created = create_user_row(NewUser(username=username, password=password, role=role,
                                          kecamatan_id=kecamatan_id, camat_name=display_name or ""))
    except Refused as refused:
        db.session.rollback()
        raise click.UsageError(refused.message) from None
    db.session.commit()
    linked = f", camat: {created.camat.name}" if created.camat else ""
    click.echo(f"Pengguna '{username}' ({role}) dibuat{linked}.")


@click.command("create-token")
@with_appcontext
@click.argument("username")
def create_token(username: str) -> None:
    """Issue a new API token for USERNAME; the token is printed on the last line."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.UsageError(f"Pengguna '{username}' tidak ditemukan.")
    row, token = ApiToken.issue(user)
    db.session.add(row)
    db.session.commit()
    click.echo(f"Token API baru untuk '{username}' (simpan sekarang, tidak ditampilkan lagi):")
    click.echo(token)
