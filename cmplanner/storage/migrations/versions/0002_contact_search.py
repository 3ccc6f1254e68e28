"""contact search index (FTS5, accent-insensitive, kept in sync by triggers)

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from cmplanner.storage.search_index import (
    CREATE_INDEX,
    POPULATE,
    drop_statements,
    trigger_statements,
)

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(CREATE_INDEX)
    for statement in trigger_statements(gated=False):
        op.execute(statement)
    op.execute(POPULATE)


def downgrade() -> None:
    for statement in drop_statements():
        op.execute(statement)
