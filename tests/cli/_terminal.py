"""Running ``gong`` as a real process whose stdout is a terminal (a pty) of a given width."""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

GONG = shutil.which("gong", path=str(Path(sys.executable).parent)) or "gong"


def in_terminal(
    args: list[str], env: dict[str, str], *, columns: int = 80, timeout: float = 60
) -> tuple[int, str, str]:
    """Exit code, what the terminal showed, and stderr (a pipe, so no spinner)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    full = {**env, "COLUMNS": str(columns), "TERM": "xterm", "NO_COLOR": "1"}
    proc = subprocess.Popen([GONG, *args], stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=full)
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the other side closed: the process is done writing
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode()
    code = proc.wait(timeout=timeout)
    return code, b"".join(chunks).decode().replace("\r\n", "\n"), stderr
