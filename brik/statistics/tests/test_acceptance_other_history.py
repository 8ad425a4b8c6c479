"""Issue 4's acceptance, second part: another history gives other sentences."""

import datetime as dt

from brik.core import choices
from brik.statistics.report import report_build


def test_a_different_history_gives_different_sentences(history):
    """A drop in the total, a first occurrence and a tripling."""
    for _i in range(30):
        history.decide(decided_on=dt.date(2020, 4, 1), forms=[choices.ExploitationForm.SEXUAL])
    for _i in range(5):
        history.decide(
            decided_on=dt.date(2020, 5, 1),
            gender=choices.Gender.MAN,
            forms=[choices.ExploitationForm.FORCED_LABOUR],
        )
    for _i in range(6):
        history.decide(decided_on=dt.date(2021, 4, 1), forms=[choices.ExploitationForm.SEXUAL])
    for _i in range(15):
        history.decide(
            decided_on=dt.date(2021, 5, 1),
            gender=choices.Gender.MAN,
            forms=[choices.ExploitationForm.FORCED_LABOUR],
        )
    for _i in range(6):
        history.decide(
            decided_on=dt.date(2021, 6, 1),
            gender=choices.Gender.MAN,
            forms=[choices.ExploitationForm.SLAVERY_LIKE],
        )

    english = " ".join(report_build(year=2021, language="en").summary)
    assert (
        "identified as victims of trafficking fell by a quarter, from 35 in 2020 to 27 in 2021"
        in english
    )
    # From 5, a ratio word would overstate: the counts are told plainly.
    assert "forced labour or criminal activities was 15 in 2021, against 5 in 2020" in english
    # Brik's data begins in 2019; without the centre's earlier totals it is not "the first time".
    assert "slavery-like practices was 6 in 2021, against none in 2020" in english
    assert "more men than women" in english
    assert "on level" not in english
    assert "doubled" not in english

    danish = " ".join(report_build(year=2021, language="da").summary)
    assert "faldt med en fjerdedel, fra 35 i 2020 til 27 i 2021" in danish
    assert "var 15 i 2021 mod 5 i 2020" in danish
    assert "mod ingen i 2020" in danish
    assert "flere mænd end kvinder" in danish
