"""One query for each question the gateway asks of the database, written once."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Author, Conversation, ConversationStatus, Customer, Message, Ticket

# a customer message the assistant has not answered, in a conversation the bot has
WAITING_FOR_RASA = (
    Message.author == Author.CUSTOMER,
    Message.handled_at.is_(None),
    Conversation.status == ConversationStatus.BOT,
)


async def customer_on(session: AsyncSession, channel: str, external_id: str) -> Customer | None:
    """The customer known on this channel by this id, if any."""
    customer: Customer | None = await session.scalar(
        select(Customer).where(Customer.channel == channel, Customer.external_id == external_id)
    )
    return customer


async def customer_with_uid(session: AsyncSession, uid: str) -> Customer | None:
    """The customer whose sender id at the Rasa server this is."""
    customer: Customer | None = await session.scalar(select(Customer).where(Customer.uid == uid))
    return customer


async def open_conversation_of(session: AsyncSession, customer_id: int) -> Conversation | None:
    """The customer's current conversation, unless it was closed."""
    conversation: Conversation | None = await session.scalar(
        select(Conversation)
        .where(
            Conversation.customer_id == customer_id,
            Conversation.status != ConversationStatus.CLOSED,
        )
        .order_by(Conversation.id.desc())
    )
    return conversation


async def latest_conversation_of(session: AsyncSession, customer_id: int) -> Conversation | None:
    """The customer's newest conversation, open or closed."""
    conversation: Conversation | None = await session.scalar(
        select(Conversation)
        .where(Conversation.customer_id == customer_id)
        .order_by(Conversation.id.desc())
    )
    return conversation


async def current_ticket_of(session: AsyncSession, conversation_id: int) -> Ticket | None:
    """The conversation's ticket: its newest one."""
    ticket: Ticket | None = await session.scalar(
        select(Ticket).where(Ticket.conversation_id == conversation_id).order_by(Ticket.id.desc())
    )
    return ticket


async def tickets_of(session: AsyncSession, customer_id: int) -> Sequence[Ticket]:
    """The customer's tickets, newest first."""
    rows = await session.scalars(
        select(Ticket).where(Ticket.customer_id == customer_id).order_by(Ticket.id.desc())
    )
    return rows.all()


async def message_with_channel_id(
    session: AsyncSession, channel: str, channel_message_id: str
) -> Message | None:
    """The message a channel delivered with this id before, if it did."""
    message: Message | None = await session.scalar(
        select(Message).where(
            Message.channel == channel, Message.channel_message_id == channel_message_id
        )
    )
    return message


async def replies_to(session: AsyncSession, message_id: int) -> Sequence[Message]:
    """What the gateway answered to a customer message, in order."""
    rows = await session.scalars(
        select(Message).where(Message.reply_to_id == message_id).order_by(Message.id)
    )
    return rows.all()


async def pending_messages(
    session: AsyncSession, conversation_id: int | None = None
) -> Sequence[Message]:
    """Customer messages that wait for the assistant (it was away), oldest first."""
    query = (
        select(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(*WAITING_FOR_RASA)
        .order_by(Message.id)
    )
    if conversation_id is not None:
        query = query.where(Message.conversation_id == conversation_id)
    return (await session.scalars(query)).all()


async def waiting_turns(session: AsyncSession) -> list[tuple[int, str, str]]:
    """The messages waiting for the assistant, oldest first, with whose turn each is: (message
    id, channel, the customer's id on it)."""
    rows = await session.execute(
        select(Message.id, Customer.channel, Customer.external_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .join(Customer, Customer.id == Conversation.customer_id)
        .where(*WAITING_FOR_RASA)
        .order_by(Message.id)
    )
    return [(message_id, channel, external_id) for message_id, channel, external_id in rows]


async def visible_history(session: AsyncSession, customer_id: int, limit: int) -> list[Message]:
    """The customer's last messages across conversations, notes left out, oldest first."""
    rows = await session.scalars(
        select(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.customer_id == customer_id, Message.private.is_(False))
        .order_by(Message.id.desc())
        .limit(limit)
    )
    return list(reversed(rows.all()))


async def last_customer_message(session: AsyncSession, conversation_id: int) -> Message | None:
    message: Message | None = await session.scalar(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.author == Author.CUSTOMER)
        .order_by(Message.id.desc())
    )
    return message


async def last_reply_in(session: AsyncSession, conversation_id: int) -> Message | None:
    """The latest message the customer was sent in this conversation (notes left out)."""
    message: Message | None = await session.scalar(
        select(Message)
        .where(
            Message.conversation_id == conversation_id,
            Message.author != Author.CUSTOMER,
            Message.private.is_(False),
        )
        .order_by(Message.id.desc())
    )
    return message
