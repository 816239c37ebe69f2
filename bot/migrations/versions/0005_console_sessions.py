"""security: server-side console sessions, deactivated accounts, password changes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 01:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("password_changed_at", MOMENT, nullable=True))
    op.create_table(
        "console_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "agent_id",
            sa.Integer(),
            sa.ForeignKey("agents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("last_seen_at", MOMENT, nullable=False),
        sa.Column("expires_at", MOMENT, nullable=False),
        sa.Column("ended_at", MOMENT, nullable=True),
    )
    op.create_index("ix_console_sessions_agent_id", "console_sessions", ["agent_id"])


def downgrade() -> None:
    op.drop_index("ix_console_sessions_agent_id", table_name="console_sessions")
    op.drop_table("console_sessions")
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.drop_column("password_changed_at")
        batch_op.drop_column("active")
