"""The camat's upload form, posted through the test client."""
from __future__ import annotations

import io
from dataclasses import dataclass


@dataclass
class Uploaded:
    status_code: int
    html: str


def upload(client, files: list[tuple[bytes, str]], **fields) -> Uploaded:
    """POST the upload form with several files at once; the client must be logged in."""
    data = {"trip": fields.pop("trip", "1"), "topic": fields.pop("topic", ""),
            "tags": "", "place_name": "", "description": "", "status": "draft"}
    data.update({k: str(v) for k, v in fields.items()})
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    response = client.post("/entri/unggah", data=data, content_type="multipart/form-data")
    return Uploaded(response.status_code, response.get_data(as_text=True))
