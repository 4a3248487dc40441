"""Yearbook text to structured records. No Qt, no database."""
