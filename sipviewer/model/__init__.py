"""The leaf package: plain records (named tuples, the parser's frozen dataclasses), errors
and small pure helpers.

Every layer (core, ingest, storage, search, media, ui, cli) may import it; it imports nothing
of sipviewer's own outside itself.
"""
