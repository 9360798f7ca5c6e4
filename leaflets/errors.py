"""User-facing errors. Only the command line turns them into exit codes."""

from __future__ import annotations

from pathlib import Path

from .untrusted import shown, shown_lines


class LeafletsError(Exception):
    """An error the user can fix: it names the file, the line if known, and what to do."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __reduce__(self):
        # Subclasses take other constructor arguments; rebuild from the state so that an error
        # raised in a build worker reaches the parent process whole (path, line, problems).
        return (_restore, (type(self), self.args, self.__dict__))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = (
                f"{display_path(self.path)}:{self.line}: "
                if self.line
                else f"{display_path(self.path)}: "
            )
        return where + shown_lines(self.message)


def describe_os_error(exc: OSError, cwd: Path) -> str:
    """One line for a file-system error met while writing outputs: the path and what to do."""
    where = ""
    if exc.filename:
        where = f"{display_path(exc.filename, cwd)}: "
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return f"{where}a file is in the way where a folder should be; move or delete it"
    if isinstance(exc, PermissionError):
        return f"{where}permission denied; check who owns it (was it made by `sudo`?)"
    reason = exc.strerror or str(exc)
    return f"{where}{reason}; check the path and that the disk has room"


class ConfigError(LeafletsError):
    """leaflets.toml or contacts.toml is missing, unreadable or invalid."""

    def __init__(
        self,
        path: Path | str,
        problems: list[str],
        line: int | None = None,
        lines: list[int | None] | None = None,
    ):
        self.problems = problems
        # The line of each problem, where known: each is printed as file:line: so that an
        # editor can jump to it.
        self.lines = lines if lines is not None else [None] * len(problems)
        if len(problems) == 1 and self.lines[0] is not None:
            line = self.lines[0]
        super().__init__("\n".join(problems) if len(problems) > 1 else problems[0], path, line)

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return super().__str__()
        head = f"{display_path(self.path)}: {len(self.problems)} problems"
        lines = []
        for problem, line in zip(self.problems, self.lines, strict=True):
            where = f"{display_path(self.path)}:{line}" if line else display_path(self.path)
            lines.append(f"\n  {where}: {shown_lines(problem)}")
        return head + "".join(lines)


class ReviewFileError(ConfigError):
    """A locales/<lang>/review.toml that is not valid: every problem, each at its line."""


class ProjectNotFound(LeafletsError):
    """No leaflets.toml in the working directory or any parent."""


class CatalogError(LeafletsError):
    """A .po catalog cannot be read or compiled."""


class FontNotInstalled(LeafletsError):
    """A font family leaflets.toml declares, whose font package is not installed."""


class RenderError(LeafletsError):
    """A template failed to render or a resource was refused."""


class FitError(LeafletsError):
    """Text does not fit its region."""


class AuditError(LeafletsError):
    """A built PDF fails the accessibility audit."""


class OrderError(LeafletsError):
    """An order file is invalid."""


class BuildLocked(LeafletsError):
    """Another build holds the project's lock."""


class FileRefused(LeafletsError):
    """A file leaflets was to read that is not a regular file, or is larger than files of its
    kind ever are (config/paths.py SIZE_LIMITS)."""


class OutsideProject(LeafletsError):
    """A file or folder of the project resolves, through a link, to a place outside it."""


class ActionRefused(LeafletsError):
    """A studio action refused for a reason the person can act on; `status` is the HTTP answer
    the studio gives it."""

    status = 422

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        if status is not None:
            self.status = status


def _restore(cls: type[LeafletsError], args: tuple, state: dict) -> LeafletsError:
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


def display_path(path: Path | str, base: Path | None = None) -> str:
    """A path as the user would type it, relative to `base` (the working directory) where it
    can be, with any character that could drive a terminal escaped (the name may come from an
    untrusted file)."""
    base = Path.cwd() if base is None else base
    path = Path(path)
    return shown(str(path.relative_to(base) if path.is_relative_to(base) else path))
