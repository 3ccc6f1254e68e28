"""calendars: the reply each guest's answer came from (its DTSTAMP and SEQUENCE, so that an
older reply read later never overwrites a newer answer) and whom the guest delegated to; a
moved occurrence's own title; event titles on one line

Revision ID: 0011
Revises: 0010

Plain DDL (see 0003) for the columns: constant defaults, so SQLite adds them in place;
existing invitations have no reply stamp (any reply applies) and occurrences take their
series' title (""). Titles written before titles were kept to one line lose their line
breaks, tabs and other control characters (each run becomes a space), as the services now
do for every new title (`services.events.one_line`, same rule).
"""

import re

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COLUMNS = (
    ("invitation", "reply_stamp", "DATETIME"),
    ("invitation", "reply_sequence", "INTEGER"),
    ("invitation", "delegated_to", "VARCHAR(320) DEFAULT '' NOT NULL"),
    ("occurrence_exception", "title", "VARCHAR(300) DEFAULT '' NOT NULL"),
)
# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def upgrade() -> None:
    for table, column, kind in COLUMNS:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    connection = op.get_bind()
    rows = connection.exec_driver_sql("SELECT id, title FROM event").fetchall()
    for event_id, title in rows:
        clean = " ".join(_BREAKS.sub(" ", title).split())
        if clean and clean != title:
            connection.exec_driver_sql("UPDATE event SET title = ? WHERE id = ?", (clean, event_id))


def downgrade() -> None:
    for table, column, _kind in reversed(COLUMNS):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
