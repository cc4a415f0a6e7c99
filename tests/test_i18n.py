"""The English user interface: switching language, and a complete, compiled English catalog.

The msgids are Simplified Chinese (our convention), so an untranslated string shows Chinese to an
English reader: every msgid in locale/en must have a translation, with the same placeholders, and
the committed .mo must match the .po (a forgotten `compilemessages` fails here, not in the UI).
The .po is read with a small standard-library parser so CI needs no extra package.
"""

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from .conftest import client_for

EN_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = EN_DIR / "django.po"
MO_PATH = EN_DIR / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass
class PoEntry:
    """One active (non-obsolete) catalog entry."""

    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def unquote(text: str) -> str:
    """A PO string literal (`"..."`) as the text it stands for."""
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a PO string: {text!r}"
    return re.sub(r"\\(.)", lambda m: PO_ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(path: Path) -> list[PoEntry]:
    """The entries of a .po file, header included (msgid ""), obsolete (#~) entries left out."""
    entries: list[PoEntry] = []
    current: PoEntry | None = None
    key: tuple[str, int] | None = None
    pending_flags: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert current is not None and key is not None, f"line {number}: continuation without a keyword"
            name, index = key
            if name == "msgstr":
                current.msgstr[index] += unquote(line)
            else:
                setattr(current, name, (getattr(current, name) or "") + unquote(line))
            continue
        keyword, _, value = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr):
            # A msgctxt, or a msgid not preceded by its own msgctxt, starts the next entry.
            current = PoEntry(line=number, flags=pending_flags)
            pending_flags = set()
            entries.append(current)
        assert current is not None, f"line {number}: {keyword} before any msgid"
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match:
            key = ("msgstr", int(match.group(1)))
            current.msgstr[key[1]] = unquote(value)
        elif keyword == "msgstr":
            key = ("msgstr", 0)
            current.msgstr[0] = unquote(value)
        elif keyword in ("msgctxt", "msgid", "msgid_plural"):
            key = (keyword, 0)
            setattr(current, keyword, unquote(value))
        else:
            raise AssertionError(f"line {number}: unexpected {keyword!r}")
    return entries


@pytest.fixture(scope="module")
def en_entries() -> list[PoEntry]:
    return [e for e in parse_po(PO_PATH) if e.msgid]


def test_it_parses_the_catalog_it_checks(en_entries):
    # A parser that silently found nothing would make the completeness tests pass vacuously.
    assert len(en_entries) > 500
    assert any(e.msgid_plural for e in en_entries)
    by_id = {e.msgid: e for e in en_entries}
    assert by_id["幼儿园名录"].msgstr == {0: "Kindergartens"}


def test_it_translates_every_msgid_into_english(en_entries):
    missing = [
        f"line {e.line}: {e.msgid!r}"
        for e in en_entries
        if not all(text.strip() for text in e.msgstr.values()) or (e.msgid_plural and len(e.msgstr) < 2)
    ]
    assert not missing, "untranslated msgids in locale/en (run makemessages, then translate):\n" + "\n".join(missing)


def test_it_leaves_no_fuzzy_translation(en_entries):
    # gettext ignores fuzzy entries, so a fuzzy translation shows Chinese to an English reader.
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in en_entries if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries in locale/en:\n" + "\n".join(fuzzy)


def test_it_keeps_every_placeholder(en_entries):
    wrong = []
    for e in en_entries:
        # msgstr[0] is the singular form, every further form follows msgid_plural.
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 or not e.msgid_plural else e.msgid_plural
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                wrong.append(f"line {e.line}: {e.msgid!r} -> {text!r}")
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_it_ships_a_compiled_catalog_matching_the_po(en_entries):
    with MO_PATH.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for e in en_entries:
        if e.msgid_plural:
            got = [
                compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                if e.msgctxt
                else compiled.ngettext(e.msgid, e.msgid_plural, n)
                for n in (1, 2)
            ]
            want = [e.msgstr[0], e.msgstr[1]]
        else:
            got = [compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt else compiled.gettext(e.msgid)]
            want = [e.msgstr[0]]
        if got != want:
            stale.append(f"line {e.line}: {e.msgid!r}")
    assert not stale, "django.mo is out of date; run `manage.py compilemessages`:\n" + "\n".join(stale)


def test_it_shows_the_kindergarten_list_in_chinese_by_default(client, bureau_official, kg_a):
    response = client_for(client, bureau_official).get(reverse("kindergartens:kindergarten_list"))

    assert response.status_code == 200
    assert "<h1>幼儿园名录</h1>" in response.content.decode()


def test_it_shows_the_kindergarten_list_in_english_after_switching(client, bureau_official, kg_a):
    client = client_for(client, bureau_official)
    list_url = reverse("kindergartens:kindergarten_list")

    switched = client.post(reverse("set_language"), {"language": "en", "next": list_url})
    assert switched.status_code == 302
    assert switched.url == list_url

    response = client.get(list_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en"' in html
    assert "<h1>Kindergartens</h1>" in html
    assert "Add kindergarten" in html
    assert "幼儿园名录" not in html
    # Data stays as entered: the kindergarten's Chinese name is not translated.
    assert kg_a.name in html


def test_it_switches_back_to_chinese(client, bureau_official):
    client = client_for(client, bureau_official)
    list_url = reverse("kindergartens:kindergarten_list")
    client.post(reverse("set_language"), {"language": "en", "next": list_url})
    client.post(reverse("set_language"), {"language": "zh-hans", "next": list_url})

    assert "<h1>幼儿园名录</h1>" in client.get(list_url).content.decode()
