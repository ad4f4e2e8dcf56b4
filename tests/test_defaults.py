"""The defaults mechanism: a row per release range, release parsing, and no silent guess when the release
is unknown and the rows differ."""
import pytest

from parsers.defaults import Default, Defaults, parse_release

TABLE = Defaults("x", [
    Default("p", "old", value=["a"], until=(16,), source="doc A"),
    Default("p", "new", value=["b"], since=(16,), source="doc B"),
    Default("life", "3600 s", value=3600, source="unverified: lab notes"),
])


@pytest.mark.parametrize("text,release", [("15.4", (15, 4)), ("17.12.1a", (17, 12, 1)), ("16.12", (16, 12)),
                                          ("9.16(4)", (9, 16, 4)), ("V200R010C10SPC700", (200, 10)),
                                          ("", None), (None, None), ("abc", None)])
def test_parse_release(text, release):
    assert parse_release(text) == release


def test_pick_by_release_and_refuse_to_guess_without_one():
    assert TABLE.pick("p", (15, 7)).row.value == ["a"]
    assert TABLE.pick("p", (17, 12, 1)).row.value == ["b"]
    unknown = TABLE.pick("p", None)
    assert unknown.row is None and unknown.release_dependent and [r.what for r in unknown.candidates] == ["old", "new"]
    with pytest.raises(KeyError):
        TABLE.value("p")
    assert TABLE.value("life") == 3600  # the same for every release: no release needed
    assert "not verified" in TABLE.note("life") and "doc B" in TABLE.note("p", (17,))


def test_overlapping_ranges_are_refused():
    with pytest.raises(ValueError):
        Defaults("x", [Default("p", "a", until=(17,), source="s"), Default("p", "b", since=(16,), source="s")])
