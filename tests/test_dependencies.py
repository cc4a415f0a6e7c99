"""Dependencies point one way (docs/architecture.md), read from the source with `ast`.

`common/` is below every app: it imports Django and libraries only (settings through
`django.conf`). `enrollment/` sits below the domain apps, `reports/` and `notifications/`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def project_packages() -> set[str]:
    """Every top-level package of the repository (apps, the project package, tests, bench …)."""
    return {path.parent.name for path in BASE_DIR.glob("*/__init__.py")}


def imported_modules(package: str) -> dict[str, set[str]]:
    """Per file of `package`, the absolute names of the modules it imports (anywhere in the file)."""
    found: dict[str, set[str]] = {}
    for path in sorted((BASE_DIR / package).rglob("*.py")):
        relative = path.relative_to(BASE_DIR)
        if "migrations" in relative.parts:
            continue
        module_parts = list(relative.with_suffix("").parts)
        if module_parts[-1] == "__init__":
            module_parts.pop()
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    # `from ..x import y` in a/b/c.py is a.x: drop the file itself and level-1 parents.
                    anchor = module_parts[: len(module_parts) - node.level + (path.name == "__init__.py")]
                    names.add(".".join([*anchor, *([node.module] if node.module else [])]))
                else:
                    names.add(node.module or "")
        found[str(relative)] = names
    return found


def offending(package: str, forbidden: set[str]) -> dict[str, list[str]]:
    """Per file, its imports of the `forbidden` packages ("" is a relative import above the top)."""
    found = {}
    for file, names in imported_modules(package).items():
        bad = sorted(name for name in names if name.split(".")[0] in forbidden or not name)
        if bad:
            found[file] = bad
    return found


def test_it_finds_the_packages_it_checks():
    assert {"common", "accounts", "kindergartens", "enrollment", "reports", "inspections"} <= project_packages()
    assert imported_modules("common")["common/pdf.py"] >= {"django.conf", "common.gc"}
    # The check does see an import in the wrong direction.
    assert offending("reports", {"enrollment"})["reports/forecast.py"] == ["enrollment.forecast"]


def test_common_imports_no_app_of_the_project():
    assert offending("common", project_packages() - {"common"}) == {}


@pytest.mark.parametrize("higher", ["reports", "inspections", "notifications"])
def test_enrollment_imports_nothing_that_depends_on_it(higher):
    assert offending("enrollment", {higher}) == {}
