"""Which local files an agent may have the server read (and upload to Gong).

An agent chooses the paths of file inputs (``media``), so without a rule it could send any
file the server can read, its own config and secrets included, to Gong. By default no
file may be read; ``gong mcp --allow-files DIR`` allows what is under DIR. A path is
resolved (symlinks and ``..`` followed) before it is checked, and then opened one directory
at a time from the allowed root without following any link: a link swapped in between the
check and the read (by anyone who can write under the root) makes the open fail instead of
reading elsewhere. The upload reads the file object so opened, never the path again.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..client import ValidationError

__all__ = ["FileAccess"]


@dataclass(frozen=True)
class FileAccess:
    """The directories whose files may be read; none means no file at all."""

    roots: tuple[Path, ...] = ()

    @classmethod
    def under(cls, directories: Iterable[str | Path]) -> FileAccess:
        """Roots from directory names, resolved now; a missing one is a ``ValueError``."""
        roots = []
        for directory in directories:
            path = Path(directory).expanduser()
            if not path.is_dir():
                raise ValueError(f"{directory} is not a directory")
            roots.append(path.resolve(strict=True))
        return cls(tuple(dict.fromkeys(roots)))

    @property
    def rule(self) -> str:
        """The rule in words, for tool descriptions and errors."""
        if not self.roots:
            return "this server reads no local files (its user can allow a directory with `gong mcp --allow-files DIR`)"
        return "only files under " + ", ".join(str(r) for r in self.roots) + " may be read"

    def check(self, field: str, value: object) -> str:
        """The resolved path of an allowed regular file, or a ``ValidationError`` naming the rule."""
        if not self.roots:
            raise ValidationError(field, "files_not_allowed", self.rule)
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(field, "path", "must be the absolute path of a file")
        try:
            if b"\x00" in os.fsencode(value):
                raise ValueError
        except (UnicodeError, ValueError):  # a NUL, or half a surrogate pair no file name holds
            raise ValidationError(field, "path", "is no file name (a NUL or an unencodable character)") from None
        try:
            path = Path(value).expanduser()
        except RuntimeError:  # ~name, and no such user
            raise ValidationError(field, "path", "names the home directory of no user") from None
        if not path.is_absolute():
            raise ValidationError(field, "absolute_path", f"must be an absolute path; {self.rule}")
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError, ValueError):  # missing, unreadable, a symlink loop, not encodable
            resolved = None
        if resolved is None or not any(resolved.is_relative_to(root) for root in self.roots):
            # The same answer for a missing file outside the roots as for an existing one
            # (a link under a root is followed as far as it goes before deciding): the agent
            # learns nothing about what exists elsewhere.
            if resolved is None and self._inside(_resolve_loosely(path)):
                raise ValidationError(field, "file", "no such file")
            raise ValidationError(field, "outside_allowed_dirs", f"{value!r} is not allowed: {self.rule}")
        if not resolved.is_file():
            raise ValidationError(field, "file", "is not a regular file")
        return str(resolved)

    def open(self, field: str, value: object) -> BinaryIO:
        """The allowed file, checked and opened; its ``name`` is the resolved path."""
        resolved = Path(self.check(field, value))
        root = next(r for r in self.roots if resolved.is_relative_to(r))
        try:
            fd = _open_beneath(root, resolved.relative_to(root).parts)
        except OSError:
            raise ValidationError(field, "file", "changed while it was being opened; try again") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise ValidationError(field, "file", "is not a regular file")
        raw = io.FileIO(fd, "rb")
        raw.name = str(resolved)  # the upload's default file name
        return io.BufferedReader(raw)

    def _inside(self, path: Path | None) -> bool:
        return path is not None and any(path.is_relative_to(root) for root in self.roots)


def _resolve_loosely(path: Path) -> Path | None:
    """``path`` with every link that exists followed, even if its end does not exist."""
    try:
        return path.resolve(strict=False)
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a name the file system cannot take
        return None


def _open_beneath(root: Path, parts: tuple[str, ...]) -> int:
    """Open ``root/parts...`` read-only, one component at a time, following no link."""
    if os.open not in os.supports_dir_fd:  # no openat (Windows): the checked path itself
        return os.open(root.joinpath(*parts), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        # Non-blocking: a FIFO swapped in must not hang the open (it is refused after).
        return os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    finally:
        os.close(fd)
