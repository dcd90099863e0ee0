"""Which local files an agent may have the server read (and upload to Gong).

An agent chooses the paths of file inputs (``media``), so without a rule it could send any
file the server can read, its own config and secrets included, to Gong. By default no
file may be read; ``gong mcp --allow-files DIR`` allows what is under DIR. A path is
resolved (symlinks and ``..`` followed) before it is checked, and the resolved path is
what the upload opens, so a link cannot point the check one way and the read another.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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
        path = Path(value).expanduser()
        if not path.is_absolute():
            raise ValidationError(field, "absolute_path", f"must be an absolute path; {self.rule}")
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):  # missing, unreadable, or a symlink loop
            resolved = None
        if resolved is None or not any(resolved.is_relative_to(root) for root in self.roots):
            # The same answer for a missing file outside the roots as for an existing one:
            # the agent learns nothing about what exists elsewhere.
            plain = Path(os.path.normpath(path))
            if resolved is None and any(plain.is_relative_to(root) for root in self.roots):
                raise ValidationError(field, "file", "no such file")
            raise ValidationError(field, "outside_allowed_dirs", f"{value!r} is not allowed: {self.rule}")
        if not resolved.is_file():
            raise ValidationError(field, "file", "is not a regular file")
        return str(resolved)
