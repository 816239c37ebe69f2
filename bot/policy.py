"""Who may call each route: one table for the whole gateway, read by the console's access
check (`bot/console/access.py`) and walked by the tests (a route missing here is refused).

Inside the desk, ownership narrows it further (`bot/desk/permissions.py`): an agent acts on
their own chats and tickets, a supervisor or admin on anyone's.
"""

from __future__ import annotations

from enum import StrEnum

from bot.models import Role


class Access(StrEnum):
    PUBLIC = "public"  # anyone: pages, scripts, the docs, signing in
    CUSTOMER = "customer"  # the customer's token, or the shop's integrator key
    TELEGRAM = "telegram"  # Telegram's webhook secret
    SERVICE = "service"  # the action server's token, on the internal loopback port only
    OPERATIONS = "operations"  # Prometheus: from loopback, or with the metrics token
    AGENT = "agent"  # any signed-in agent, supervisor or admin
    SUPERVISOR = "supervisor"  # supervisors and admins
    ADMIN = "admin"  # admins


STAFF_LEVEL = {Access.AGENT: 1, Access.SUPERVISOR: 2, Access.ADMIN: 3}
ROLE_LEVEL = {Role.AGENT: 1, Role.SUPERVISOR: 2, Role.ADMIN: 3}

# "METHOD path" as the route is declared; WebSockets as "WS path"
POLICY: dict[str, Access] = {
    # pages, scripts and the API's own documentation
    "GET /": Access.PUBLIC,
    "GET /widget.js": Access.PUBLIC,
    "GET /widget.css": Access.PUBLIC,
    "GET /static/{folder}/{name}.{ext}": Access.PUBLIC,
    "GET /console": Access.PUBLIC,
    "GET /console/{name}.{ext}": Access.PUBLIC,
    "GET /console/{folder}/{name}.{ext}": Access.PUBLIC,
    "GET /healthz": Access.PUBLIC,
    "GET /readyz": Access.PUBLIC,
    "GET /metrics": Access.OPERATIONS,
    "GET /openapi.json": Access.PUBLIC,
    "GET /docs": Access.PUBLIC,
    "GET /docs/oauth2-redirect": Access.PUBLIC,
    "GET /redoc": Access.PUBLIC,
    # customers: the widget and integrations, Telegram
    "POST /api/web/customers": Access.PUBLIC,
    "POST /api/web/messages": Access.CUSTOMER,
    "GET /api/web/history": Access.CUSTOMER,
    "WS /ws/web": Access.CUSTOMER,
    "POST /telegram/webhook": Access.TELEGRAM,
    # the action server (internal port)
    "POST /internal/tickets": Access.SERVICE,
    "GET /internal/tickets": Access.SERVICE,
    "GET /internal/tickets/{number}": Access.SERVICE,
    "GET /internal/presence": Access.SERVICE,
    "POST /internal/handoffs": Access.SERVICE,
    # the console
    "POST /api/console/login": Access.PUBLIC,
    "POST /api/console/logout": Access.AGENT,
    "GET /api/console/me": Access.AGENT,
    "PUT /api/console/me/presence": Access.AGENT,
    "POST /api/console/me/password": Access.AGENT,
    "WS /ws/console": Access.AGENT,
    "GET /api/console/queue": Access.AGENT,
    "GET /api/console/agents": Access.AGENT,
    "GET /api/console/canned": Access.AGENT,
    "GET /api/console/conversations/{conversation_id}": Access.AGENT,
    "POST /api/console/conversations/{conversation_id}/claim": Access.AGENT,
    "POST /api/console/conversations/{conversation_id}/messages": Access.AGENT,
    "POST /api/console/conversations/{conversation_id}/transfer": Access.AGENT,
    "POST /api/console/conversations/{conversation_id}/handback": Access.AGENT,
    "POST /api/console/conversations/{conversation_id}/resolve": Access.AGENT,
    "GET /api/console/tickets": Access.AGENT,
    "GET /api/console/tickets/{number}": Access.AGENT,
    "POST /api/console/tickets/{number}/take": Access.AGENT,
    "POST /api/console/tickets/{number}/messages": Access.AGENT,
    "POST /api/console/tickets/{number}/status": Access.AGENT,
    "POST /api/console/tickets/{number}/correct": Access.AGENT,
    "POST /api/console/tickets/{number}/notes": Access.AGENT,
    "PUT /api/console/customers/{customer_id}/tier": Access.SUPERVISOR,
    # reports
    "GET /console/reports": Access.PUBLIC,
    "GET /api/console/reports/summary": Access.SUPERVISOR,
    "GET /api/console/reports/{table}.csv": Access.SUPERVISOR,
    "POST /api/console/reports/qa/sample": Access.SUPERVISOR,
    "GET /api/console/reports/qa/conversations/{conversation_id}": Access.SUPERVISOR,
    "POST /api/console/reports/qa/conversations/{conversation_id}/reviews": Access.SUPERVISOR,
    # admin
    "GET /console/admin": Access.PUBLIC,
    "GET /api/console/admin/agents": Access.ADMIN,
    "POST /api/console/admin/agents": Access.ADMIN,
    "PUT /api/console/admin/agents/{agent_id}": Access.ADMIN,
    "POST /api/console/admin/agents/{agent_id}/password": Access.ADMIN,
    "POST /api/console/admin/agents/{agent_id}/deactivate": Access.ADMIN,
    "POST /api/console/admin/agents/{agent_id}/activate": Access.ADMIN,
    "GET /api/console/admin/customers/{customer_id}/export": Access.ADMIN,
    "DELETE /api/console/admin/customers/{customer_id}": Access.ADMIN,
    "GET /api/console/admin/canned": Access.ADMIN,
    "POST /api/console/admin/canned": Access.ADMIN,
    "PUT /api/console/admin/canned/{canned_id}": Access.ADMIN,
    "DELETE /api/console/admin/canned/{canned_id}": Access.ADMIN,
    "GET /api/console/admin/training": Access.ADMIN,
    "POST /api/console/admin/training": Access.ADMIN,
    "GET /api/console/admin/training/{run_id}": Access.ADMIN,
    "POST /api/console/admin/training/{run_id}/activate": Access.ADMIN,
    # admin: what the assistant knows and says
    "GET /api/console/admin/intents": Access.ADMIN,
    "GET /api/console/admin/intents/{name}": Access.ADMIN,
    "POST /api/console/admin/intents": Access.ADMIN,
    "DELETE /api/console/admin/intents/{name}": Access.ADMIN,
    "GET /api/console/admin/entities": Access.ADMIN,
    "GET /api/console/admin/examples": Access.ADMIN,
    "POST /api/console/admin/examples": Access.ADMIN,
    "PUT /api/console/admin/examples/{example_id}": Access.ADMIN,
    "DELETE /api/console/admin/examples/{example_id}": Access.ADMIN,
    "GET /api/console/admin/responses": Access.ADMIN,
    "PUT /api/console/admin/responses/{name}": Access.ADMIN,
    "GET /api/console/admin/phrases": Access.ADMIN,
    "PUT /api/console/admin/phrases": Access.ADMIN,
    "GET /api/console/admin/shop": Access.ADMIN,
    "PUT /api/console/admin/shop/{key}": Access.ADMIN,
    "GET /api/console/admin/policy": Access.ADMIN,
    "PUT /api/console/admin/policy": Access.ADMIN,
    "GET /api/console/admin/changes": Access.ADMIN,
    "POST /api/console/admin/changes/{change_id}/revert": Access.ADMIN,
}

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def access_of(method: str, path: str) -> Access | None:
    """The route's access, or None when the table has no entry (the caller refuses)."""
    return POLICY.get(f"{'GET' if method == 'HEAD' else method} {path}")


def role_may(role: Role, access: Access) -> bool:
    """Whether a signed-in member of staff with `role` may use a staff route."""
    return access in STAFF_LEVEL and ROLE_LEVEL[role] >= STAFF_LEVEL[access]
