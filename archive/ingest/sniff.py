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
PDF = FileType("paper", "application/pdf", "pdf")

# ISO base media "ftyp" brands of HEIF/HEIC/AVIF, which phones often send.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
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
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        raise Refused(
            _("Berkas %(name)s berformat HEIC (foto iPhone), yang tidak diterima. "
              "Ubah ke JPEG (di iPhone: Pengaturan > Kamera > Format > Paling Kompatibel, "
              "atau ekspor sebagai JPEG) lalu unggah lagi.", name=filename),
            415,
        )
    if head[4:8] == b"ftyp" and head[8:12] in _AVIF_BRANDS:
        raise Refused(
            _("Berkas %(name)s berformat AVIF, yang tidak diterima. "
              "Simpan sebagai JPEG atau PNG lalu unggah lagi.", name=filename),
            415,
        )
    raise Refused(
        _("Jenis berkas %(name)s tidak didukung. Yang diterima hanya foto JPEG atau PNG "
          "dan makalah PDF.", name=filename),
        415,
    )
