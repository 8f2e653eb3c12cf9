"""The offline bundle: one zip that opens from a laptop's disk, with no server
and no network.

Inside: ``index.html`` (the deck as a static document), ``slides.html`` (the
same slides as the site's presentation mode, working from file://), the
photos as the archive's JPEG thumbnails under ``images/``, and the CSS and JS
under ``assets/`` with the city's mark. Every reference is a relative path inside the zip. The
zip is written to a temporary file, not memory, because 60 projector-sized
photos are tens of megabytes.
"""
from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

from flask import current_app, render_template
from PIL import Image

from ..identity.city import current_city
from ..models import Entry
from .slides import Deck

if TYPE_CHECKING:  # (pdf_layout imports fpdf2, which only PDF requests need)
    from .pdf_layout import ImagePath

#: files copied from static/ into the bundle's assets/ folder
ASSETS = {
    "assets/slides.css": "css/slides.css",
    "assets/slides.js": "js/slides.js",
}
#: and for a deck with a map slide: Leaflet, the Natural Earth outlines and their code
MAP_ASSETS = {
    "assets/leaflet.css": "vendor/leaflet/leaflet.css",
    "assets/leaflet.js": "vendor/leaflet/leaflet.js",
    "assets/topojson-client.min.js": "vendor/topojson-client/topojson-client.min.js",
    "assets/countries-10m.js": "vendor/world-atlas/countries-10m.js",
    "assets/offline-base.js": "js/offline-base.js",
    "assets/slide-map.js": "js/slide-map.js",
}
SIZES = ("large", "small")
#: the city's mark (archive/identity), whichever file the config names
MARK = "assets/city-mark.svg"


def bundle_image_name(entry: Entry, size: str) -> str:
    return f"images/{entry.id}-{size}.jpg"


def bundle_asset_url(name: str) -> str:
    """Templates ask for "css/slides.css"; inside the zip it is "assets/slides.css"."""
    for inside, static_name in (ASSETS | MAP_ASSETS).items():
        if static_name == name:
            return inside
    raise KeyError(name)


def write_bundle(deck: Deck, image_path: ImagePath, folder: str) -> IO[bytes]:
    """Write the zip to a temporary file and return it, rewound, for sending.

    ``folder`` is the single top-level folder inside the zip, so that
    unpacking never scatters files into the user's Downloads folder.
    """
    out = tempfile.TemporaryFile(suffix=".zip")
    try:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            context = dict(deck=deck, image_url=bundle_image_name, asset_url=bundle_asset_url,
                           mark_url=MARK,
                           offline=True, back_url=None)
            zf.writestr(f"{folder}/index.html",
                        render_template("presentation/document.html", **context))
            zf.writestr(f"{folder}/slides.html",
                        render_template("presentation/slides.html", **context))
            static = Path(current_app.static_folder)
            assets = ASSETS | (MAP_ASSETS if deck.has_map else {})
            for inside, static_name in assets.items():
                zf.write(static / static_name, f"{folder}/{inside}")
            zf.write(current_city().mark_path, f"{folder}/{MARK}")
            for entry in deck.picture_entries:
                for size in SIZES:
                    name = f"{folder}/{bundle_image_name(entry, size)}"
                    path = image_path(entry, size)
                    # JPEGs do not shrink when deflated: store them as they are.
                    if path is None:
                        zf.writestr(name, _placeholder_jpeg(), compress_type=zipfile.ZIP_STORED)
                    else:
                        zf.write(path, name, compress_type=zipfile.ZIP_STORED)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def _placeholder_jpeg() -> bytes:
    """A plain grey picture for a photo whose file is gone, so no link breaks."""
    buffer = io.BytesIO()
    Image.new("RGB", (800, 450), (214, 218, 224)).save(buffer, "JPEG", quality=70)
    return buffer.getvalue()
