"""calendars and invitations: the log of invitations sent to each guest, and what was
published to each CalDAV calendar

Revision ID: 0008
Revises: 0007

Plain DDL (see 0003): the same database always comes out byte for byte the same.
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

STAMPS = "created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, "

TABLES = (
    "CREATE TABLE sent_message ("
    + STAMPS
    + "id INTEGER NOT NULL, event_id INTEGER NOT NULL, contact_id INTEGER, "
    "email VARCHAR(320) NOT NULL, method VARCHAR(20) NOT NULL, sequence INTEGER NOT NULL, "
    "occurrence DATETIME, sent_at DATETIME NOT NULL, channel VARCHAR(10) NOT NULL, "
    "error VARCHAR NOT NULL, "
    "CONSTRAINT pk_sent_message PRIMARY KEY (id), "
    "CONSTRAINT fk_sent_message_event_id_event FOREIGN KEY(event_id) "
    "REFERENCES event (id) ON DELETE CASCADE, "
    "CONSTRAINT fk_sent_message_contact_id_contact FOREIGN KEY(contact_id) "
    "REFERENCES contact (id) ON DELETE CASCADE)",
    "CREATE INDEX ix_sent_message_contact_id ON sent_message (contact_id)",
    "CREATE INDEX ix_sent_message_event_id ON sent_message (event_id)",
    "CREATE TABLE caldav_resource ("
    + STAMPS
    + "id INTEGER NOT NULL, calendar_url VARCHAR NOT NULL, uid VARCHAR(255) NOT NULL, "
    "event_id INTEGER, href VARCHAR NOT NULL, etag VARCHAR NOT NULL, "
    "digest VARCHAR(64) NOT NULL, published_at DATETIME NOT NULL, "
    "CONSTRAINT pk_caldav_resource PRIMARY KEY (id), "
    "CONSTRAINT uq_caldav_resource_calendar_url UNIQUE (calendar_url, uid), "
    "CONSTRAINT fk_caldav_resource_event_id_event FOREIGN KEY(event_id) "
    "REFERENCES event (id) ON DELETE SET NULL)",
    "CREATE INDEX ix_caldav_resource_event_id ON caldav_resource (event_id)",
)


def upgrade() -> None:
    for statement in TABLES:
        op.execute(statement)


def downgrade() -> None:
    for table in ("caldav_resource", "sent_message"):
        op.execute(f"DROP TABLE {table}")
