import datetime as dt

import pytest

from partnergraph.ingest import fields as f


@pytest.mark.parametrize("value", ["2092540-6", "2256931-0", "0709019-2", "1572860-0",
                                   "2077474-0", "0000001-9"])
def test_ytunnus_valid(value):
    assert f.ytunnus(value) == value


def test_ytunnus_pads_old_six_digit_ids():
    assert f.ytunnus("709019-2") == "0709019-2"


@pytest.mark.parametrize("value", ["2077474-1", "0737546-1", "1234567", "12345678-9", "abcdefg-1",
                                   "2092540-X"])
def test_ytunnus_invalid(value):
    with pytest.raises(f.CellError):
        f.ytunnus(value)


def test_register_number_digits_and_display():
    assert f.register_number("123.456") == "123456"
    assert f.register_number("1.234") == "1234"
    assert f.register_number("123") == "123"
    assert f.format_register_number("123456") == "123.456"
    assert f.format_register_number("123") == "123"
    with pytest.raises(f.CellError):
        f.register_number("12.34")


def test_dates_and_years():
    assert f.date("2019-03-14") == dt.date(2019, 3, 14)
    assert f.date("14.3.2019") == dt.date(2019, 3, 14)
    with pytest.raises(f.CellError, match="exists in the calendar"):
        f.date("2019-02-30")
    d = f.date_or_year("2018")
    assert d.year == 2018 and d.date is None and str(d) == "2018"
    assert str(f.date_or_year("2018-04-10")) == "2018-04-10"
    with pytest.raises(f.CellError):
        f.year("18")


def test_municipality_code_restores_leading_zeros():
    assert f.municipality_code("77") == "077"
    assert f.municipality_code("179") == "179"
    with pytest.raises(f.CellError):
        f.municipality_code("1790")


def test_counts_and_choices():
    assert f.nonneg_int("1 200") == 1200
    with pytest.raises(f.CellError):
        f.nonneg_int("-1")
    with pytest.raises(f.CellError):
        f.nonneg_int("2.5")
    parse = f.choice({"kyllä": True})
    assert parse("KYLLÄ") is True
    with pytest.raises(f.CellError, match="one of"):
        parse("maybe")


def test_text_rejects_control_characters_and_huge_values():
    with pytest.raises(f.CellError):
        f.text("a\x00b")
    with pytest.raises(f.CellError):
        f.text("x" * (f.MAX_TEXT + 1))
