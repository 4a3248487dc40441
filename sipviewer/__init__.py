"""sipviewer: an offline viewer and catalogue for Chinese local yearbook archives."""

__version__ = "0.1.0"
