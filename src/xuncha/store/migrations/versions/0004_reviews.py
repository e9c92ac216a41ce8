"""Inspectors' reviews of findings (confirm / false positive / doubtful) and the rule set a
judgement was made under.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reviews',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('target_id', sa.String(length=128), nullable=False),
    sa.Column('finding_key', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('serious', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reviewer', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_reviews_run_id_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('target_id', 'finding_key', name=op.f('uq_reviews_target_id_finding_key'))
    )
    with op.batch_alter_table('judgements') as batch:
        batch.add_column(sa.Column('ruleset', sa.String(length=128), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('judgements') as batch:
        batch.drop_column('ruleset')
    op.drop_table('reviews')
