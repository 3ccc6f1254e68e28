"""Errors a user can understand. Anything else is a bug and gets a traceback in the log."""


class CMPlannerError(Exception):
    """Base of every error whose message is meant for the user."""


class ValidationError(CMPlannerError):
    """Bad input: the message says what was wrong and where."""


class StorageError(CMPlannerError):
    """The database could not be opened, migrated, backed up or restored."""


class NotACMPlannerDatabase(StorageError):
    """The file exists but is not a CM Planner database (nothing was written to it)."""


class DatabaseTooNew(StorageError):
    """The database was written by a newer CM Planner (nothing was written to it)."""


class DatabaseLocked(StorageError):
    """Another CM Planner process has this database open."""


class NotFound(CMPlannerError):
    """A record that was asked for does not exist."""
