"""checklists: a task of a series can belong to one of its dates (the occurrence's original
local start), so each date has its own checklist and a brief prints that date's tasks

Revision ID: 0010
Revises: 0009

Plain DDL (see 0003): the same database always comes out byte for byte the same. The new
column is nullable, so SQLite adds it in place; existing tasks belong to their whole event.
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE task ADD COLUMN occurrence DATETIME")


def downgrade() -> None:
    op.execute("ALTER TABLE task DROP COLUMN occurrence")
