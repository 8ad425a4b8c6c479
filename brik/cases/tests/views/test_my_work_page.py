"""My work's page below the header is written by a tag (my_work_page.my_work_content):
it must write what the template's content block wrote, byte for byte.

The template (cases/my_work.html's content block and cases/_work_cases.html, which it
included, as they were) is kept here and rendered beside the tag: a caseworker and a
lead, both scopes, the filters and later pages (pages of two rows, so that every list
has some), empty lists, on days with interviews overdue, today and later, in English
and Danish.
"""

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Engine
from django.utils import translation

from brik.accounts.permissions import Ability, can
from brik.cases import forms, selectors, services
from brik.testing.factories import referral_kwargs

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
# The module (brik.cases.selectors.my_work is the selector function).
my_work_selector = importlib.import_module("brik.cases.selectors.my_work")

# The content block of cases/my_work.html as it was.
CONTENT = (
    "{% load i18n brik_ui %}{% block content %}"
    "\n"
    '<hgroup class="page-title">\n'
    '  <h1>{% translate "My work" %}</h1>\n'
    '  <p>{{ work.today|date:"l"|capfirst }}, {{ work.today|date }}</p>\n'
    "</hgroup>\n"
    "\n"
    '<nav class="scope-switch" aria-label="{% translate \'Whose work\' %}">\n'
    "  <ul>\n"
    '    <li><a href="?scope=mine"{% if work.scope == "mine" %} aria-current="page"{% endif %}>{% translate "Mine" %}</a></li>\n'
    '    <li><a href="?scope=team"{% if work.scope == "team" %} aria-current="page"{% endif %}>{% translate "My team" %}</a></li>\n'
    "  </ul>\n"
    "</nav>\n"
    "\n"
    '<section id="today" aria-labelledby="today-title" class="work-section needs-me">\n'
    '  <h2 id="today-title">{% translate "What needs me today" %}</h2>\n'
    "  {% if work.needs_me %}\n"
    '  <ul class="today-list">\n'
    "    {% work_today_items work.needs_me %}\n"
    "  </ul>\n"
    '  {% else %}<p class="empty">{% translate "Nothing needs you today." %}</p>{% endif %}\n'
    "</section>\n"
    "\n"
    '<nav class="summary" aria-label="{% translate \'Summary\' %}">\n'
    '  <a href="#new" class="summary-card{% if work.new.count %} attention{% else %} quiet{% endif %}"><strong>{{ work.new.shown_count }}</strong> <span>{% translate "new referrals" %}</span></a>\n'
    '  <a href="#deadlines" class="summary-card{% if work.deadlines.count %} attention{% else %} quiet{% endif %}"><strong>{{ work.deadlines.shown_count }}</strong> <span>{% translate "reflection periods ending" %}</span></a>\n'
    '  <a href="#interviews" class="summary-card{% if work.interviews_overdue %} attention{% elif not work.interviews.count %} quiet{% endif %}"><strong>{{ work.interviews.shown_count }}</strong> <span>{% translate "interviews this week" %}</span></a>\n'
    '  <a href="#follow-ups" class="summary-card{% if work.follow_ups.count %} attention{% else %} quiet{% endif %}"><strong>{{ work.follow_ups.shown_count }}</strong> <span>{% translate "follow-ups due" %}</span></a>\n'
    '  <a href="#decisions" class="summary-card{% if work.decisions.count %} attention{% else %} quiet{% endif %}"><strong>{{ work.decisions.shown_count }}</strong> <span>{% translate "decisions pending" %}</span></a>\n'
    "</nav>\n"
    "\n"
    "{% if can_see_team_load %}\n"
    '<section id="team-load" aria-labelledby="team-load-title" class="work-section">\n'
    '  <h2 id="team-load-title">{% translate "The team\'s load" %}</h2>\n'
    '  <div class="table-wrap" role="region" aria-labelledby="team-load-title" tabindex="0">\n'
    "  <table>\n"
    '    <thead><tr><th scope="col">{% translate "Contact person" %}</th><th scope="col">{% translate "Open cases" %}</th><th scope="col">{% translate "Urgent" %}</th><th scope="col">{% translate "Periods ending" %}</th></tr></thead>\n'
    "    <tbody>\n"
    "    {% for member in work.team %}\n"
    '      <tr><th scope="row">{{ member.user|staff_name }}</th><td>{{ member.open_cases }}</td><td>{{ member.urgent }}</td><td>{{ member.deadlines }}</td></tr>\n'
    "    {% endfor %}\n"
    '      <tr><th scope="row">{% translate "Nobody yet" %}</th><td>{{ work.unassigned_count }}{% if work.unassigned_count > 1000 %}+{% endif %}</td><td></td><td></td></tr>\n'
    "    </tbody>\n"
    "  </table>\n"
    "  </div>\n"
    '  <p class="section-note">{% translate "To assign or reassign a case, use “Assign a contact person” on a new referral, or “Reassign” in the team\'s cases." %}</p>\n'
    "</section>\n"
    "{% endif %}\n"
    "\n"
    '<section id="new" aria-labelledby="new-title" class="work-section">\n'
    '  <h2 id="new-title">{% translate "New referrals" %} <small>({{ work.new.shown_count }})</small></h2>\n'
    '  <p class="section-note">{% translate "Assigned to you or to nobody, with no interview planned yet." %}</p>\n'
    '  {% include "cases/_work_cases.html" with cases=work.new.rows empty_text=_("No new referral waits.") assign=True %}\n'
    '  {% work_pager work.new "new" _("New referrals") %}\n'
    "</section>\n"
    "\n"
    '<div class="work-grid">\n'
    '<section id="deadlines" aria-labelledby="deadlines-title" class="work-section">\n'
    '  <h2 id="deadlines-title">{% translate "Reflection periods ending" %} <small>({{ work.deadlines.shown_count }})</small></h2>\n'
    '  <p class="section-note">{% blocktranslate count days=work.warning_days %}Ending within {{ days }} day, or already ended.{% plural %}Ending within {{ days }} days, or already ended.{% endblocktranslate %}</p>\n'
    "  {% if work.deadlines.rows %}\n"
    '  <div class="table-wrap" role="region" aria-labelledby="deadlines-title" tabindex="0">\n'
    "  <table>\n"
    '    <thead><tr><th scope="col">{% translate "Case" %}</th><th scope="col">{% translate "Ends" %}</th><th scope="col">{% translate "When" %}</th><th scope="col">{% translate "Contact person" %}</th></tr></thead>\n'
    "    <tbody>\n"
    "    {% work_deadline_rows work.deadlines.rows %}\n"
    "    </tbody>\n"
    "  </table>\n"
    "  </div>\n"
    '  {% work_pager work.deadlines "deadlines" _("Reflection periods ending") %}\n'
    '  {% else %}<p class="empty">{% translate "No reflection period ends soon." %}</p>{% endif %}\n'
    "</section>\n"
    "\n"
    '<section id="interviews" aria-labelledby="interviews-title" class="work-section">\n'
    '  <h2 id="interviews-title">{% translate "Interviews" %} <small>({{ work.interviews.shown_count }})</small></h2>\n'
    "  {% if work.interviews.rows %}\n"
    '  <div class="table-wrap" role="region" aria-labelledby="interviews-title" tabindex="0">\n'
    "  <table>\n"
    '    <thead><tr><th scope="col">{% translate "When" %}</th><th scope="col">{% translate "Case" %}</th><th scope="col">{% translate "Place" %}</th></tr></thead>\n'
    "    {% if work.interviews_overdue %}\n"
    "    <tbody>\n"
    '      <tr class="group-row"><th scope="rowgroup" colspan="3">{% translate "Planned earlier, not yet recorded" %}</th></tr>\n'
    '      {% work_interview_rows work.interviews_overdue "overdue" %}\n'
    "    </tbody>\n"
    "    {% endif %}\n"
    "    {% if work.interviews_today %}\n"
    "    <tbody>\n"
    '      <tr class="group-row"><th scope="rowgroup" colspan="3">{% translate "Today" %}</th></tr>\n'
    '      {% work_interview_rows work.interviews_today "today" %}\n'
    "    </tbody>\n"
    "    {% endif %}\n"
    "    {% if work.interviews_this_week %}\n"
    "    <tbody>\n"
    '      <tr class="group-row"><th scope="rowgroup" colspan="3">{% translate "Later this week" %}</th></tr>\n'
    '      {% work_interview_rows work.interviews_this_week "week" %}\n'
    "    </tbody>\n"
    "    {% endif %}\n"
    "  </table>\n"
    "  </div>\n"
    '  {% work_pager work.interviews "interviews" _("Interviews") %}\n'
    '  {% else %}<p class="empty">{% translate "No interviews planned this week." %}</p>{% endif %}\n'
    "</section>\n"
    "\n"
    '<section id="follow-ups" aria-labelledby="follow-ups-title" class="work-section">\n'
    '  <h2 id="follow-ups-title">{% translate "Follow-ups after return" %} <small>({{ work.follow_ups.shown_count }})</small></h2>\n'
    "  {% if work.follow_ups.rows %}\n"
    '  <div class="table-wrap" role="region" aria-labelledby="follow-ups-title" tabindex="0">\n'
    "  <table>\n"
    '    <thead><tr><th scope="col">{% translate "Case" %}</th><th scope="col">{% translate "Due" %}</th><th scope="col">{% translate "When" %}</th></tr></thead>\n'
    "    <tbody>\n"
    "    {% work_follow_up_rows work.follow_ups.rows %}\n"
    "    </tbody>\n"
    "  </table>\n"
    "  </div>\n"
    '  {% work_pager work.follow_ups "follow-ups" _("Follow-ups after return") %}\n'
    '  {% else %}<p class="empty">{% translate "No follow-up is due." %}</p>{% endif %}\n'
    "</section>\n"
    "\n"
    '<section id="decisions" aria-labelledby="decisions-title" class="work-section">\n'
    '  <h2 id="decisions-title">{% translate "Decisions pending" %} <small>({{ work.decisions.shown_count }})</small></h2>\n'
    "  {% if work.decisions.rows %}\n"
    '  <div class="table-wrap" role="region" aria-labelledby="decisions-title" tabindex="0">\n'
    "  <table>\n"
    '    <thead><tr><th scope="col">{% translate "Case" %}</th><th scope="col">{% translate "Referred" %}</th><th scope="col">{% translate "Waiting" %}</th><th scope="col">{% translate "Status" %}</th></tr></thead>\n'
    "    <tbody>\n"
    "    {% work_decision_rows work.decisions.rows %}\n"
    "    </tbody>\n"
    "  </table>\n"
    "  </div>\n"
    '  {% work_pager work.decisions "decisions" _("Decisions pending") %}\n'
    '  {% else %}<p class="empty">{% translate "No decision has waited long." %}</p>{% endif %}\n'
    "</section>\n"
    "</div>\n"
    "\n"
    '<section id="mine" aria-labelledby="mine-title" class="work-section">\n'
    '  <h2 id="mine-title">{% if work.scope == "team" %}{% translate "The team\'s open cases" %}{% else %}{% translate "My cases" %}{% endif %} <small>({{ work.cases.shown_count }})</small></h2>\n'
    '  <details class="filters"{% if work.status or work.urgency or work.sort != "urgency" %} open{% endif %}>\n'
    '    <summary>{% translate "Sort and filter" %}</summary>\n'
    '    <form method="get" action="#mine" class="work-filters">\n'
    '      <input type="hidden" name="scope" value="{{ work.scope }}">\n'
    '      <label for="{{ form.status.id_for_label }}">{{ form.status.label }} {{ form.status }}</label>\n'
    '      <label for="{{ form.urgency.id_for_label }}">{{ form.urgency.label }} {{ form.urgency }}</label>\n'
    '      <label for="{{ form.sort.id_for_label }}">{{ form.sort.label }} {{ form.sort }}</label>\n'
    '      <button type="submit">{% translate "Show" %}</button>\n'
    "    </form>\n"
    "  </details>\n"
    '  {% if work.scope == "team" %}\n'
    '  {% include "cases/_work_cases.html" with cases=work.cases.rows empty_text=_("The team has no open case that matches.") reassign=True %}\n'
    "  {% else %}\n"
    '  {% include "cases/_work_cases.html" with cases=work.cases.rows empty_text=_("No open case is assigned to you.") %}\n'
    "  {% endif %}\n"
    '  {% work_pager work.cases "mine" _("My cases") %}\n'
    "</section>\n"
    "{% endblock %}"
)

# cases/_work_cases.html as it was.
CASE_TABLE = (
    "{% load i18n brik_ui %}{% if cases %}\n"
    '<div class="table-wrap" role="region" aria-label="{% translate \'Cases\' %}" tabindex="0">\n'
    "<table>\n"
    "  <thead><tr>\n"
    '    <th scope="col">{% translate "Case" %}</th>\n'
    '    <th scope="col">{% translate "Status" %}</th>\n'
    '    <th scope="col">{% translate "Urgency" %}</th>\n'
    '    <th scope="col">{% translate "Referred" %}</th>\n'
    '    <th scope="col">{% translate "Period ends" %}</th>\n'
    '    {% if assign or reassign %}<th scope="col">{% translate "Contact person" %}</th>{% endif %}\n'
    "  </tr></thead>\n"
    "  <tbody>\n"
    "  {# Written by a tag (brik_ui.work_case_rows): the same HTML as a loop, cheaper. #}{% work_case_rows cases assign reassign %}\n"
    "  </tbody>\n"
    "</table>\n"
    "</div>\n"
    '{% else %}<p class="empty">{{ empty_text }}</p>{% endif %}\n'
)

ENGINE = Engine(
    loaders=[("django.template.loaders.locmem.Loader", {"cases/_work_cases.html": CASE_TABLE})],
    libraries={
        "i18n": "django.templatetags.i18n",
        "brik_ui": "brik.cases.templatetags.brik_ui",
        "my_work_page": "brik.cases.templatetags.my_work_page",
    },
)
TEMPLATE = ENGINE.from_string(CONTENT)
TAG = ENGINE.from_string("{% load my_work_page %}{% my_work_content %}")

QUERIES = [
    {},
    {"scope": "team"},
    {"status": "identified", "sort": "deadline"},
    {"scope": "team", "urgency": "urgent", "sort": "-referred"},
    {"new_page": "2", "deadlines_page": "2", "interviews_page": "2", "cases_page": "3"},
    {"scope": "team", "follow_ups_page": "2", "decisions_page": "9", "cases_page": "x"},
]
SEEN = [
    'id="team-load"',
    'rel="next"',
    'rel="prev"',
    "/steps/case_assign/",
    " · <a href=",
    'class="group-row"',
    "Room &lt;5&gt; &amp; co",
]
# Wednesday 3 March 2021 at 8 (interviews on Tuesday, today and Friday), later days.
MOMENTS = [(2021, 3, 3, 8), (2021, 3, 20, 9), (2021, 4, 12, 9)]


def page_context(rf, user, query: dict) -> dict:
    """What the view gives its template (brik.cases.views.pages.my_work)."""
    form = forms.MyWorkForm(query or None)
    chosen = form.choices_made() if form.is_bound else {}
    work = selectors.my_work(
        user=user,
        scope=chosen.get("scope", "mine"),
        sort=chosen.get("sort", "urgency"),
        status=chosen.get("status", ""),
        urgency=chosen.get("urgency", ""),
        pages={key: query.get(f"{key}_page") for key in selectors.MY_WORK_LISTS},
    )
    request = rf.get("/work/", query)
    request.user = user
    return {
        "work": work,
        "form": form,
        "can_see_team_load": can(user, Ability.CASE_TEAM_LOAD),
        "request": request,
    }


def both(context: dict) -> tuple[str, str]:
    return TAG.render(Context(context)), TEMPLATE.render(Context(context))


@pytest.fixture
def busy(alice, bob, dave, police, partner_abroad, monkeypatch):
    """Cases in each state My work lists, Alice's, Bob's and nobody's, with text that
    needs escaping; pages of two rows."""
    monkeypatch.setattr(my_work_selector, "PER_PAGE", 2)
    with time_machine.travel(dt.datetime(2021, 3, 1, 9, tzinfo=CPH), tick=False):
        for n in range(9):
            contact = (alice, bob, None)[n % 3]
            case = services.case_refer(
                actor=dave,
                referring_organisation=police,
                assigned_to=contact,
                urgency=("urgent", "soon", "routine")[n % 3],
                **referral_kwargs(
                    referred_on=dt.date(2021, 2, 1 + n),
                    identity={"given_names": f"<Person> & {n}"},
                ),
            )
            if n % 4 == 0:
                for day in (2, 3, 5):
                    services.interview_plan(
                        actor=alice,
                        case=case,
                        planned_for=dt.datetime(2021, 3, day, 10, 30, tzinfo=CPH),
                        place=f"Room <{day}> & co" if n else "",
                    )
                continue
            if n % 4 == 1:
                continue
            services.assessment_decide(
                actor=alice,
                case=case,
                decided_on=dt.date(2021, 2, 20),
                deciding_authority="immigration",
                outcome="identified",
                forms=["sexual"],
            )
            services.reflection_start(actor=alice, case=case, starts_on=dt.date(2021, 2, 20))
            if n % 4 == 3:
                services.return_offer(actor=alice, case=case, offered_on=dt.date(2021, 2, 21))
                services.return_accept(
                    actor=alice,
                    case=case,
                    accepted_on=dt.date(2021, 2, 21),
                    destination_country="NG",
                    destination_kind="home",
                    reintegration_partner=partner_abroad,
                )
                services.return_depart(actor=alice, case=case, departed_on=dt.date(2021, 2, 22))


@pytest.mark.parametrize("language", ["en", "da"])
@pytest.mark.parametrize("moment", MOMENTS)
def test_the_page_is_written_as_its_template_wrote_it(busy, rf, alice, bob, language, moment):
    moment_ = time_machine.travel(dt.datetime(*moment, tzinfo=CPH), tick=False)
    written = []
    with moment_, translation.override(language):
        for user in (alice, bob):
            for query in QUERIES:
                tag, template = both(page_context(rf, user, query))
                assert tag == template, (user.username, query)
                written.append(tag)
    # The comparison saw each part of the page: the team's load, pagers both ways,
    # the assign and reassign links, interviews by group, a place that needs escaping.
    for part in SEEN:
        assert any(part in page for page in written), part


@pytest.mark.parametrize("language", ["en", "da"])
def test_an_empty_page_is_written_as_its_template_wrote_it(rf, alice, bob, language):
    with translation.override(language):
        for user in (alice, bob):
            for query in QUERIES[:2]:
                context = page_context(rf, user, query)
                assert not any(
                    getattr(context["work"], key).rows for key in selectors.MY_WORK_LISTS
                )
                tag, template = both(context)
                assert tag == template, (user.username, query)
