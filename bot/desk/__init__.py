"""The help desk, split by what it does: the queue, hand-offs into it, assignment of chats to
agents, agents' replies, tickets and their audit trail, transcripts, and the directory of agents
and canned responses. Its errors are the gateway's domain errors (`bot/errors.py`)."""
