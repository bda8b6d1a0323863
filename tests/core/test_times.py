"""Every screen prints a time one way: weekday, day, month, the year only when it is not this
one, and seconds only where asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from inspector_app.core.times import local_date, local_time

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_time_this_year_and_another() -> None:
    when = datetime(2026, 12, 3, 14, 5, 9, tzinfo=UTC).astimezone()
    local = when.astimezone()
    assert local_time(when, now=NOW) == f"{local:%a} {local.day} Dec {local:%H:%M}"
    assert local_time(when, now=NOW, seconds=True).endswith(f"{local:%H:%M:%S}")
    earlier = when - timedelta(days=365)
    assert f" {earlier.astimezone().year} " in local_time(earlier, now=NOW)
    assert local_date(when, now=NOW) == f"{local.day} Dec"


@given(
    st.datetimes(
        min_value=datetime(1990, 1, 1),
        max_value=datetime(2090, 1, 1),
        timezones=st.just(UTC),
    )
)
def test_no_day_has_a_leading_zero_and_the_year_shows_only_when_it_differs(when) -> None:
    text = local_time(when, now=NOW)
    weekday, day, *_rest = text.split(" ")
    assert not day.startswith("0") and len(weekday) == 3
    local_year = when.astimezone().year
    assert (str(local_year) in text.split(" ")) == (local_year != NOW.astimezone().year)
