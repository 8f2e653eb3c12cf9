"""uploads: resumable (tus) partial uploads

Revision ID: 0006_uploads
Revises: 0005_operating
Create Date: 2026-12-02 22:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_uploads'
down_revision = '0005_operating'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partial_upload',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('length', sa.BigInteger(), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('result_status', sa.String(length=16), nullable=True),
    sa.Column('result_http', sa.Integer(), nullable=True),
    sa.Column('result_message', sa.Text(), nullable=False),
    sa.Column('result_entry_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['result_entry_id'], ['entry.id'],
                            name=op.f('fk_partial_upload_result_entry_id_entry'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'],
                            name=op.f('fk_partial_upload_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partial_upload'))
    )
    with op.batch_alter_table('partial_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partial_upload_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_partial_upload_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('partial_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partial_upload_user_id'))
        batch_op.drop_index(batch_op.f('ix_partial_upload_expires_at'))
    op.drop_table('partial_upload')
