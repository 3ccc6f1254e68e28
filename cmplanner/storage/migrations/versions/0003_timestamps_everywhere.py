"""timestamps on the tag links and the settings too

Revision ID: 0003
Revises: 0002

SQLite cannot ADD COLUMN with a non-constant default, so each table is rebuilt the way
SQLite's documentation describes (create, copy, drop, rename), with explicit DDL: Alembic's
batch mode would emit the constraints in a varying order, and the same database must always
come out byte for byte the same. Existing rows are stamped with the time of the upgrade.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STAMPS = (
    "created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, "
    "updated_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL"
)

NEW_TABLES = {
    "contact_tag": (
        "contact_id INTEGER NOT NULL, tag_id INTEGER NOT NULL, "
        + STAMPS
        + ", CONSTRAINT pk_contact_tag PRIMARY KEY (contact_id, tag_id), "
        "CONSTRAINT fk_contact_tag_contact_id_contact FOREIGN KEY(contact_id) "
        "REFERENCES contact (id) ON DELETE CASCADE, "
        "CONSTRAINT fk_contact_tag_tag_id_tag FOREIGN KEY(tag_id) "
        "REFERENCES tag (id) ON DELETE CASCADE",
        "contact_id, tag_id",
        ["CREATE INDEX ix_contact_tag_tag_id ON contact_tag (tag_id)"],
    ),
    "setting": (
        '"key" VARCHAR(100) NOT NULL, value VARCHAR NOT NULL, '
        + STAMPS
        + ', CONSTRAINT pk_setting PRIMARY KEY ("key")',
        '"key", value',
        [],
    ),
}


def upgrade() -> None:
    for table, (columns, kept, indexes) in NEW_TABLES.items():
        op.execute(f"CREATE TABLE _new_{table} ({columns})")
        op.execute(f"INSERT INTO _new_{table} ({kept}) SELECT {kept} FROM {table}")
        op.execute(f"DROP TABLE {table}")
        op.execute(f"ALTER TABLE _new_{table} RENAME TO {table}")
        for index in indexes:
            op.execute(index)


def downgrade() -> None:
    with op.batch_alter_table("contact_tag") as batch:
        batch.drop_column("updated_at")
        batch.drop_column("created_at")
    with op.batch_alter_table("setting") as batch:
        batch.drop_column("updated_at")
        batch.drop_column("created_at")
