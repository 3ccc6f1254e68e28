"""invitations may outlive their guest (an erased person's head-count stays, anonymously)

Revision ID: 0004
Revises: 0003

invitation.contact_id becomes nullable. The table is rebuilt with explicit DDL (see 0003 for
why not batch mode); ids and every row are kept.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = (
    "created_at, updated_at, id, event_id, contact_id, occurrence, role, rsvp, plus_ones, "
    "waitlist_position, attended, checked_in_at, notes"
)


def _rebuild(contact_null: str) -> None:
    op.execute(
        "CREATE TABLE _new_invitation ("
        "created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, id INTEGER NOT NULL, "
        f"event_id INTEGER NOT NULL, contact_id INTEGER{contact_null}, occurrence DATETIME, "
        "role VARCHAR(20) NOT NULL, rsvp VARCHAR(20) NOT NULL, plus_ones INTEGER NOT NULL, "
        "waitlist_position INTEGER, attended BOOLEAN, checked_in_at DATETIME, "
        "notes VARCHAR NOT NULL, "
        "CONSTRAINT pk_invitation PRIMARY KEY (id), "
        "CONSTRAINT fk_invitation_contact_id_contact FOREIGN KEY(contact_id) "
        "REFERENCES contact (id) ON DELETE CASCADE, "
        "CONSTRAINT fk_invitation_event_id_event FOREIGN KEY(event_id) "
        "REFERENCES event (id) ON DELETE CASCADE)"
    )
    op.execute(f"INSERT INTO _new_invitation ({COLUMNS}) SELECT {COLUMNS} FROM invitation")
    op.execute("DROP TABLE invitation")
    op.execute("ALTER TABLE _new_invitation RENAME TO invitation")
    op.execute("CREATE INDEX ix_invitation_contact_id ON invitation (contact_id)")
    op.execute("CREATE INDEX ix_invitation_event_occurrence ON invitation (event_id, occurrence)")


def upgrade() -> None:
    _rebuild("")


def downgrade() -> None:
    op.execute("DELETE FROM invitation WHERE contact_id IS NULL")
    _rebuild(" NOT NULL")
