"""Zip-based files (XLSX, DOCX, zipped shapefiles, KMZ) checked before any reader opens
them: a decompression bomb is refused with a reason, never unpacked into memory.

Each member's declared size, the archive's declared total and each member's compression
ratio are checked first (cheap: the zip's directory); then every member is streamed
through a byte counter, so a member that lies about its size is caught at the cap, not
after it filled the memory. The caps are settings."""

import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
RATIO_FLOOR = 1024 * 1024  # a member smaller than this may have any ratio (an empty sheet)


class ArchiveError(ValueError):
    """A zip that may not be unpacked, with the reason in the user's language."""


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}"


def check_archive(path: Path | str) -> None:
    """Raise ArchiveError if the zip at `path` unpacks beyond the caps
    (KAFO_ZIP_MAX_BYTES in all, KAFO_ZIP_MAX_RATIO per member, KAFO_ZIP_MAX_MEMBERS)."""
    cap, ratio_cap = settings.KAFO_ZIP_MAX_BYTES, settings.KAFO_ZIP_MAX_RATIO
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise ArchiveError(_("not a readable zip archive (XLSX, DOCX and KMZ are zips)")) from None
    with archive:
        members = archive.infolist()
        if len(members) > settings.KAFO_ZIP_MAX_MEMBERS:
            cap_members = settings.KAFO_ZIP_MAX_MEMBERS
            raise ArchiveError(_("the archive holds %(n)d files, more than %(cap)d")
                               % {"n": len(members), "cap": cap_members})  # fmt: skip
        declared = sum(member.file_size for member in members)
        if declared > cap:
            raise ArchiveError(
                _("the archive unpacks to %(size)s MB, more than the %(cap)s MB allowed "
                  "(KAFO_ZIP_MAX_BYTES)") % {"size": _megabytes(declared), "cap": _megabytes(cap)}
            )  # fmt: skip
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > RATIO_FLOOR and ratio > ratio_cap:
                raise ArchiveError(
                    _("“%(name)s” in the archive is compressed %(ratio).0f times, more than "
                      "%(cap)d (a decompression bomb?)")
                    % {"name": member.filename[:80], "ratio": ratio, "cap": ratio_cap}
                )  # fmt: skip
        total = 0
        for member in members:
            read = 0
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(CHUNK):
                        read += len(chunk)
                        total += len(chunk)
                        if read > member.file_size or total > cap:
                            raise ArchiveError(
                                _("“%(name)s” in the archive unpacks to more than it declares "
                                  "(a decompression bomb?)") % {"name": member.filename[:80]}
                            )  # fmt: skip
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as error:
                raise ArchiveError(
                    _("“%(name)s” in the archive is damaged (%(error)s)")
                    % {"name": member.filename[:80], "error": str(error)[:80]}
                ) from None
