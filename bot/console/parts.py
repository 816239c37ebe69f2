"""What the console's routes are given: the help desk's parts, and its door (signing in and
the sessions)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.admin.changes import ChangeLog
from bot.admin.knowledge import Knowledge
from bot.admin.training import Trainer
from bot.console.auth import SignIn
from bot.console.sessions import ConsoleSessions
from bot.desk.assignment import Assignment
from bot.desk.canned import CannedReplies
from bot.desk.case_status import CaseStatus
from bot.desk.casework import CaseWork
from bot.desk.directory import Directory
from bot.desk.privacy import Privacy
from bot.desk.replies import Replies
from bot.desk.staff import Staff
from bot.desk.ticket_list import TicketList
from bot.desk.tiers import Tiers
from bot.desk.transcripts import Transcripts
from bot.reports.qa import QaSampling
from bot.reports.service import Reports


@dataclass(frozen=True)
class DeskParts:
    """The parts of the help desk the console's routes call."""

    transcripts: Transcripts
    directory: Directory
    assignment: Assignment
    replies: Replies
    listing: TicketList
    casework: CaseWork
    statuses: CaseStatus
    tiers: Tiers
    staff: Staff
    privacy: Privacy
    reports: Reports
    qa: QaSampling


@dataclass(frozen=True)
class ConsoleDoor:
    """Signing in, the sessions, and how often an open console socket checks its session."""

    sign_in: SignIn
    sessions: ConsoleSessions
    check_seconds: float


@dataclass(frozen=True)
class AdminParts:
    """What the admin pages change: the assistant's files, its models, the canned responses."""

    knowledge: Knowledge
    changes: ChangeLog
    trainer: Trainer
    canned: CannedReplies
