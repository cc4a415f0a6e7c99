"""National ID numbers (居民身份证号码) of staff: personal information kept out of plain sight.

A number is entered once and stored three ways, none of them the number itself:
- `id_hash`: a keyed HMAC-SHA256 of the normalised number, for matching (the same person at
  another kindergarten, a workbook row). Without the key a dump cannot be searched for a number.
- `id_encrypted`: the number encrypted with Fernet (AES-128-CBC + HMAC), for the bureau
  administrator's recorded reveal.
- `id_last4`: the last four characters, for the masked form shown everywhere.

Both keys derive from `settings.ID_NUMBER_KEY` (see settings.py: production must set it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _

ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
# GB 11643-1999 check digit: weights of the 17 digits, and the check character by remainder.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
MASK_STARS = 14


def normalise(raw: str) -> str:
    """Upper-case, without spaces (full-width characters folded): the form that is hashed."""
    text = (raw or "").strip().replace(" ", "").replace("\u3000", "")
    text = text.translate({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}).replace("ｘ", "X")
    return text.upper()


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def validate(raw: str) -> str:
    """The normalised number, or a ValidationError saying what is wrong (never echoing it)."""
    number = normalise(raw)
    if not ID_PATTERN.match(number):
        raise ValidationError(_("身份证号码应为 18 位（最后一位可为 X）。"), code="format")
    if check_digit(number[:17]) != number[17]:
        raise ValidationError(_("身份证号码校验位不正确。"), code="checksum")
    return number


@cache
def _keys(secret: str) -> tuple[bytes, Fernet]:
    if not secret:
        raise ImproperlyConfigured("ID_NUMBER_KEY (or, in development, SECRET_KEY) must be set.")
    master = secret.encode()
    hash_key = hmac.new(master, b"staff.id-number.hash", hashlib.sha256).digest()
    fernet_key = hmac.new(master, b"staff.id-number.encrypt", hashlib.sha256).digest()
    return hash_key, Fernet(base64.urlsafe_b64encode(fernet_key))


def _current_keys() -> tuple[bytes, Fernet]:
    return _keys(settings.ID_NUMBER_KEY)


def id_hash(number: str) -> str:
    """Keyed hash of a normalised (validated) number."""
    return hmac.new(_current_keys()[0], number.encode(), hashlib.sha256).hexdigest()


def encrypt(number: str) -> str:
    return _current_keys()[1].encrypt(number.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current_keys()[1].decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a different key: say so rather than show garbage
        raise ImproperlyConfigured("ID_NUMBER_KEY does not decrypt the stored ID numbers.") from exc


def mask(last4: str) -> str:
    """The only form of a number shown on pages, in the API and in exports."""
    return "*" * MASK_STARS + last4 if last4 else ""


def protected(number: str) -> dict[str, str]:
    """The three stored fields of a validated number."""
    return {"id_hash": id_hash(number), "id_encrypted": encrypt(number), "id_last4": number[-4:]}
