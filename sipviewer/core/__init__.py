"""The Qt-free core: the archive facade, plain dataclasses, errors, paths."""
