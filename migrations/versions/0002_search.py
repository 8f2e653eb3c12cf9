"""search: index outbox and synonym groups

Revision ID: 0002_search
Revises: 0001_initial
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0002_search"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

#: the six assignment topics' everyday words, in Indonesian and English
DEFAULT_SYNONYMS = (
    "sidewalk, trotoar, jalur pejalan kaki, pedestrian path",
    "river, sungai, kali, stream",
    "billboard, signage, reklame, papan informasi, papan reklame, sign",
    "park, taman",
    "street furniture, aksesoris perkotaan, bangku, bench, halte, bus stop",
    "tree, pohon",
)


def upgrade():
    op.create_table(
        "index_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_index_outbox")),
    )
    op.create_index(op.f("ix_index_outbox_entry_id"), "index_outbox", ["entry_id"])
    synonym = op.create_table(
        "search_synonym",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("terms", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_synonym")),
    )
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(synonym, [
        {"terms": terms, "created_at": now, "updated_at": now} for terms in DEFAULT_SYNONYMS
    ])


def downgrade():
    op.drop_table("search_synonym")
    op.drop_index(op.f("ix_index_outbox_entry_id"), table_name="index_outbox")
    op.drop_table("index_outbox")
