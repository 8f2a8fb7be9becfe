"""volunteer submissions (private fields, edit tokens, pending edits) and staff accounts

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('edit_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('edit_token_created', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('confirmed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('removal_requested', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_initiative_edit_token_hash'), ['edit_token_hash'], unique=True)
        batch_op.create_unique_constraint('uq_initiative_submission_key', ['submission_key'])
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=False, server_default=''))
    op.create_table('pending_edit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pending_edit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_edit_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_edit_status'), ['status'], unique=False)
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=300), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_email'), ['email'], unique=True)


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_email'))
    op.drop_table('user_account')
    with op.batch_alter_table('pending_edit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_edit_status'))
        batch_op.drop_index(batch_op.f('ix_pending_edit_initiative_id'))
    op.drop_table('pending_edit')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('note')
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_constraint('uq_initiative_submission_key', type_='unique')
        batch_op.drop_index(batch_op.f('ix_initiative_edit_token_hash'))
        batch_op.drop_column('submission_key')
        batch_op.drop_column('removal_requested')
        batch_op.drop_column('confirmed_on')
        batch_op.drop_column('edit_token_created')
        batch_op.drop_column('edit_token_hash')
        batch_op.drop_column('contact_email')
