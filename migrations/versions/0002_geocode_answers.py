"""geocode answers cache

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('geocode_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=450), nullable=False),
    sa.Column('places', sa.JSON(), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('geocode_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_geocode_answer_key'), ['key'], unique=True)


def downgrade():
    with op.batch_alter_table('geocode_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_geocode_answer_key'))
    op.drop_table('geocode_answer')
