"""Dependencies point one way: the import-linter contracts of pyproject.toml hold.

`common` imports no app; `accounts : kindergartens` ← `enrollment` ← domain apps ← `reports` ←
`notifications` ← the project package. An app's `indicators.py` (a plug-in of the reports
engine) is the one declared exception. `./dev.sh test` prints the contract's full report too.
"""

from pathlib import Path

from django.conf import settings
from importlinter.cli import lint_imports


def test_the_layer_contracts_hold(monkeypatch):
    monkeypatch.chdir(Path(settings.BASE_DIR))
    assert lint_imports(no_cache=True, no_logo=True) == 0
