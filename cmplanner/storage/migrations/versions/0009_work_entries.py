"""dashboard: "online work" entries (time the CM spent working, counted by the in-person
ratio), and the indexes the dashboard's aggregates read

Revision ID: 0009
Revises: 0008

Plain DDL (see 0003): the same database always comes out byte for byte the same.
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

STAMPS = "created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, "

STATEMENTS = (
    "CREATE TABLE work_entry ("
    + STAMPS
    + "id INTEGER NOT NULL, day DATE NOT NULL, minutes INTEGER NOT NULL, "
    "in_person BOOLEAN NOT NULL, community_id INTEGER, notes VARCHAR NOT NULL, "
    "CONSTRAINT pk_work_entry PRIMARY KEY (id), "
    "CONSTRAINT fk_work_entry_community_id_community FOREIGN KEY(community_id) "
    "REFERENCES community (id) ON DELETE SET NULL)",
    "CREATE INDEX ix_work_entry_community_id ON work_entry (community_id)",
    "CREATE INDEX ix_work_entry_day ON work_entry (day)",
)


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE work_entry")
