"""search-index triggers that a bulk import can pause inside its own transaction

Revision ID: 0006
Revises: 0005

An import of 10,000 cards otherwise rebuilds each new contact's search row once per e-mail,
phone, address and affiliation; paused, it indexes the new contacts in one statement.
"""

from alembic import op

from cmplanner.storage.search_index import (
    CREATE_STATE,
    INIT_STATE,
    STATE_TABLE,
    trigger_drops,
    trigger_statements,
)

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(CREATE_STATE)
    op.execute(INIT_STATE)
    for statement in trigger_drops():
        op.execute(statement)
    for statement in trigger_statements(gated=True):
        op.execute(statement)


def downgrade() -> None:
    for statement in trigger_drops():
        op.execute(statement)
    for statement in trigger_statements(gated=False):
        op.execute(statement)
    op.execute(f"DROP TABLE {STATE_TABLE}")
