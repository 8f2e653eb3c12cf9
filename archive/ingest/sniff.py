"""Decide a file's type from its first bytes only; its name and Content-Type are never trusted."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..core.refusal import Refused

#: how many leading bytes ``sniff`` needs
HEAD_BYTES = 1024


@dataclass(frozen=True)
class FileType:
    kind: str  # "photo" | "paper"
    mime_type: str
    extension: str  # used for the generated storage name


JPEG = FileType("photo", "image/jpeg", "jpg")
PNG = FileType("photo", "image/png", "png")
#: HEVC-coded HEIF, the iPhone's default since 2017 (decoded with pillow-heif)
HEIC = FileType("photo", "image/heic", "heic")
#: HEIF of the generic brands (``mif1``/``msf1``) without an AVIF brand
HEIF = FileType("photo", "image/heif", "heif")
PDF = FileType("paper", "application/pdf", "pdf")

# ISO base media "ftyp" brands (major or compatible) of HEIC, generic HEIF and AVIF.
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"}
_HEIF_BRANDS = {b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


def sniff(head: bytes, filename: str) -> FileType:
    """Return the accepted type of a file starting with ``head``, or raise ``Refused``."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG  # also the multi-picture JPEG (MPO) of phones
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    # The PDF spec lets readers accept a header within the first 1024 bytes,
    # and some producers do put junk before it.
    if b"%PDF-" in head[:HEAD_BYTES]:
        return PDF
    brands = ftyp_brands(head)
    if brands:
        major = brands[0]
        if major in _HEIC_BRANDS:
            return HEIC
        if major in _AVIF_BRANDS or _AVIF_BRANDS.intersection(brands):
            raise Refused(
                _("Berkas %(name)s berformat AVIF, yang tidak diterima. "
                  "Simpan sebagai JPEG atau PNG lalu unggah lagi.", name=filename),
                415,
            )
        if _HEIC_BRANDS.intersection(brands):
            return HEIC
        if major in _HEIF_BRANDS:
            return HEIF
    raise Refused(
        _("Jenis berkas %(name)s tidak didukung. Yang diterima hanya foto JPEG, PNG atau "
          "HEIC dan makalah PDF.", name=filename),
        415,
    )


def ftyp_brands(head: bytes) -> list[bytes]:
    """The major brand then the compatible brands of an ISO base media file's
    leading ``ftyp`` box; empty if ``head`` does not start with one."""
    if head[4:8] != b"ftyp":
        return []
    size = min(int.from_bytes(head[:4], "big"), len(head))
    if size < 16:
        return []
    brands = [head[8:12]]  # then the minor version (4 bytes)
    brands += [head[i:i + 4] for i in range(16, size - 3, 4)]
    return brands
