"""Alembic environment: always run on a connection handed in by cmplanner.storage.

The connection is already inside the one transaction of the whole upgrade (storage/upgrade.py
sends BEGIN IMMEDIATE itself): Alembic must neither open nor commit one per migration, or a
kill between two migrations would leave the file half-way.
"""

from alembic import context
from sqlmodel import SQLModel

import cmplanner.model  # noqa: F401 - registers the tables on the metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    compare_type=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
