"""The parents' portal (no login, /public/): search kindergartens and read their disclosure list."""
