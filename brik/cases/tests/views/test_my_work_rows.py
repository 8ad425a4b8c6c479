"""My work's lists are written by tags (brik_ui.work_*_rows): each must write what the
template loop it replaced wrote, byte for byte, in English and Danish."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from brik.cases import selectors, services
from brik.cases.selectors.my_work import Listing
from brik.testing.factories import referral_kwargs

CPH = ZoneInfo("Europe/Copenhagen")

# The loops as cases/my_work.html wrote them before the tags.
LOOPS = {
    "needs_me": (
        "{% for item in work.needs_me %}\n"
        '    <li class="{% if item.overdue %}overdue{% else %}due-soon{% endif %}">\n'
        '      <span class="today-reason">{{ item.reason }}</span>\n'
        '      <a href="{{ item.case.pk|case_url }}" class="today-case">{{ item.case.code }}</a>\n'
        '      {% if item.due %}<span class="today-when">{{ item.due|date:"SHORT_DATE_FORMAT" }}'
        " ({% days_phrase item.days %})</span>{% endif %}\n"
        '      <a href="{{ item.url }}" class="today-action" role="button"'
        ' aria-label="{{ item.action }}: {{ item.case.code }}">{{ item.action }}</a>\n'
        "    </li>\n    {% endfor %}",
        "{% work_today_items work.needs_me %}",
    ),
    "deadlines": (
        "{% for d in work.deadlines.rows %}\n"
        '      <tr class="{% if d.days < 0 %}overdue{% else %}due-soon{% endif %}">\n'
        '        <td><a href="{{ d.case.pk|case_url }}">{{ d.case.code }}</a></td>\n'
        '        <td>{{ d.due|date:"SHORT_DATE_FORMAT" }}</td>\n'
        "        <td>{% days_phrase d.days %}</td>\n"
        "        <td>{{ d.case.assigned_to|staff_name }}</td>\n"
        "      </tr>\n    {% endfor %}",
        "{% work_deadline_rows work.deadlines.rows %}",
    ),
    "overdue": (
        "{% for interview in work.interviews_overdue %}\n"
        '      <tr class="overdue"><td>{{ interview.planned_for|date:"SHORT_DATETIME_FORMAT" }}</td>'
        '<td><a href="{{ interview.case.pk|case_url }}">{{ interview.case.code }}</a></td>'
        '<td>{{ interview.place|default:"—" }}</td></tr>\n      {% endfor %}',
        '{% work_interview_rows work.interviews_overdue "overdue" %}',
    ),
    "today": (
        "{% for interview in work.interviews_today %}\n"
        '      <tr class="due-soon"><td>{{ interview.planned_for|time:"TIME_FORMAT" }}</td>'
        '<td><a href="{{ interview.case.pk|case_url }}">{{ interview.case.code }}</a></td>'
        '<td>{{ interview.place|default:"—" }}</td></tr>\n      {% endfor %}',
        '{% work_interview_rows work.interviews_today "today" %}',
    ),
    "week": (
        "{% for interview in work.interviews_this_week %}\n"
        '      <tr><td>{{ interview.planned_for|date:"D" }}'
        ' {{ interview.planned_for|date:"SHORT_DATETIME_FORMAT" }}</td>'
        '<td><a href="{{ interview.case.pk|case_url }}">{{ interview.case.code }}</a></td>'
        '<td>{{ interview.place|default:"—" }}</td></tr>\n      {% endfor %}',
        '{% work_interview_rows work.interviews_this_week "week" %}',
    ),
    "follow_ups": (
        "{% for d in work.follow_ups.rows %}\n"
        '      <tr class="{% if d.days < 0 %}overdue{% else %}due-soon{% endif %}">\n'
        '        <td><a href="{{ d.case.pk|case_url }}">{{ d.case.code }}</a></td>\n'
        '        <td>{{ d.due|date:"SHORT_DATE_FORMAT" }}'
        "{% if d.note %}<br><small>{{ d.note }}</small>{% endif %}</td>\n"
        "        <td>{% days_phrase d.days %}</td>\n"
        "      </tr>\n    {% endfor %}",
        "{% work_follow_up_rows work.follow_ups.rows %}",
    ),
    "decisions": (
        "{% for d in work.decisions.rows %}\n"
        "      <tr>\n"
        '        <td><a href="{{ d.case.pk|case_url }}">{{ d.case.code }}</a></td>\n'
        '        <td>{{ d.due|date:"SHORT_DATE_FORMAT" }}</td>\n'
        "        <td>{% blocktranslate count days=d.days %}{{ days }} day{% plural %}"
        "{{ days }} days{% endblocktranslate %}</td>\n"
        # |display:"status" then, which is get_status_display (a row is no model now).
        '        <td><span class="status status-{{ d.case.status }}">'
        "{{ d.case.get_status_display }}</span></td>\n"
        "      </tr>\n    {% endfor %}",
        "{% work_decision_rows work.decisions.rows %}",
    ),
}


def render(source: str, work) -> str:
    return Template("{% load i18n brik_ui %}" + source).render(Context({"work": work}))


# A case in its reflection period (the deadlines) or departed (the follow-ups).
CASES = ["in_support_case", "departed_case"]
MOMENTS = [(2021, 3, 3, 8), (2021, 3, 20, 9), (2021, 4, 12, 9), (2021, 4, 15, 9)]


@pytest.fixture(params=CASES)
def busy_day(request, alice, dave, police):
    request.getfixturevalue(request.param)
    # Another case of Alice's and one for nobody, both urgent; Wednesday 3 March 2021
    # at 8: interviews on Tuesday (overdue), today and Friday.
    cases = [
        services.case_refer(
            actor=dave,
            referring_organisation=police,
            assigned_to=contact,
            urgency="urgent",
            **referral_kwargs(identity={"given_names": name}),
        )
        for name, contact in (("Anden", alice), ("Tredje", None))
    ]
    with time_machine.travel(dt.datetime(2021, 3, 3, 8, tzinfo=CPH), tick=False):
        for day, place in ((2, "Room <2>"), (3, ""), (5, "Room & 5")):
            services.interview_plan(
                actor=alice,
                case=cases[0],
                planned_for=dt.datetime(2021, 3, day, 10, 30, tzinfo=CPH),
                place=place,
            )
    return request.param


@pytest.mark.parametrize("language", ["en", "da"])
@pytest.mark.parametrize("moment", MOMENTS)
def test_each_list_is_written_as_its_template_loop_wrote_it(busy_day, alice, language, moment):
    moment_ = time_machine.travel(dt.datetime(*moment, tzinfo=CPH), tick=False)
    with moment_, translation.override(language):
        for scope in ("mine", "team"):
            work = selectors.my_work(user=alice, scope=scope)
            for name, (loop, tag) in LOOPS.items():
                assert render(tag, work) == render(loop, work), (name, scope)


def test_the_comparison_sees_every_kind_of_row(busy_day, alice):
    shown = set()
    for moment in MOMENTS:
        with time_machine.travel(dt.datetime(*moment, tzinfo=CPH), tick=False):
            work = selectors.my_work(user=alice)
            shown |= {name for name, (loop, _tag) in LOOPS.items() if render(loop, work).strip()}
    # Each case's own list (deadlines or follow-ups) and every other one.
    other = {"in_support_case": "follow_ups", "departed_case": "deadlines"}[busy_day]
    assert shown == set(LOOPS) - {other}


# cases/_work_pager.html as it was, included once per list before the tag.
PAGER_INCLUDE = (
    "{% if listing.has_previous or listing.has_next %}\n"
    '<nav class="pagination" aria-label="{% blocktranslate with list=label %}Pages of {{ list }}'
    '{% endblocktranslate %}">\n'
    "  <ul>\n"
    '    {% if listing.has_previous %}<li><a href="{% page_url listing.page_param '
    'listing.previous_page %}#{{ anchor }}" rel="prev">{% translate "Previous" %}</a></li>'
    "{% endif %}\n"
    '    <li><span aria-current="page">{% blocktranslate with number=listing.page %}'
    "Page {{ number }}{% endblocktranslate %}</span></li>\n"
    '    {% if listing.has_next %}<li><a href="{% page_url listing.page_param '
    'listing.next_page %}#{{ anchor }}" rel="next">{% translate "Next" %}</a></li>'
    "{% endif %}\n"
    "  </ul>\n"
    "</nav>\n"
    "{% endif %}\n"
)


@pytest.mark.parametrize("language", ["en", "da"])
@pytest.mark.parametrize(("page", "has_next"), [(1, False), (1, True), (2, True), (40, False)])
def test_the_pager_is_written_as_its_include_wrote_it(rf, language, page, has_next):
    request = rf.get("/work/", {"scope": "team", "status": "referred", "cases_page": "7"})
    listing = Listing(key="follow_ups", rows=[], count=1001, page=page, has_next=has_next)
    with translation.override(language):
        context = {"request": request, "listing": listing}
        tag = '{% work_pager listing "follow-ups" _("Follow-ups after return") %}'
        include = '{% with anchor="follow-ups" label=_("Follow-ups after return") %}'
        expected = render_with(include + PAGER_INCLUDE + "{% endwith %}", context)
        assert render_with(tag, context) == expected
    assert ("rel=" in expected) == (page > 1 or has_next)


def render_with(source: str, context: dict) -> str:
    return Template("{% load i18n brik_ui %}" + source).render(Context(context))
