"""Publication dates read from bylines and metadata."""

from __future__ import annotations

import pytest

from store.library.dates import normalize_date


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2024-11-27", "2024-11-27"),
        ("2024-11-27T08:30:00+01:00", "2024-11-27"),
        ("27/11/2024", "2024-11-27"),
        ("27.11.2024", "2024-11-27"),
        ("mercredi 27 novembre 2024", "2024-11-27"),
        ("1er janvier 2020", "2020-01-01"),
        ("  6 juin 2017 ", "2017-06-06"),
        ("6 févr. 2017", "2017-02-06"),
        ("31 février 2024", None),
        ("hier", None),
        ("", None),
    ],
)
def test_common_spellings_become_iso_dates(written: str, iso: str | None) -> None:
    assert normalize_date(written) == iso
    assert normalize_date(written) == iso  # the second reading comes from the cache


@pytest.mark.parametrize("value", [None, 2024, ["2024-11-27"], {"date": "2024-11-27"}])
def test_what_is_not_text_is_no_date(value: object) -> None:
    assert normalize_date(value) is None
