"""MS-JSON dates out, every client's date forms in."""

from datetime import UTC, date, datetime, timedelta

import pytest

from gateway.xero.dates import (
    parse_date,
    parse_datetime,
    parse_if_modified_since,
    to_connection_datetime,
    to_iso_string,
    to_msdate,
)


def test_msdate_out():
    assert to_msdate(date(2019, 2, 26)) == "/Date(1551139200000+0000)/"
    assert to_msdate(datetime(2019, 2, 26, 0, 0, 1, tzinfo=UTC)) == "/Date(1551139201000+0000)/"
    assert to_msdate(date(1969, 12, 31)) == "/Date(-86400000+0000)/"  # negative epochs occur
    assert to_iso_string(date(2019, 2, 26)) == "2019-02-26T00:00:00"
    stamp = datetime(2019, 12, 7, 18, 46, 19, 516540, tzinfo=UTC)
    assert to_connection_datetime(stamp) == "2019-12-07T18:46:19.5165400"


@pytest.mark.parametrize("text", ["/Date(1551139200000)/", "/Date(1551139200000+0000)/", "2019-02-26",
                                  "2019-02-26T00:00:00", "2019-02-26T00:00:00Z"])
def test_every_client_date_form(text):
    assert parse_date(text) == date(2019, 2, 26)


def test_msdate_offset_reads_the_local_calendar_day():
    # 2019-02-25T23:00Z shown in +1300 is 26 Feb locally
    dt = parse_datetime("/Date(1551135600000+1300)/")
    assert dt.utcoffset() == timedelta(hours=13) and dt.date() == date(2019, 2, 26)


def test_if_modified_since_iso_and_rfc1123():
    iso = parse_if_modified_since("2020-02-06T12:17:43.202-08:00")
    assert iso == datetime(2020, 2, 6, 20, 17, 43, tzinfo=UTC)
    assert parse_if_modified_since("Tue, 02 Jan 2024 03:04:05 GMT") == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert parse_if_modified_since("2024-01-02").tzinfo == UTC
    with pytest.raises(ValueError):
        parse_if_modified_since("yesterday")
    assert parse_datetime("2024-01-02T03:04:05+02:00").astimezone(UTC).hour == 1


def test_out_of_range_msdate_is_a_value_error():
    with pytest.raises(ValueError):
        parse_datetime("/Date(99999999999999999)/")
