"""Alembic environment: always run on a connection handed in by cmplanner.storage."""

from alembic import context
from sqlmodel import SQLModel

import cmplanner.model  # noqa: F401 - registers the tables on the metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
