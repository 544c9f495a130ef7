"""What every upstream adapter does with a Xero attachment call before it reaches its source: read the upload, name it
safely, type it, and pick the answer's media type.

Rules (spec ``components.schemas.Attachment`` and the ``…/Attachments`` operations;
https://developer.xero.com/documentation/api/accounting/attachments), as the native ledger applies them
(:mod:`adapters.native.attachments`, whose file-handling half stays there: the integrator may fold its readers into
this module):

- uploads name the file in the URL (``PUT``/``POST …/Attachments/{FileName}``) and send the file as the body; the
  front end hands them over as one element ``{"FileName", "MimeType", "ContentLength", "Content"}``;
- ``MimeType`` is the upload's ``Content-Type``, or guessed from the file name (``mimetypes``) when the client sent
  none, ``application/octet-stream`` or ``application/x-www-form-urlencoded``;
- downloads are answered ``application/octet-stream`` (the spec's media type of the by-id and by-file-name GETs) unless
  the client's ``Accept`` names the file's own type;
- file names are matched case-insensitively after an exact match (unconfirmed for Xero);
- an upload's file name is a plain name: one with a path in it (``/``, ``\\``, ``..``, so also an absolute path or
  ``..%2F`` once the URL is decoded) or a control character (NUL included) is refused with a ``ValidationException``
  before anything is stored (issue 11: path traversal in attachment names answers 400 and writes nothing), never
  cut down to its last component.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from gateway.xero.errors import ValidationException

#: Longest file name kept.
MAX_FILE_NAME = 255
#: Content-Types that do not type the file: none (aiohttp reads a missing header as ``application/octet-stream``;
#: xero-node sends none) or a form encoding some clients send with a raw body (issue 12).
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/x-www-form-urlencoded"})
#: (unconfirmed) as the native ledger answers it.
NAME_REQUIRED = "A file name must be given in the URL of an attachment."
#: (unconfirmed) as the native ledger answers it.
EMPTY = "The attachment has no content: send the file as the request body."
#: (unconfirmed) Xero's wording for such a name is not published.
NAME_NOT_PLAIN = ("The file name of an attachment must be a plain file name: no folder ('/' or '\\'), no '..' "
                  "and no control characters.")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")
T = TypeVar("T")


@dataclass(frozen=True)
class Upload:
    """One upload: the sanitised file name, the media type sent (possibly empty) and the bytes."""

    file_name: str
    mime_type: str
    content: bytes

    @property
    def media_type(self) -> str:
        """The file's media type (:func:`mime_type_for`)."""
        return mime_type_for(self.file_name, self.mime_type)

    @classmethod
    def from_elements(cls, elements: list[dict[str, Any]]) -> Upload:
        """Read the one upload element of an attachment call.

        Raises:
            ValidationException: no element, no file name, or an empty body.
        """
        if len(elements) != 1:
            raise ValidationException.single(EMPTY)
        element = elements[0]
        content = element.get("Content")
        if isinstance(content, str):
            content = content.encode("utf-8")
        name = upload_file_name(str(element.get("FileName") or ""))
        if not isinstance(content, (bytes, bytearray)) or not content:
            raise ValidationException.single(EMPTY)
        return cls(file_name=name, mime_type=str(element.get("MimeType") or ""), content=bytes(content))


def upload_file_name(name: str) -> str:
    """The file name an upload is stored under: the name sent, NFC, trimmed (module docstring).

    Raises:
        ValidationException: no name, or one that is not a plain file name (a path separator, ``.``/``..``, a control
            character or NUL).
    """
    name = unicodedata.normalize("NFC", name)
    if _UNSAFE.search(name) or name.strip() in (".", ".."):
        raise ValidationException.single(NAME_NOT_PLAIN)
    cleaned = sanitise_file_name(name)
    if not cleaned:
        raise ValidationException.single(NAME_REQUIRED)
    return cleaned


def sanitise_file_name(name: str) -> str:
    """A display-safe file name: the last path component, NFC, without control characters or slashes, trimmed, at
    most 255 characters; ``""`` when nothing usable is left."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub("", name).strip()
    return "" if name in (".", "..") else name[:MAX_FILE_NAME]


def mime_type_for(file_name: str, sent: str) -> str:
    """The upload's own media type, else one guessed from the name, else ``application/octet-stream``."""
    sent = sent.split(";")[0].strip().lower()
    if sent not in GENERIC_TYPES:
        return sent
    guessed, _ = mimetypes.guess_type(file_name)
    return guessed or "application/octet-stream"


def response_type(mime_type: str, accept: str | None) -> str:
    """The ``Content-Type`` of a download: the file's type only when ``Accept`` names it (module docstring)."""
    wanted = {part.split(";")[0].strip().lower() for part in (accept or "").split(",")}
    return mime_type if mime_type.lower() in wanted else "application/octet-stream"


def quote_name(file_name: str) -> str:
    """A file name as one URL path segment (``Url`` of an attachment)."""
    return quote(file_name, safe="")


def by_file_name(items: Iterable[T], file_name: str, name_of: Callable[[T], str]) -> T | None:
    """The item named ``file_name``: an exact match first, else a case-insensitive one."""
    rows = list(items)
    name = sanitise_file_name(file_name)
    exact = next((row for row in rows if name_of(row) == name), None)
    if exact is not None:
        return exact
    folded = name.casefold()
    return next((row for row in rows if name_of(row).casefold() == folded), None)
