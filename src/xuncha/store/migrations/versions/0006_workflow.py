"""Workflow: rectification cases with their audit trail of events, 我为政府网站找错 messages and
simulated user consultations (issue 7).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.String(length=128), nullable=False),
    sa.Column('target_name', sa.Text(), nullable=False),
    sa.Column('owner', sa.Text(), nullable=False),
    sa.Column('channel_url', sa.Text(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reply_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reply_text', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('by', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    op.create_index(op.f('ix_consultations_target_id'), 'consultations', ['target_id'], unique=False)
    op.create_table('zhaocuo_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('msg_no', sa.String(length=64), nullable=False),
    sa.Column('site_name', sa.Text(), nullable=False),
    sa.Column('site_code', sa.String(length=32), nullable=False),
    sa.Column('unit', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handed_over_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zhaocuo_messages')),
    sa.UniqueConstraint('msg_no', name=op.f('uq_zhaocuo_messages_msg_no'))
    )
    op.create_index(op.f('ix_zhaocuo_messages_site_code'), 'zhaocuo_messages', ['site_code'], unique=False)
    op.create_table('rectify_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.String(length=128), nullable=False),
    sa.Column('target_kind', sa.String(length=32), nullable=False),
    sa.Column('target_name', sa.Text(), nullable=False),
    sa.Column('owner', sa.Text(), nullable=False),
    sa.Column('target', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('finding_key', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('detail', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('working_days', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_by', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('notified_on', sa.Date(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reopen_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_rectify_cases_run_id_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectify_cases'))
    )
    op.create_index(op.f('ix_rectify_cases_state'), 'rectify_cases', ['state'], unique=False)
    op.create_index('ix_rectify_cases_target_id_finding_key', 'rectify_cases', ['target_id', 'finding_key'], unique=False)
    op.create_table('rectify_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.Text(), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=False),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(none_as_null=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['rectify_cases.id'], name=op.f('fk_rectify_events_case_id_rectify_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectify_events'))
    )
    op.create_index(op.f('ix_rectify_events_case_id'), 'rectify_events', ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_rectify_events_case_id'), table_name='rectify_events')
    op.drop_table('rectify_events')
    op.drop_index('ix_rectify_cases_target_id_finding_key', table_name='rectify_cases')
    op.drop_index(op.f('ix_rectify_cases_state'), table_name='rectify_cases')
    op.drop_table('rectify_cases')
    op.drop_index(op.f('ix_zhaocuo_messages_site_code'), table_name='zhaocuo_messages')
    op.drop_table('zhaocuo_messages')
    op.drop_index(op.f('ix_consultations_target_id'), table_name='consultations')
    op.drop_table('consultations')
