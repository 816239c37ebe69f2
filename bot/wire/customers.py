"""The VIP rule: which customers get the priority lane (the queue) and a person for any
complaint (the escalation policy)."""

from __future__ import annotations

VIP_TIERS: tuple[str, ...] = ("vip",)


def is_vip(tier: str | None, vip_tiers: tuple[str, ...] = VIP_TIERS) -> bool:
    return tier in vip_tiers
