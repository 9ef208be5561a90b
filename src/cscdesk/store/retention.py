"""Which backups to keep: everything recent, then one a day, a week and a month.

A pure function of the backups' times, so the rules are tested without files. The same scheme as
borg and restic: each rule keeps the newest backup of each of its most recent periods; a backup
kept by any rule is kept; the newest backup is always kept, so the only good one never goes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class RetentionPolicy:
    keep_all_days: int = 2
    daily: int = 14
    weekly: int = 8
    monthly: int = 12


def _newest_per_period(
    newest_first: list[tuple[K, datetime]], period: Callable[[datetime], Hashable], count: int
) -> set[K]:
    kept: set[K] = set()
    seen: set[Hashable] = set()
    for key, when in newest_first:
        if len(seen) >= count:
            break
        bucket = period(when)
        if bucket not in seen:
            seen.add(bucket)
            kept.add(key)
    return kept


def backups_to_keep(
    backups: Mapping[K, datetime], now: datetime, policy: RetentionPolicy
) -> set[K]:
    """The keys of `backups` (good backups only, key -> time made) that the policy keeps."""
    if not backups:
        return set()
    newest_first = sorted(backups.items(), key=lambda item: item[1], reverse=True)
    cutoff = now - timedelta(days=policy.keep_all_days)
    kept = {key for key, when in newest_first if when >= cutoff}
    kept |= _newest_per_period(newest_first, lambda when: when.date(), policy.daily)
    kept |= _newest_per_period(
        newest_first, lambda when: when.isocalendar()[:2], policy.weekly
    )
    kept |= _newest_per_period(newest_first, lambda when: (when.year, when.month), policy.monthly)
    kept.add(newest_first[0][0])
    return kept
