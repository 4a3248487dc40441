"""Alembic migrations of the archive database (shipped as ``sipviewer.db``)."""
