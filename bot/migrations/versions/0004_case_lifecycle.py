"""the case lifecycle: tickets as work (assignee, priority, SLA marks, repeats), surveys, and
what the queue told the customer

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="2"))
        batch_op.add_column(sa.Column("waiting_for", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("sla_paused_at", MOMENT, nullable=True))
        batch_op.add_column(sa.Column("sla_started_at", MOMENT, nullable=True))
        batch_op.add_column(sa.Column("sla_warned_at", MOMENT, nullable=True))
        batch_op.add_column(sa.Column("sla_breached_at", MOMENT, nullable=True))
        batch_op.add_column(sa.Column("closed_at", MOMENT, nullable=True))
        batch_op.add_column(sa.Column("repeat_of_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_tickets_assignee", "agents", ["assignee_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            "fk_tickets_repeat_of", "tickets", ["repeat_of_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index("ix_tickets_assignee_id", ["assignee_id"])
        batch_op.create_index("ix_tickets_status_due", ["status", "due_at"])
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queue_offer_at", MOMENT, nullable=True))
        batch_op.add_column(sa.Column("told_position", sa.Integer(), nullable=True))
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("csat", sa.Integer(), nullable=True),
        sa.Column("solved", sa.Boolean(), nullable=True),
        sa.Column("nps", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("asked_at", MOMENT, nullable=False),
        sa.Column("reminded_at", MOMENT, nullable=True),
        sa.Column("answered_at", MOMENT, nullable=True),
        sa.Column("expires_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_surveys_customer_id", "surveys", ["customer_id"])
    op.create_index("ix_surveys_ticket_id", "surveys", ["ticket_id"])
    op.create_index("ix_surveys_status_asked", "surveys", ["status", "asked_at"])
    # tickets opened before this revision: their priority from their severity
    op.execute(
        "UPDATE tickets SET priority = CASE severity WHEN 'light' THEN 1 WHEN 'severe' THEN 3"
        " WHEN 'critical' THEN 4 ELSE 2 END"
    )


def downgrade() -> None:
    op.drop_index("ix_surveys_status_asked", table_name="surveys")
    op.drop_index("ix_surveys_ticket_id", table_name="surveys")
    op.drop_index("ix_surveys_customer_id", table_name="surveys")
    op.drop_table("surveys")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("told_position")
        batch_op.drop_column("queue_offer_at")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_status_due")
        batch_op.drop_index("ix_tickets_assignee_id")
        batch_op.drop_constraint("fk_tickets_repeat_of", type_="foreignkey")
        batch_op.drop_constraint("fk_tickets_assignee", type_="foreignkey")
        for column in (
            "repeat_of_id",
            "closed_at",
            "sla_breached_at",
            "sla_warned_at",
            "sla_started_at",
            "sla_paused_at",
            "waiting_for",
            "priority",
            "assignee_id",
        ):
            batch_op.drop_column(column)
