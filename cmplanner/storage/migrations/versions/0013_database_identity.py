"""a database knows who it is: a random id in its settings (`database.id`), so that its
backups are found by it wherever the file is moved or renamed, and each backup, a copy of the
database, says whose it is

Revision ID: 0013
Revises: 0012

Data only, no DDL: the schema comes out byte for byte the same (see 0003). SQLite draws the
id itself, so the upgrade stays one statement in the upgrade's transaction.
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

KEY = "database.id"  # cmplanner.storage.identity.KEY, as it was when this was written


def upgrade() -> None:
    op.execute(
        "INSERT OR IGNORE INTO setting (key, value, created_at, updated_at) "
        f"VALUES ('{KEY}', lower(hex(randomblob(16))), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )


def downgrade() -> None:
    op.execute(f"DELETE FROM setting WHERE key = '{KEY}'")
