"""Registry management (名录管理): registered targets with their lifecycle dates, the trail of
every change (开设、变更、临时关停、恢复运行、关停、注销) and the repost tasks (issue 7).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 22:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('registry_entries',
    sa.Column('target_id', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('owner', sa.Text(), nullable=False),
    sa.Column('region', sa.Text(), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('flags', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('extra', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('target_id', name=op.f('pk_registry_entries'))
    )
    op.create_index(op.f('ix_registry_entries_status'), 'registry_entries', ['status'], unique=False)
    op.create_table('registry_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('target_id', sa.String(length=128), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('before', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('after', sa.JSON(none_as_null=True), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['registry_entries.target_id'], name=op.f('fk_registry_events_target_id_registry_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_events'))
    )
    op.create_index(op.f('ix_registry_events_target_id'), 'registry_events', ['target_id'], unique=False)
    op.create_table('repost_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('targets', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repost_tasks'))
    )


def downgrade() -> None:
    op.drop_table('repost_tasks')
    op.drop_index(op.f('ix_registry_events_target_id'), table_name='registry_events')
    op.drop_table('registry_events')
    op.drop_index(op.f('ix_registry_entries_status'), table_name='registry_entries')
    op.drop_table('registry_entries')
