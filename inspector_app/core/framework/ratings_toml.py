"""Reads a framework's `[ratings]` table into `RatingRules`, checking every band.

Ratings are published judgements, so a table that could rate one figure two ways (bands that
overlap) or not at all (a gap) is refused when the framework loads, naming the band, rather
than discovered in a report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NoReturn

from inspector_app.core.errors import FrameworkError
from inspector_app.core.framework.model import Criterion, RatingBand, RatingRules

_RATINGS_KEYS = ("standard_rule", "bands", "overall")
_BAND_KEYS = ("rating", "from", "to", "score", "words")
_OVERALL_KEYS = ("rating", "from", "to")
STANDARD_RULES = ("lowest",)  # the band of the standard's lowest key question


def parse_ratings(raw: object, source: str, criteria: Sequence[Criterion]) -> RatingRules:
    """Checks and builds the rating rules; errors name `source` and the band."""
    return _RatingsReader(source).read(raw, criteria)


class _RatingsReader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> NoReturn:
        raise FrameworkError(f"{self.source}: {where}: {problem}")

    def read(self, raw: object, criteria: Sequence[Criterion]) -> RatingRules:
        table = self.table(raw, "[ratings]")
        self.check_keys(table, _RATINGS_KEYS, "[ratings]")
        if not criteria:
            self.fail("[ratings]", "ratings need [[criteria]] (the standards they rate)")
        rule = table.get("standard_rule", "lowest")
        if rule not in STANDARD_RULES:
            self.fail(
                "[ratings]",
                f"standard_rule must be one of {', '.join(STANDARD_RULES)}, not {rule!r}",
            )
        bands = self.bands(table.get("bands"), "ratings.bands", _BAND_KEYS, 0, 100)
        scores = [band.score for band in bands]
        highest = max(score for score in scores if score is not None)
        overall = self.bands(
            table.get("overall"), "ratings.overall", _OVERALL_KEYS, 0, highest * len(criteria)
        )
        return RatingRules("lowest", bands, overall)

    def bands(
        self, raw: object, name: str, keys: tuple[str, ...], low: int, high: int
    ) -> tuple[RatingBand, ...]:
        """A list of bands that together hold every whole number from `low` to `high` once."""
        if not isinstance(raw, list) or not raw:
            self.fail(f"[[{name}]]", "needs at least one band")
        bands = tuple(self.band(index, item, name, keys) for index, item in enumerate(raw, 1))
        names = [band.rating for band in bands]
        for rating in names:
            if names.count(rating) > 1:
                self.fail(f"[[{name}]]", f"rating {rating!r} has two bands")
        self.check_cover(bands, name, low, high)
        return bands

    def band(self, index: int, raw: object, name: str, keys: tuple[str, ...]) -> RatingBand:
        where = f"[[{name}]] {index}"
        table = self.table(raw, where)
        self.check_keys(table, keys, where)
        rating = table.get("rating")
        if not isinstance(rating, str) or not rating.strip():
            self.fail(where, "needs a 'rating' (the words a report prints, e.g. 'Good')")
        where = f"[[{name}]] {rating!r}"
        low, high = self.whole(table, "from", where), self.whole(table, "to", where)
        if low > high:
            self.fail(where, f"'from' ({low}) is above 'to' ({high})")
        if "score" not in keys:
            return RatingBand(rating, low, high)
        words = table.get("words")
        if words is not None and not isinstance(words, str):
            self.fail(where, f"'words' must be a string in quotes, not {words!r}")
        return RatingBand(rating, low, high, self.whole(table, "score", where), words)

    def check_cover(self, bands: tuple[RatingBand, ...], name: str, low: int, high: int) -> None:
        ordered = sorted(bands, key=lambda band: band.low)
        expected = low
        for band in ordered:
            if band.low > expected:
                self.fail(f"[[{name}]]", f"no band holds {expected} to {band.low - 1}")
            if band.low < expected:
                self.fail(
                    f"[[{name}]] {band.rating!r}",
                    f"overlaps the band below it at {band.low} to {expected - 1}",
                )
            expected = band.high + 1
        if expected <= high:
            self.fail(f"[[{name}]]", f"no band holds {expected} to {high}")
        if expected > high + 1:
            self.fail(f"[[{name}]] {ordered[-1].rating!r}", f"goes beyond {high}")

    def whole(self, table: Mapping[str, object], key: str, where: str) -> int:
        value = table.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.fail(where, f"{key!r} must be a whole number of 0 or more, not {value!r}")
        return value

    def table(self, value: object, where: str) -> dict[str, object]:
        if not isinstance(value, dict):
            self.fail(where, f"must be a table, not {value!r}")
        return value

    def check_keys(self, table: Mapping[str, object], allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in allowed:
                self.fail(where, f"unknown key {key!r} (expected {', '.join(allowed)})")
