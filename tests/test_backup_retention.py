"""The retention rules as a pure function: recent backups all, then daily, weekly, monthly."""

from __future__ import annotations

from datetime import datetime, timedelta

from cscdesk.store.retention import RetentionPolicy, backups_to_keep

NOW = datetime(2026, 11, 25, 20, 0)


def hourly_for(days: int) -> dict[str, datetime]:
    """A backup every 6 hours for `days` days before NOW."""
    times = [NOW - timedelta(hours=6 * i) for i in range(days * 4)]
    return {when.isoformat(): when for when in times}


def test_nothing_to_keep_from_nothing() -> None:
    assert backups_to_keep({}, NOW, RetentionPolicy()) == set()


def test_everything_from_the_last_two_days_is_kept() -> None:
    backups = hourly_for(3)
    kept = backups_to_keep(backups, NOW, RetentionPolicy(2, 0, 0, 0))
    assert kept == {k for k, when in backups.items() if when >= NOW - timedelta(days=2)}


def test_daily_keeps_the_newest_of_each_of_the_last_days() -> None:
    backups = hourly_for(30)
    kept = backups_to_keep(backups, NOW, RetentionPolicy(0, 14, 0, 0))
    assert len(kept) == 14
    days = {backups[k].date() for k in kept}
    assert len(days) == 14 and max(days) == NOW.date()
    for key in kept:  # the newest backup of its day
        same_day = [w for w in backups.values() if w.date() == backups[key].date()]
        assert backups[key] == max(same_day)


def test_weekly_and_monthly_reach_back_a_year() -> None:
    backups = {f"d{i}": NOW - timedelta(days=i) for i in range(400)}
    kept = backups_to_keep(backups, NOW, RetentionPolicy(2, 14, 8, 12))
    kept_times = sorted(backups[k] for k in kept)
    weeks = {w.isocalendar()[:2] for w in kept_times}
    months = {(w.year, w.month) for w in kept_times}
    assert len(weeks) >= 8 and len(months) == 12
    assert min(kept_times) >= NOW - timedelta(days=366)
    assert len(kept) < 2 * (3 + 14 + 8 + 12)


def test_the_newest_backup_is_kept_even_when_every_rule_is_zero() -> None:
    backups = {"old": NOW - timedelta(days=900), "older": NOW - timedelta(days=1000)}
    assert backups_to_keep(backups, NOW, RetentionPolicy(0, 0, 0, 0)) == {"old"}


def test_the_default_policy_matches_the_settings() -> None:
    from cscdesk import settings

    policy = RetentionPolicy()
    assert (policy.keep_all_days, policy.daily, policy.weekly, policy.monthly) == (
        settings.KEEP_ALL_DAYS.default, settings.KEEP_DAILY.default,
        settings.KEEP_WEEKLY.default, settings.KEEP_MONTHLY.default,
    )
