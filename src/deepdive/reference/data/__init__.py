"""Reference data shipped with the code: ``countries.csv`` and ``seed.py`` (see README.md)."""
