"""Database failures as one line for the user (the viewer's dialog, the command line).

SQLAlchemy reports a damaged database in several lines with a web link (once a whole
CREATE TABLE); `user_error` turns such an error into the `SipviewerError` that names the
problem in one line, and leaves every other exception as it is.
"""

from __future__ import annotations

from pathlib import Path

from sipviewer.model.errors import SipviewerError


def user_error(exc: BaseException, path: Path | None = None) -> BaseException:
    if isinstance(exc, SipviewerError):
        return exc
    if type(exc).__module__.split(".")[0] in ("sqlalchemy", "sqlite3"):
        from sipviewer.storage.db import describe_failure

        return describe_failure(exc, path or Path("archive.sqlite"))
    return exc
