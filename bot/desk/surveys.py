"""Surveys on the customer's channel, one question at a time, in their language.

After a ticket is resolved: CSAT 1–5, "was your problem solved?", NPS 0–10, an optional comment
(each switchable in settings). After a chat the assistant handled alone: "did that help?".
Buttons send `/survey:<value>`; typed answers count too (`survey_answers.py`). A message that
is not an answer to the question asked goes on to the assistant as usual, and the survey waits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.contract import Button, Reply
from bot.db import as_utc, utcnow
from bot.desk.notices import system
from bot.desk.survey_answers import read_csat, read_nps, read_skip, read_yes_no
from bot.metrics import SURVEYS
from bot.models import (
    Conversation,
    Survey,
    SurveyKind,
    SurveyStatus,
    SurveyStep,
    Ticket,
)
from bot.settings import Settings

PAYLOAD = "/survey:"
LOW_CSAT = 2
QUESTIONS = {
    SurveyStep.CSAT: {
        "en": "How happy are you with how we handled case #{n}? Tap 1 (not at all) to 5 (very).",
        "zh": "您对工单 #{n} 的处理满意吗？请选择 1（很不满意）到 5（非常满意）。",
    },
    SurveyStep.SOLVED: {"en": "Was your problem solved?", "zh": "您的问题解决了吗？"},
    SurveyStep.NPS: {
        "en": "How likely are you to recommend us to a friend, from 0 (not at all) to 10 (very)?",
        "zh": "您有多大可能把我们推荐给朋友？0（完全不会）到 10（非常愿意）。",
    },
    SurveyStep.COMMENT: {
        "en": "Anything you'd like to add? Write it here, or tap Skip.",
        "zh": "还有什么想告诉我们的吗？直接写在这里，或点「跳过」。",
    },
    SurveyStep.HELPED: {"en": "Did that help?", "zh": "以上回答对您有帮助吗？"},
}
WHAT_WENT_WRONG = {
    "en": "What went wrong? Anything you write here goes straight to the colleague following up.",
    "zh": "哪里没有做好？您写的内容会直接转给跟进的同事。",
}
THANKS = {"en": "Thank you for your feedback!", "zh": "感谢您的反馈！"}
HELPED_YES = {"en": "Glad I could help!", "zh": "很高兴能帮到您！"}
HELPED_NO = {
    "en": "Sorry about that. Tell me what's still wrong, or tap below to talk to a person.",
    "zh": "抱歉没能帮上忙。请告诉我还有什么问题，或点下方按钮转人工客服。",
}
REMINDER = {"en": "A quick reminder — ", "zh": "温馨提醒："}
YES_NO = {"en": ("Yes", "No"), "zh": ("是", "否")}
SKIP = {"en": "Skip", "zh": "跳过"}
HUMAN = {"en": "Talk to a person", "zh": "转人工客服"}
HUMAN_PAYLOAD = "/contact_human_agent"


@dataclass(frozen=True)
class SurveyAnswer:
    """What became of a survey answer: what to say next, and whether the customer is unhappy
    with a resolved case now (a low CSAT or "not solved": the case is followed up)."""

    survey: Survey
    replies: list[Reply]
    unhappy: bool


def _buttons(step: SurveyStep, language: str) -> tuple[Button, ...]:
    if step == SurveyStep.CSAT:
        return tuple(Button(str(v), f"{PAYLOAD}{v}") for v in range(1, 6))
    if step == SurveyStep.NPS:
        return tuple(Button(str(v), f"{PAYLOAD}{v}") for v in range(11))
    if step in (SurveyStep.SOLVED, SurveyStep.HELPED):
        yes, no = YES_NO[language]
        return (Button(yes, f"{PAYLOAD}yes"), Button(no, f"{PAYLOAD}no"))
    if step == SurveyStep.COMMENT:
        return (Button(SKIP[language], f"{PAYLOAD}skip"),)
    return ()


def question(survey: Survey, number: int | None, prefix: str = "") -> Reply:
    language = survey.language
    if (survey.step == SurveyStep.COMMENT and survey.solved is False) or (
        survey.step == SurveyStep.COMMENT and survey.csat is not None and survey.csat <= LOW_CSAT
    ):
        text = WHAT_WENT_WRONG[language]
    else:
        text = QUESTIONS[survey.step][language].format(n=number)
    return system(prefix + text, *_buttons(survey.step, language))


def case_steps(settings: Settings) -> list[SurveyStep]:
    wanted = [
        (SurveyStep.CSAT, settings.survey_csat),
        (SurveyStep.SOLVED, settings.survey_solved),
        (SurveyStep.NPS, settings.survey_nps),
        (SurveyStep.COMMENT, settings.survey_comment),
    ]
    return [step for step, on in wanted if on]


def next_step(survey: Survey, settings: Settings) -> SurveyStep:
    """The question after the current one; an unhappy customer is not asked to recommend us."""
    if survey.kind == SurveyKind.BOT:
        return SurveyStep.DONE
    steps = case_steps(settings)
    later = steps[steps.index(survey.step) + 1 :] if survey.step in steps else []
    if unhappy(survey):  # followed up now: only what went wrong is left to ask
        later = [s for s in later if s == SurveyStep.COMMENT]
    return later[0] if later else SurveyStep.DONE


def unhappy(survey: Survey) -> bool:
    return survey.kind == SurveyKind.CASE and (
        survey.solved is False or (survey.csat is not None and survey.csat <= LOW_CSAT)
    )


def _new(
    kind: SurveyKind,
    step: SurveyStep,
    conversation: Conversation,
    settings: Settings,
    ticket: Ticket | None = None,
) -> Survey:
    now = utcnow()
    return Survey(
        kind=kind,
        customer_id=conversation.customer_id,
        conversation_id=conversation.id,
        ticket_id=ticket.id if ticket is not None else None,
        language=conversation.language,
        status=SurveyStatus.ASKED,
        step=step,
        asked_at=now,
        expires_at=now + timedelta(hours=settings.survey_lifetime_hours),
    )


def ask_case(
    session: AsyncSession, ticket: Ticket, conversation: Conversation, settings: Settings
) -> list[Reply]:
    """Starts the survey of a resolved ticket (the caller commits): its first question."""
    steps = case_steps(settings)
    if not steps:
        return []
    survey = _new(SurveyKind.CASE, steps[0], conversation, settings, ticket)
    session.add(survey)
    SURVEYS.labels("case", "asked").inc()
    return [question(survey, ticket.number)]


def ask_bot(session: AsyncSession, conversation: Conversation, settings: Settings) -> list[Reply]:
    """ "Did that help?" at the end of a chat the assistant handled alone."""
    if not settings.survey_bot_helped:
        return []
    survey = _new(SurveyKind.BOT, SurveyStep.HELPED, conversation, settings)
    session.add(survey)
    SURVEYS.labels("bot", "asked").inc()
    return [question(survey, None)]


async def open_survey_of(session: AsyncSession, customer_id: int, now: datetime) -> Survey | None:
    """The customer's survey that waits for an answer, if any (the newest)."""
    survey: Survey | None = await session.scalar(
        select(Survey)
        .where(
            Survey.customer_id == customer_id,
            Survey.status == SurveyStatus.ASKED,
            Survey.expires_at > now,
        )
        .order_by(Survey.id.desc())
    )
    return survey


def _value(text: str) -> tuple[str | None, bool]:
    """The value a survey button sent, or the typed text (and whether it was a button)."""
    text = text.strip()
    if text.startswith(PAYLOAD):
        return text[len(PAYLOAD) :], True
    return text, False


def _take(survey: Survey, text: str) -> bool:
    """Records the answer to the current question if `text` is one; False if it is not."""
    value, pressed = _value(text)
    value = value or ""
    step = survey.step
    if step == SurveyStep.CSAT:
        score = int(value) if pressed and value.isdigit() else read_csat(value)
        if score is None or not 1 <= score <= 5:
            return False
        survey.csat = score
    elif step == SurveyStep.NPS:
        score = int(value) if pressed and value.isdigit() else read_nps(value)
        if score is None or not 0 <= score <= 10:
            return False
        survey.nps = score
    elif step in (SurveyStep.SOLVED, SurveyStep.HELPED):
        answer = {"yes": True, "no": False}.get(value) if pressed else read_yes_no(value)
        if answer is None:
            return False
        survey.solved = answer
    elif step == SurveyStep.COMMENT:
        if pressed or read_skip(value):
            return True
        if value.endswith(("?", "？")):  # a new question, not a comment on the case
            return False
        survey.comment = value[:4000]
    else:
        return False
    return True


def answer(
    survey: Survey, text: str, number: int | None, settings: Settings
) -> SurveyAnswer | None:
    """Takes the customer's message as the answer to the question asked, if it is one."""
    was_unhappy = unhappy(survey)
    if not _take(survey, text):
        return None
    SURVEYS.labels(survey.kind.value, "answered").inc()
    language = survey.language
    survey.answered_at = utcnow()
    survey.step = next_step(survey, settings)
    replies: list[Reply] = []
    if survey.step == SurveyStep.DONE:
        survey.status = SurveyStatus.ANSWERED
        if survey.kind == SurveyKind.BOT:
            if survey.solved:
                replies.append(system(HELPED_YES[language]))
            else:
                replies.append(system(HELPED_NO[language], Button(HUMAN[language], HUMAN_PAYLOAD)))
        else:
            replies.append(system(THANKS[language]))
    else:
        replies.append(question(survey, number))
    return SurveyAnswer(survey, replies, unhappy(survey) and not was_unhappy)


def reminder(survey: Survey, number: int | None) -> Reply:
    return question(survey, number, REMINDER[survey.language])


def expired(survey: Survey, now: datetime) -> bool:
    return as_utc(survey.expires_at) <= now
