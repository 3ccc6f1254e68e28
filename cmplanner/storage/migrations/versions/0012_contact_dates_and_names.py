"""contacts keep what their cards say: birthday and anniversary (a date, or a month and
day without the year), name prefix and suffix, a formatted name to show instead of given +
family name, and the department of an organization a person belongs to

Revision ID: 0012
Revises: 0011

Plain DDL (see 0003): the same database always comes out byte for byte the same. The new
columns have a constant default, so SQLite adds them in place; existing rows get "".
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS = (
    ("contact", "name_prefix", "VARCHAR(100)"),
    ("contact", "name_suffix", "VARCHAR(100)"),
    ("contact", "formatted_name", "VARCHAR(300)"),
    ("contact", "birthday", "VARCHAR(10)"),
    ("contact", "anniversary", "VARCHAR(10)"),
    ("affiliation", "department", "VARCHAR(200)"),
)


def upgrade() -> None:
    for table, column, kind in COLUMNS:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind} DEFAULT '' NOT NULL")


def downgrade() -> None:
    for table, column, _kind in reversed(COLUMNS):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
