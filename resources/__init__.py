"""Bundled data: the sample yearbook text (and, for the viewer, fonts)."""
