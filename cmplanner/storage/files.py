"""Files replaced whole: written beside their target, fsynced, renamed over it, and the rename
made durable by an fsync of the folder. Killed or failing at any point, the target is either
the old file or the new one, never half of either, and nothing is left beside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from cmplanner.errors import DiskFull, ExportFailed, explained
from cmplanner.i18n import _


class NoTempFile(OSError):
    """The folder did not take the temporary file (missing, read-only, full): nothing was
    written. `filename` is the folder."""


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace `path` with `data` all at once (see the module): bytes, or chunks written as
    they come (a big export need not be held whole in memory; should the chunks raise, the
    target is left as it was). A new file gets the mode a
    plain `open(path, "w")` gives (0666 less the umask), not the temporary file's private
    0600; a replaced file keeps its mode. Raises OSError (NoTempFile before anything was
    written); `path` is then as it was."""
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    # imported on use, not at the top: a command that only reads never writes a file
    import tempfile

    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise NoTempFile(exc.errno, exc.strerror, str(folder)) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            if hasattr(os, "fchmod"):
                os.fchmod(out.fileno(), mode)
            if isinstance(data, bytes | bytearray):
                out.write(data)
            else:
                for chunk in data:
                    out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def replace(source: Path, target: Path) -> None:
    """Rename `source` (complete, and fsynced: `sync`) over `target`, in the same folder, and
    make the rename itself durable."""
    os.replace(source, target)
    _sync_folder(target.parent)


def sync(path: Path) -> None:
    """Put on disk what was written to the file at `path` (by SQLite, say)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """The folder's entries on disk. Best effort: the file is in place already, and a system
    that cannot open a folder (Windows) makes renames durable its own way."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux): the
    os.umask() round trip briefly leaves 0 in force for every thread."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_export(path: Path, data: bytes | Iterable[bytes]) -> None:
    """`write_atomic` for a file the person asked for (an export, a document): what goes
    wrong is said as ExportFailed (an existing file is then left as it was)."""
    try:
        write_atomic(path, data)
    except NoTempFile as exc:
        raise ExportFailed(
            _("Cannot write in {folder}: {error}").format(
                folder=path.parent, error=exc.strerror or exc
            )
        ) from exc
    except OSError as exc:
        if isinstance(found := explained(exc, path), DiskFull):
            raise ExportFailed(str(found)) from exc
        raise ExportFailed(
            _("Cannot write {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc
