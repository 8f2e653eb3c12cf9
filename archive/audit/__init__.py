"""The audit log: who changed what, when, from where, with the values before and after.

``recorder`` writes a record for every change the ORM flushes (in the same
transaction, so a rolled-back change leaves no record and a committed one
always has its record) and for logins; ``views`` lets admins read, filter and
export it. Nothing in the site or the API edits or deletes a record.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import recorder
    from .views import bp

    recorder.install()
    app.register_blueprint(bp)
