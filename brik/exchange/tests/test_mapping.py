from pathlib import Path

from brik.core import choices as c
from brik.exchange import mapping

DOCS = Path(__file__).resolve().parents[3] / "docs" / "exchange.md"


def test_the_documented_table_is_the_mapping_table():
    assert mapping.markdown_table() in DOCS.read_text(encoding="utf-8")


def test_every_gender_has_a_ctdc_file_value_and_reads_back():
    for gender in c.Gender:
        value = mapping.to_ctdc("gender", gender)
        if gender == c.Gender.UNKNOWN:
            assert value == ""
        else:
            assert mapping.gender_from_ctdc(value) == gender
    assert mapping.gender_from_ctdc("Woman") == c.Gender.WOMAN  # CTDC's codebook spelling


def test_ages_fall_in_ctdcs_bands():
    assert [mapping.age_band(a) for a in (0, 8, 9, 17, 18, 29, 30, 47, 48, 90)] == [
        "0--8",
        "0--8",
        "9--17",
        "9--17",
        "18--20",
        "27--29",
        "30--38",
        "39--47",
        "48+",
        "48+",
    ]
    assert mapping.age_band(None) == ""
    assert mapping.majority_status("9--17") == "Minor"
    assert mapping.majority_status("18--20") == "Adult"
