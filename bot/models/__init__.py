"""The gateway's data model (names from the help-desk field: Chatwoot, Zammad)."""

from bot.db import Base
from bot.models.admin import KnowledgeChange, RunStatus, TrainingRun
from bot.models.agent import Agent, CannedResponse, ConsoleSession, Presence, Role
from bot.models.conversation import Conversation, ConversationStatus
from bot.models.customer import Customer
from bot.models.message import Author, Message
from bot.models.qa import QA_PARTS, QaReview
from bot.models.survey import Survey, SurveyKind, SurveyStatus, SurveyStep
from bot.models.ticket import ACTIVE_STATUSES, Ticket, TicketEvent, TicketStatus

__all__ = [
    "KnowledgeChange",
    "RunStatus",
    "TrainingRun",
    "QA_PARTS",
    "QaReview",
    "ACTIVE_STATUSES",
    "Survey",
    "SurveyKind",
    "SurveyStatus",
    "SurveyStep",
    "Agent",
    "CannedResponse",
    "ConsoleSession",
    "Presence",
    "Role",
    "Author",
    "Base",
    "Conversation",
    "ConversationStatus",
    "Customer",
    "Message",
    "Ticket",
    "TicketEvent",
    "TicketStatus",
]
