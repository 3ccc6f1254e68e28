"""Moving a database file to a given schema revision, up or down, as the migration tests do."""

from __future__ import annotations

from pathlib import Path

from alembic import command

from cmplanner.storage.database import alembic_config, make_engine

GOLDEN_V1 = Path(__file__).parent.parent / "golden" / "schema-0001.cmplanner"


def migrate_to(path: Path, revision: str, *, down: bool = False) -> None:
    """Upgrade (or, with `down`, downgrade) the file at `path` to `revision`."""
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            step = command.downgrade if down else command.upgrade
            step(alembic_config(connection), revision)
    finally:
        engine.dispose()
