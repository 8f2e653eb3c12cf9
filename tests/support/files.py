"""Generated files: JPEG (with or without EXIF), PNG, MPO, HEIC and PDF bytes.

Everything is made with Pillow (and pillow-heif), fpdf2 and pypdf, so the tests run anywhere.
A ``seed`` gives each picture content of its own (and so a hash of its own).
"""
from __future__ import annotations

import io
import random
from collections.abc import Sequence

from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

#: Cheonggyecheon, where the entries tests' photos are taken
SEOUL = (37.5704, 126.9910)
#: near Gwanghwamun, where camera_exif puts a photo unless told otherwise
GWANGHWAMUN = (37.5601, 126.978117)

# ---------------------------------------------------------------- pictures


def picture(seed: int = 0, size: tuple[int, int] = (64, 48)) -> Image.Image:
    """A picture that differs for every seed: a colour and, from a height of
    the seed's own, a band of stripes."""
    width, height = size
    image = Image.new("RGB", size, ((seed * 47) % 256, (seed * 91) % 256, (seed * 13 + 80) % 256))
    top = (seed * 7) % height
    for x in range(0, width, 40):
        image.paste((255 - seed % 256, 120, x % 256), (x, top, min(x + 20, width), height))
    return image


def two_colour_image(size: tuple[int, int]) -> Image.Image:
    """Left half red, right half blue: which way is up can be told afterwards."""
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    return image


def noise_image(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """An image of random pixels, so that its JPEG has a long scan to cut short."""
    return Image.frombytes("RGB", size, random.Random(seed).randbytes(size[0] * size[1] * 3))


# ---------------------------------------------------------------- EXIF


def _dms(degrees: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    """Unsigned degrees as EXIF writes them: degrees, minutes, seconds."""
    seconds = round(abs(degrees) * 3600, 4)
    whole, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return (IFDRational(int(whole), 1), IFDRational(int(minutes), 1),
            IFDRational(round(seconds * 10000), 10000))


def camera_exif(orientation: int | None = None, *, make: str = "Samsung", model: str = "SM-G960F",
                description: str = "", taken: str = "2018:07:10 09:30:00",
                gps: tuple[float, float] | None = GWANGHWAMUN, altitude: float = 38.5) -> bytes:
    """An EXIF block as a camera writes it: make and model, time taken, the
    position ``gps`` (latitude, longitude in degrees; south and west below
    zero) at ``altitude`` metres, and the orientation and description if given."""
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    exif[0x010F] = make
    exif[0x0110] = model
    if description:
        exif[0x010E] = description
    exif[0x0132] = taken  # DateTime
    exif.get_ifd(ExifTags.IFD.Exif)[0x9003] = taken  # DateTimeOriginal
    if gps is not None:
        lat, lon = gps
        exif.get_ifd(ExifTags.IFD.GPSInfo).update({
            1: "N" if lat >= 0 else "S", 2: _dms(lat),
            3: "E" if lon >= 0 else "W", 4: _dms(lon),
            5: b"\x01" if altitude < 0 else b"\x00", 6: IFDRational(round(abs(altitude) * 100), 100),
        })
    return exif.tobytes()


#: the camera of the entries tests' photos, as their pages show it
NIKON = {"orientation": 1, "make": "NIKON", "model": "COOLPIX P6000",
         "taken": "2018:07:10 10:15:00", "gps": None, "altitude": 35.0}

# ---------------------------------------------------------------- files


def jpeg_bytes(seed: int = 0, size: tuple[int, int] = (64, 48), *, image: Image.Image | None = None,
               exif: bytes | None = None, **save) -> bytes:
    """A JPEG of ``image``, or else of the seed's picture; with the ``exif`` block if given."""
    image = image if image is not None else picture(seed, size)
    if exif is not None:
        save["exif"] = exif
    out = io.BytesIO()
    image.save(out, "JPEG", **{"quality": 90, **save})
    return out.getvalue()


def camera_jpeg(seed: int = 0, size: tuple[int, int] = (80, 60), **exif) -> bytes:
    """The seed's picture as the NIKON took it (see NIKON); ``exif`` changes
    that, e.g. ``gps=SEOUL``."""
    return jpeg_bytes(seed, size, exif=camera_exif(**{**NIKON, **exif}), quality=80)


def with_app1(jpeg: bytes, payload: bytes) -> bytes:
    """The JPEG with an extra APP1 segment of ``payload`` right after SOI."""
    return jpeg[:2] + b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload + jpeg[2:]


def png_bytes(seed: int = 0, size: tuple[int, int] = (40, 30), *, image: Image.Image | None = None) -> bytes:
    """A PNG of ``image``, or else of the seed's picture."""
    out = io.BytesIO()
    (image if image is not None else picture(seed, size)).save(out, "PNG")
    return out.getvalue()


def heic_bytes(seed: int = 0, size: tuple[int, int] = (64, 48), *,
               image: Image.Image | None = None, exif: bytes | None = None) -> bytes:
    """A HEIC (HEVC in HEIF, as an iPhone writes it) made with pillow-heif; an
    EXIF orientation becomes the HEIF's own rotation (``irot``), as on a phone."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    save = {"exif": exif} if exif is not None else {}
    (image if image is not None else picture(seed, size)).save(out, "HEIF", quality=80, **save)
    return out.getvalue()


def mpo_bytes() -> bytes:
    """A multi-picture JPEG as phones write it (two frames)."""
    out = io.BytesIO()
    first, second = two_colour_image((60, 40)), Image.new("RGB", (60, 40), "green")
    first.save(out, "MPO", save_all=True, append_images=[second], exif=camera_exif())
    return out.getvalue()


PAGE_TEXTS = [
    "Trotoar di Seoul lebar dan rata.",
    "Sungai Cheonggyecheon dipulihkan.",
    "Taman inovatif di atas bekas jalan layang.",
]


def pdf_bytes(text: str | None = None, pages: int | Sequence[str] | None = None, *,
              title: str = "") -> bytes:
    """A PDF with text on every page. ``pages`` are the pages' texts, or how
    many pages say ``text`` and their number ("<text>. Halaman 2."); with
    neither, the three PAGE_TEXTS. ``title`` goes into the metadata if given."""
    from fpdf import FPDF

    if pages is None:
        pages = PAGE_TEXTS if text is None else 2
    if isinstance(pages, int):
        pages = [f"{text}. Halaman {n}." for n in range(1, pages + 1)]
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_font("helvetica", size=12)
    for page_text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 10, page_text)
    return bytes(pdf.output())


def encrypted_pdf_bytes(user_password: str = "rahasia") -> bytes:
    """pdf_bytes() locked with RC4 (which needs no extra crypto library)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
