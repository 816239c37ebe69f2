"""admin: knowledge changes and training runs

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "knowledge_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("agent_id", sa.Integer(), sa.ForeignKey("agents.id", ondelete="SET NULL")),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("reverted_at", MOMENT, nullable=True),
        sa.Column("reverted_by", sa.Integer(), sa.ForeignKey("agents.id", ondelete="SET NULL")),
        sa.Column("reverts", sa.Integer(), sa.ForeignKey("knowledge_changes.id"), nullable=True),
    )
    op.create_table(
        "training_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("started_by", sa.Integer(), sa.ForeignKey("agents.id", ondelete="SET NULL")),
        sa.Column("started_at", MOMENT, nullable=False),
        sa.Column("finished_at", MOMENT, nullable=True),
        sa.Column("model", sa.String(200), nullable=True),
        sa.Column("change_id", sa.Integer(), sa.ForeignKey("knowledge_changes.id"), nullable=True),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("log_path", sa.String(300), nullable=True),
        sa.Column("activated_by", sa.Integer(), sa.ForeignKey("agents.id", ondelete="SET NULL")),
        sa.Column("activated_at", MOMENT, nullable=True),
    )
    op.create_index("ix_training_runs_status", "training_runs", ["status"])


def downgrade() -> None:
    op.drop_index("ix_training_runs_status", table_name="training_runs")
    op.drop_table("training_runs")
    op.drop_table("knowledge_changes")
