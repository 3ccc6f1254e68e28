"""what the event editor needs: budget lines, partner organizations, the core team on site,
and a debrief note

Revision ID: 0007
Revises: 0006

Plain DDL (see 0003): the same database always comes out byte for byte the same. The new
column has a constant default, so SQLite adds it in place; existing events get "".
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STAMPS = "created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, "

TABLES = (
    "CREATE TABLE budget_line ("
    + STAMPS
    + "id INTEGER NOT NULL, event_id INTEGER NOT NULL, label VARCHAR(300) NOT NULL, "
    "amount_cents INTEGER NOT NULL, paid BOOLEAN NOT NULL, position INTEGER NOT NULL, "
    "CONSTRAINT pk_budget_line PRIMARY KEY (id), "
    "CONSTRAINT fk_budget_line_event_id_event FOREIGN KEY(event_id) "
    "REFERENCES event (id) ON DELETE CASCADE)",
    "CREATE INDEX ix_budget_line_event_id ON budget_line (event_id)",
    "CREATE TABLE event_partner ("
    + STAMPS
    + "id INTEGER NOT NULL, event_id INTEGER NOT NULL, organization_id INTEGER NOT NULL, "
    "obligations VARCHAR NOT NULL, "
    "CONSTRAINT pk_event_partner PRIMARY KEY (id), "
    "CONSTRAINT uq_event_partner_event_id UNIQUE (event_id, organization_id), "
    "CONSTRAINT fk_event_partner_event_id_event FOREIGN KEY(event_id) "
    "REFERENCES event (id) ON DELETE CASCADE, "
    "CONSTRAINT fk_event_partner_organization_id_organization FOREIGN KEY(organization_id) "
    "REFERENCES organization (id) ON DELETE CASCADE)",
    "CREATE INDEX ix_event_partner_event_id ON event_partner (event_id)",
    "CREATE INDEX ix_event_partner_organization_id ON event_partner (organization_id)",
    "CREATE TABLE event_team ("
    + STAMPS
    + "id INTEGER NOT NULL, event_id INTEGER NOT NULL, contact_id INTEGER NOT NULL, "
    "role VARCHAR(100) NOT NULL, "
    "CONSTRAINT pk_event_team PRIMARY KEY (id), "
    "CONSTRAINT uq_event_team_event_id UNIQUE (event_id, contact_id), "
    "CONSTRAINT fk_event_team_event_id_event FOREIGN KEY(event_id) "
    "REFERENCES event (id) ON DELETE CASCADE, "
    "CONSTRAINT fk_event_team_contact_id_contact FOREIGN KEY(contact_id) "
    "REFERENCES contact (id) ON DELETE CASCADE)",
    "CREATE INDEX ix_event_team_contact_id ON event_team (contact_id)",
    "CREATE INDEX ix_event_team_event_id ON event_team (event_id)",
)


def upgrade() -> None:
    op.execute("ALTER TABLE event ADD COLUMN debrief VARCHAR DEFAULT '' NOT NULL")
    for statement in TABLES:
        op.execute(statement)


def downgrade() -> None:
    for table in ("event_team", "event_partner", "budget_line"):
        op.execute(f"DROP TABLE {table}")
    op.execute("ALTER TABLE event DROP COLUMN debrief")
