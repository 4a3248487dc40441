"""The one exception hierarchy of sipviewer.

Every error a user can cause (a bad file, a bad query, a bad archive folder) is a
`SipviewerError` whose message is one clear line naming the thing and the problem.
The command line prints it and exits with status 2; the UI shows it in a dialog.
"""

from __future__ import annotations


class SipviewerError(Exception):
    """Base of all expected errors; ``str(exc)`` is the one-line message for the user."""

    exit_code = 2  # the command line's exit status: bad input


class InputError(SipviewerError):
    """A file given by the user cannot be used (missing, binary, undecodable, no structure)."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ParseError(InputError):
    """The text decoded but does not have the shape of a yearbook."""


class ArchiveError(SipviewerError):
    """The archive folder or database cannot be opened or is inconsistent."""


class QueryError(SipviewerError):
    """A search query or filter is malformed."""


class NotFoundError(SipviewerError):
    """A record asked for by id does not exist."""


class ExportError(SipviewerError):
    """An export could not be written (the target folder is missing or not writable)."""


class Cancelled(SipviewerError):
    """A read was cancelled because a newer one superseded it (nothing to report)."""


class EnvironmentFailure(SipviewerError):
    """The machine, not the input, failed: disk full, no permission, read-only media, another
    sipviewer holding the archive too long. The command line exits with status 1."""

    exit_code = 1


def describe_os_error(exc: OSError, what: object) -> EnvironmentFailure:
    """One line for an operating-system failure while working on ``what``."""
    import errno

    reason = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
              errno.EROFS: "the medium is read-only", errno.EACCES: "permission denied",
              errno.EPERM: "permission denied"}.get(exc.errno or 0, exc.strerror or str(exc))
    return EnvironmentFailure(f"{what}: {reason}; nothing was changed")
