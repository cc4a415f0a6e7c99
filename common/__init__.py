"""Shared building blocks of the portal's apps: charts, spreadsheets, files, PDFs, bulk work.

A plain package, not a Django app: it has no models, migrations or templates, and it imports
no app of the project (only Django, the libraries and `django.conf.settings`), so that every
app may use it and none depends on another through it. The layer contract in `pyproject.toml` checks this.
"""
