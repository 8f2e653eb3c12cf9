"""The client side of tus 1.0 for the tests: create, HEAD, PATCH, with the headers it needs."""
from __future__ import annotations

import base64
import io

from support.files import noise_image

TUS = {"Tus-Resumable": "1.0.0"}
API = "/api/v1/uploads/"


def photo(seed: int = 0, size: tuple[int, int] = (240, 180)) -> bytes:
    """A JPEG of random pixels: tens of kilobytes that cannot be squeezed."""
    out = io.BytesIO()
    noise_image(size, seed).save(out, "JPEG", quality=90)
    return out.getvalue()


def metadata(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def create(client, length: int, headers: dict, url: str = API, **meta: str):
    meta.setdefault("filename", "foto.jpg")
    return client.post(url, headers={**TUS, **headers, "Upload-Length": str(length),
                                     "Upload-Metadata": metadata(**meta)})


def patch(client, location: str, offset: int, body: bytes, headers: dict, **extra):
    return client.patch(location, data=body, headers={
        **TUS, **headers, "Upload-Offset": str(offset),
        "Content-Type": "application/offset+octet-stream", **extra})


def head(client, location: str, headers: dict):
    return client.head(location, headers={**TUS, **headers})
