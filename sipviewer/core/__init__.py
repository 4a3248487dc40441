"""The Qt-free core: the facades over the archive (fast browse view, full archive) and paths."""
