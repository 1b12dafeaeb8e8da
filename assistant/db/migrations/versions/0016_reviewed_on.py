"""Knowledge entries: `verified_on` becomes `reviewed_on` (issue #11: the date says when the
entry was reviewed, not that the official sites were checked that day).

Revision ID: 0016_reviewed_on
Revises: 0015_spool_rejections
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

from assistant.db.naming import NAMING_CONVENTION

revision = '0016_reviewed_on'
down_revision = '0015_spool_rejections'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite rebuilds the table in batch mode: the naming convention keeps the constraints'
    # names (pk_, fk_, uq_, ix_) identical on both databases
    with op.batch_alter_table('kb_entries', schema=None, naming_convention=NAMING_CONVENTION) as batch_op:
        batch_op.alter_column('verified_on', new_column_name='reviewed_on')


def downgrade() -> None:
    with op.batch_alter_table('kb_entries', schema=None, naming_convention=NAMING_CONVENTION) as batch_op:
        batch_op.alter_column('reviewed_on', new_column_name='verified_on')
