"""Name compliance (名称规范, domain.md §5): which rule a kindergarten's name breaks, and why.

The banned words are data (`NamingRule`, editable by the bureau); two checks are structural:
Latin letters count as foreign words, and a private kindergarten may not take the name of a
public one (compared on the distinctive core of the name, without place prefix and suffix).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from .choices import PUBLIC_SPONSORS, NamingRuleCategory

LATIN = re.compile(r"[A-Za-z]+")
# A city prefix, then a district prefix, each stripped at most once ("北京市朝阳区…" loses both).
_PREFIXES = (("北京市", "北京"), ("朝阳区", "朝阳"))
_SUFFIX = re.compile(r"(幼儿园|社区办园点|办园点).*$")


@dataclass(frozen=True)
class Violation:
    category: str
    word: str

    @property
    def label(self) -> str:
        return str(NamingRuleCategory(self.category).label)

    def as_dict(self) -> dict[str, str]:
        return {"category": self.category, "word": self.word}


@dataclass(frozen=True)
class Rules:
    """What a check needs, loaded once so a bulk check costs two queries, not two per name."""

    words: tuple[tuple[str, str, bool], ...]  # (category, word, private_only)
    public_cores: frozenset[str]

    @classmethod
    def load(cls, *, exclude_pk: int | None = None) -> Rules:
        """`exclude_pk`: the kindergarten being checked, whose stored row may still be public (a
        public kindergarten turned private must not count as copying its own name)."""
        from .models import Kindergarten, NamingRule

        words = tuple(NamingRule.objects.filter(is_active=True).values_list("category", "word", "private_only"))
        public = Kindergarten.objects.filter(sponsor_type__in=PUBLIC_SPONSORS)
        if exclude_pk is not None:
            public = public.exclude(pk=exclude_pk)
        public_names = public.values_list("name", flat=True)
        return cls(words=words, public_cores=frozenset(c for c in map(core_name, public_names) if len(c) >= 2))


def core_name(name: str) -> str:
    """The distinctive part of a name: '北京市朝阳区阳光幼儿园(分园)' -> '阳光'."""
    core = name.strip()
    for alternatives in _PREFIXES:
        for prefix in alternatives:
            if core.startswith(prefix):
                core = core[len(prefix) :]
                break
    return _SUFFIX.sub("", core).strip()


def check_name(name: str, *, is_private: bool, rules: Rules) -> list[Violation]:
    found: list[Violation] = []
    for match in LATIN.findall(name):
        found.append(Violation(NamingRuleCategory.FOREIGN_WORD, match))
    for category, word, private_only in rules.words:
        if word in name and (is_private or not private_only):
            found.append(Violation(category, word))
    if is_private:
        core = core_name(name)
        if core in rules.public_cores:
            found.append(Violation(NamingRuleCategory.PUBLIC_SCHOOL_NAME, core))
    return sorted(set(found), key=lambda v: (v.category, v.word))


def apply_check(kindergarten, rules: Rules) -> bool:
    """Sets the kindergarten's stored verdict; returns whether it changed."""
    violations = [
        v.as_dict() for v in check_name(kindergarten.name, is_private=not kindergarten.is_public, rules=rules)
    ]
    changed = violations != kindergarten.name_violations
    kindergarten.name_violations = violations
    kindergarten.name_compliant = not violations
    return changed


def violations_of(kindergarten) -> list[Violation]:
    return [Violation(v["category"], v["word"]) for v in kindergarten.name_violations]


@transaction.atomic
def refresh_name_compliance(kindergartens: Iterable | None = None) -> int:
    """Re-checks names (all of them by default) after rules or names change; returns how many changed."""
    from simple_history.utils import bulk_update_with_history

    from .models import Kindergarten

    rules = Rules.load()
    queryset = Kindergarten.objects.all() if kindergartens is None else kindergartens
    changed = [k for k in queryset if apply_check(k, rules)]
    if changed:
        bulk_update_with_history(
            changed,
            Kindergarten,
            ["name_compliant", "name_violations"],
            batch_size=500,
            default_change_reason="名称规范重新核查",
        )
    return len(changed)
