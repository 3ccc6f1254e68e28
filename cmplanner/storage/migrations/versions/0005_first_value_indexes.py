"""covering indexes for a contact's first e-mail, phone and city

Revision ID: 0005
Revises: 0004

Lists show each contact's first e-mail, phone and city; with these indexes that is an index
seek, not a read and a sort of the table (a search keystroke on 100,000 contacts).
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FIRST = {"contact_email": "address", "contact_phone": "number", "contact_address": "city"}


def upgrade() -> None:
    for table, value in FIRST.items():
        op.drop_index(f"ix_{table}_contact_id", table_name=table)
        op.create_index(f"ix_{table}_first", table, ["contact_id", "position", "id", value])


def downgrade() -> None:
    for table in FIRST:
        op.drop_index(f"ix_{table}_first", table_name=table)
        op.create_index(f"ix_{table}_contact_id", table, ["contact_id"])
