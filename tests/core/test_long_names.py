"""A real organisation's name can run to a hundred characters: the report's running head is
cut at a word with an ellipsis instead of running into the date, and a short one is left as
it is."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from inspector_app.core.report.fonts import register_fonts
from inspector_app.core.report.pdf import _furniture_width, fit_furniture

register_fonts()  # the renderer registers them when it starts; here the measure comes first

LONG = (
    "Inspection of Adult Offending Work: Durham Tees Valley, Cumbria and Lancashire Community "
    "Rehabilitation Company Limited (Purple Futures)"
)


def test_a_long_title_is_cut_at_a_word_to_fit() -> None:
    room = 300.0
    fitted = fit_furniture(LONG, room)
    assert fitted.endswith("\u2026") and _furniture_width(fitted) <= room
    assert LONG.startswith(fitted[:-1])
    assert fitted[:-1].split()[-1] in LONG.split()  # whole words only
    assert fit_furniture("Inspection of Adult Offending Work: Merseyside", room) == (
        "Inspection of Adult Offending Work: Merseyside"
    )


@given(st.text(min_size=1, max_size=200), st.floats(min_value=40, max_value=500))
def test_whatever_the_title_it_fits_its_room(title: str, room: float) -> None:
    fitted = fit_furniture(title, room)
    assert fitted == title or _furniture_width(fitted) <= room + _furniture_width("\u2026")
