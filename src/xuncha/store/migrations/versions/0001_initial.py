"""Initial schema: runs, run targets, snapshots (pages, bodies, link/net/search checks),
probes, judgements and findings.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 13:05:50.404863
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('bodies',
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('hash', name=op.f('pk_bodies'))
    )
    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('registry_file', sa.Text(), nullable=False),
    sa.Column('settings', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('counts', sa.JSON(none_as_null=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs'))
    )
    op.create_table('judgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_judgements_run_id_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_judgements'))
    )
    op.create_index(op.f('ix_judgements_run_id'), 'judgements', ['run_id'], unique=False)
    op.create_table('probes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('target_id', sa.String(length=128), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('elapsed_ms', sa.Float(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('run_seq', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_probes_run_id_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_probes'))
    )
    op.create_index('ix_probes_run_id_target_id', 'probes', ['run_id', 'target_id'], unique=False)
    op.create_index('ix_probes_target_id_at', 'probes', ['target_id', 'at'], unique=False)
    op.create_table('run_targets',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('owner', sa.Text(), nullable=False),
    sa.Column('region', sa.Text(), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('status_raw', sa.Text(), nullable=False),
    sa.Column('flags', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('extra', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('inspected', sa.Boolean(), nullable=False),
    sa.Column('skipped_reason', sa.Text(), nullable=False),
    sa.Column('pages_crawled', sa.Integer(), nullable=False),
    sa.Column('inconclusive_reasons', sa.JSON(none_as_null=True), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_run_targets_run_id_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_run_targets')),
    sa.UniqueConstraint('run_id', 'target_id', name=op.f('uq_run_targets_run_id_target_id'))
    )
    op.create_table('findings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('judgement_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.String(length=128), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('detected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('detail', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('needs_confirmation', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['judgement_id'], ['judgements.id'], name=op.f('fk_findings_judgement_id_judgements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings'))
    )
    op.create_index('ix_findings_judgement_id_target_id', 'findings', ['judgement_id', 'target_id'], unique=False)
    op.create_table('snapshots',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('run_target_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('home_url', sa.Text(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('robots_hash', sa.String(length=64), nullable=True),
    sa.Column('robots_ignored', sa.Boolean(), nullable=False),
    sa.Column('budget_exhausted', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.JSON(none_as_null=True), nullable=False),
    sa.ForeignKeyConstraint(['robots_hash'], ['bodies.hash'], name=op.f('fk_snapshots_robots_hash_bodies')),
    sa.ForeignKeyConstraint(['run_target_id'], ['run_targets.id'], name=op.f('fk_snapshots_run_target_id_run_targets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_snapshots')),
    sa.UniqueConstraint('run_target_id', name=op.f('uq_snapshots_run_target_id'))
    )
    op.create_index(op.f('ix_snapshots_robots_hash'), 'snapshots', ['robots_hash'], unique=False)
    op.create_table('link_checks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('snapshot_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('key', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('final_url', sa.Text(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('inconclusive', sa.Text(), nullable=True),
    sa.Column('content_type', sa.Text(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('elapsed_ms', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_link_checks_snapshot_id_snapshots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_checks')),
    sa.UniqueConstraint('snapshot_id', 'seq', name=op.f('uq_link_checks_snapshot_id_seq'))
    )
    op.create_table('net_checks',
    sa.Column('snapshot_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('host', sa.Text(), nullable=False),
    sa.Column('aaaa', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('ipv6_error', sa.Text(), nullable=True),
    sa.Column('ipv6_status', sa.Integer(), nullable=True),
    sa.Column('ipv6_title_same', sa.Boolean(), nullable=True),
    sa.Column('https_ok', sa.Boolean(), nullable=True),
    sa.Column('https_error', sa.Text(), nullable=True),
    sa.Column('cert_not_after', sa.DateTime(timezone=True), nullable=True),
    sa.Column('http_redirects_to_https', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_net_checks_snapshot_id_snapshots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('snapshot_id', name=op.f('pk_net_checks'))
    )
    op.create_table('pages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('snapshot_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
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
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_pages_snapshot_id_snapshots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['text_hash'], ['bodies.hash'], name=op.f('fk_pages_text_hash_bodies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pages')),
    sa.UniqueConstraint('snapshot_id', 'seq', name=op.f('uq_pages_snapshot_id_seq'))
    )
    op.create_index(op.f('ix_pages_text_hash'), 'pages', ['text_hash'], unique=False)
    op.create_table('search_attempts',
    sa.Column('snapshot_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('found', sa.Boolean(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_search_attempts_snapshot_id_snapshots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('snapshot_id', name=op.f('pk_search_attempts'))
    )


def downgrade() -> None:
    op.drop_table('search_attempts')
    op.drop_index(op.f('ix_pages_text_hash'), table_name='pages')
    op.drop_table('pages')
    op.drop_table('net_checks')
    op.drop_table('link_checks')
    op.drop_index(op.f('ix_snapshots_robots_hash'), table_name='snapshots')
    op.drop_table('snapshots')
    op.drop_index('ix_findings_judgement_id_target_id', table_name='findings')
    op.drop_table('findings')
    op.drop_table('run_targets')
    op.drop_index('ix_probes_target_id_at', table_name='probes')
    op.drop_index('ix_probes_run_id_target_id', table_name='probes')
    op.drop_table('probes')
    op.drop_index(op.f('ix_judgements_run_id'), table_name='judgements')
    op.drop_table('judgements')
    op.drop_table('runs')
    op.drop_table('bodies')
