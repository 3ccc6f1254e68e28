"""Storage: the SQLite database, its migrations, backups and the single-writer lock."""

from cmplanner.storage.database import Database, FileState, inspect_file

__all__ = ["Database", "FileState", "inspect_file"]
