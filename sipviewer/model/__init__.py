"""The leaf package: plain frozen dataclasses, errors and small pure helpers.

Every layer (core, ingest, storage, search, media, ui, cli) may import it; it imports nothing
of sipviewer's own outside itself.
"""
