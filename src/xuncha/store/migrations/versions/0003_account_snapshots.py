"""New-media account snapshots: account meta and state, posts (one blob in bodies) and the raw
documents (feeds, JSON, HTML, imported files) they were parsed from.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('account_snapshots',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('run_target_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('adapter', sa.String(length=32), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('health', sa.String(length=32), nullable=False),
    sa.Column('health_detail', sa.Text(), nullable=False),
    sa.Column('state', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('posts_hash', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['posts_hash'], ['bodies.hash'], name=op.f('fk_account_snapshots_posts_hash_bodies')),
    sa.ForeignKeyConstraint(['run_target_id'], ['run_targets.id'], name=op.f('fk_account_snapshots_run_target_id_run_targets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_snapshots')),
    sa.UniqueConstraint('run_target_id', name=op.f('uq_account_snapshots_run_target_id'))
    )
    op.create_index(op.f('ix_account_snapshots_posts_hash'), 'account_snapshots', ['posts_hash'], unique=False)
    op.create_table('account_documents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('account_snapshot_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('final_url', sa.Text(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.Text(), nullable=False),
    sa.Column('encoding', sa.Text(), nullable=False),
    sa.Column('body_hash', sa.Text(), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('truncated', sa.Boolean(), nullable=False),
    sa.Column('elapsed_ms', sa.Float(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('blocked', sa.Text(), nullable=True),
    sa.Column('redirects', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('referrer', sa.Text(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('headers', sa.JSON(none_as_null=True), nullable=False),
    sa.ForeignKeyConstraint(['account_snapshot_id'], ['account_snapshots.id'], name=op.f('fk_account_documents_account_snapshot_id_account_snapshots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['text_hash'], ['bodies.hash'], name=op.f('fk_account_documents_text_hash_bodies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_documents')),
    sa.UniqueConstraint('account_snapshot_id', 'seq', name=op.f('uq_account_documents_account_snapshot_id_seq'))
    )
    op.create_index(op.f('ix_account_documents_text_hash'), 'account_documents', ['text_hash'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_account_documents_text_hash'), table_name='account_documents')
    op.drop_table('account_documents')
    op.drop_index(op.f('ix_account_snapshots_posts_hash'), table_name='account_snapshots')
    op.drop_table('account_snapshots')
