"""Attachments (downloaded files and their text segments) and cloaking re-fetches of pages.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('attachments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('snapshot_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('link_text', sa.Text(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('body_hash', sa.Text(), nullable=False),
    sa.Column('segments_hash', sa.String(length=64), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('truncated', sa.Boolean(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['segments_hash'], ['bodies.hash'], name=op.f('fk_attachments_segments_hash_bodies')),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_attachments_snapshot_id_snapshots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('snapshot_id', 'seq', name=op.f('uq_attachments_snapshot_id_seq'))
    )
    op.create_index(op.f('ix_attachments_segments_hash'), 'attachments', ['segments_hash'], unique=False)
    # A constant string default: SQLite then adds the column in place (no copy of the table).
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cloaked', sa.Boolean(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.drop_column('cloaked')
    op.drop_index(op.f('ix_attachments_segments_hash'), table_name='attachments')
    op.drop_table('attachments')
