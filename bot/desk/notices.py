"""What the customer is told as their case moves, in their language, on their channel:
assigned to a specialist, waiting on them, resolved, reopened; and when their chat ends."""

from __future__ import annotations

from datetime import datetime

from bot.contract import Button, Reply
from bot.models import Agent, Author, Ticket
from bot.settings import Settings
from bot.wire.clock import say_time

ASSIGNED = {
    "en": "Your case #{n} is now with {name}, one of our specialists. Expect a reply by {due}.",
    "zh": "您的工单 #{n} 已由专员 {name} 负责，预计 {due} 前回复您。",
}
ASSIGNED_NO_DUE = {
    "en": "Your case #{n} is now with {name}, one of our specialists, who will reply to you here.",
    "zh": "您的工单 #{n} 已由专员 {name} 负责，会在这里回复您。",
}
WAITING = {
    "en": "To go on with case #{n}, {name} needs something from you: {needed} — just reply here.",
    "zh": "为继续处理工单 #{n}，{name} 需要您提供：{needed}。直接在这里回复即可。",
}
RESOLVED = {
    "en": "Case #{n} is resolved: {solution}",
    "zh": "工单 #{n} 已解决：{solution}",
}
RESOLVED_PLAIN = {"en": "Case #{n} is resolved.", "zh": "工单 #{n} 已解决。"}
REOPENED = {
    "en": "I'm sorry it didn't work out. I've reopened case #{n}: {name}, one of our senior "
    "colleagues, will follow up with you here by {due}.",
    "zh": "很抱歉问题没有得到满意的解决。工单 #{n} 已重新打开，资深同事 {name} 会在 {due} 前"
    "在这里跟进。",
}
REOPENED_BY_AGENT = {
    "en": "Case #{n} is open again — {name} is looking into it and will reply to you here.",
    "zh": "工单 #{n} 已重新打开，{name} 正在处理，会在这里回复您。",
}
LEFT_QUEUE = {
    "en": "You've left the queue. Case #{n} stays open: a specialist will reply to you here by "
    "{due} — you don't need to keep this page open.",
    "zh": "您已退出排队。工单 #{n} 仍在处理中，专员会在 {due} 前在这里回复您，无需一直等在页面上。",
}
QUEUE_OFFER = {
    "en": "Sorry for the wait — nobody has been free to pick up your chat yet. Case #{n} stays "
    "open either way: a specialist can reply to you here by {due}, so you don't need to wait, "
    "or you can stay in line.",
    "zh": "抱歉让您久等了，暂时还没有同事能接入。工单 #{n} 会一直保留：专员可以在 {due} 前在这里"
    "回复您，您不必一直等；也可以继续排队。",
}
STAY = {
    "en": "OK, you stay in line — you're number {position}.",
    "zh": "好的，为您继续排队，您现在排在第 {position} 位。",
}
MOVED_UP = {
    "en": "You're now number {position} in line (about {minutes} min).",
    "zh": "您现在排在第 {position} 位（约 {minutes} 分钟）。",
}
IDLE_CLOSED = {
    "en": "This chat has closed after a quiet while. Case #{n} stays open and we'll reply to you "
    "here — write any time to continue.",
    "zh": "会话因长时间无消息已结束。工单 #{n} 仍在处理，我们会在这里回复您，您随时可以继续留言。",
}
BACK_TO_BOT = {
    "en": "You're back with the shop's assistant. Is there anything else I can help with?",
    "zh": "现在由智能助手继续为您服务。还有什么可以帮您的吗？",
}
LEAVE_BUTTON = {"en": "Leave the queue", "zh": "退出排队"}
LATER_BUTTON = {"en": "Reply to me later", "zh": "稍后回复我"}
STAY_BUTTON = {"en": "Keep waiting", "zh": "继续排队"}
LEAVE_PAYLOAD = "/leave_queue"
STAY_PAYLOAD = "/keep_waiting"


def first_name(agent: Agent) -> str:
    return agent.name.split()[0] if agent.name.strip() else agent.name


def due_text(ticket: Ticket, language: str, settings: Settings) -> str | None:
    return say_time(ticket.due_at, language, settings.timezone) if ticket.due_at else None


def due_or_soon(moment: datetime | None, language: str, settings: Settings) -> str:
    if moment is None:
        return "尽快" if language == "zh" else "as soon as we can"
    return say_time(moment, language, settings.timezone)


def system(text: str, *buttons: Button) -> Reply:
    return Reply(text=text, buttons=tuple(buttons), author=Author.SYSTEM)


def assigned(ticket: Ticket, agent: Agent, language: str, settings: Settings) -> Reply:
    due = due_text(ticket, language, settings)
    bank = ASSIGNED if due else ASSIGNED_NO_DUE
    return system(bank[language].format(n=ticket.number, name=first_name(agent), due=due))


def waiting(ticket: Ticket, agent: Agent, needed: str, language: str) -> Reply:
    needed = needed.strip().rstrip(".。")
    text = WAITING[language].format(n=ticket.number, name=first_name(agent), needed=needed)
    return system(text)


def resolved(ticket: Ticket, language: str) -> Reply:
    solution = (ticket.solution or "").strip()
    if not solution:
        return system(RESOLVED_PLAIN[language].format(n=ticket.number))
    return system(RESOLVED[language].format(n=ticket.number, solution=solution))


def reopened(ticket: Ticket, agent: Agent, language: str, settings: Settings) -> Reply:
    due = due_or_soon(ticket.due_at, language, settings)
    return system(REOPENED[language].format(n=ticket.number, name=first_name(agent), due=due))


def reopened_by(ticket: Ticket, agent: Agent, language: str) -> Reply:
    return system(REOPENED_BY_AGENT[language].format(n=ticket.number, name=first_name(agent)))


def leave_button(language: str) -> Button:
    return Button(LEAVE_BUTTON[language], LEAVE_PAYLOAD)
