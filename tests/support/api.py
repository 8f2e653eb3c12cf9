"""The API tests' side of a request: tokens, the bearer header, JSON errors."""
from __future__ import annotations

from sqlalchemy import select

from archive.extensions import db
from archive.models import ApiToken, User


def issue_token(app, username: str) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        row, token = ApiToken.issue(user)
        db.session.add(row)
        db.session.commit()
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.is_json, response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert body["status"] == status and isinstance(body["message"], str) and body["message"]
    return body
