"""My work's page (cases/my_work.html) below the header, written in Python.

As a template, its skeleton (sixty texts to translate, thirty values, the if's around
each list, two includes of the case table) cost about as much as its rows, which are
written by the tags of brik_ui (work_*_rows). `my_work_content` writes what the
template's content block wrote, byte for byte: test_my_work_page.py keeps that template
and renders it beside the tag for each kind of reader, both scopes, empty and full
lists, later pages and filters, in English and Danish.

Written as the template engine wrote it: a `{% translate %}` text as it is (the
translations are ours, as the engine trusts them), every value escaped, numbers
localized. The texts are translated one call each, outside f-strings, so that
`make messages` finds them.
"""

from django import template
from django.template.defaultfilters import capfirst
from django.template.defaultfilters import date as date_filter
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from brik.cases.templatetags.brik_ui import (
    _escaped,
    staff_name,
    work_case_rows,
    work_deadline_rows,
    work_decision_rows,
    work_follow_up_rows,
    work_interview_rows,
    work_pager,
    work_today_items,
)

register = template.Library()


def _number(value) -> str:
    """{{ value }} of a number: localized, escaped."""
    return _escaped(localize(value))


def _pager(context, listing, anchor: str, label: str) -> str:
    # As {% work_pager listing "anchor" _("label") %}: the anchor a literal (which the
    # engine marks safe), the label translated (lazily: escaped by the tag).
    return work_pager(context, listing, mark_safe(anchor), label)  # noqa: S308


@register.simple_tag(takes_context=True)
def my_work_content(context) -> SafeString:
    """The content block of cases/my_work.html (work, form, can_see_team_load)."""
    work = context["work"]
    out = [
        _heading(work),
        _needs_me(work),
        _summary(work),
        _team_load(work) if context.get("can_see_team_load") else "",
        _new(context, work),
        '\n\n<div class="work-grid">\n',
        _deadlines(context, work),
        _interviews(context, work),
        _follow_ups(context, work),
        _decisions(context, work),
        "</div>\n\n",
        _cases(context, work, context["form"]),
    ]
    return mark_safe("".join(out))  # noqa: S308 (every value escaped)


def _heading(work) -> str:
    title = gettext("My work")
    whose = gettext("Whose work")
    mine = gettext("Mine")
    team = gettext("My team")
    day = _escaped(capfirst(date_filter(work.today, "l")))
    date = _escaped(date_filter(work.today))
    current = ' aria-current="page"'
    return (
        '\n<hgroup class="page-title">\n'
        f"  <h1>{title}</h1>\n"
        f"  <p>{day}, {date}</p>\n"
        "</hgroup>\n\n"
        f'<nav class="scope-switch" aria-label="{whose}">\n'
        "  <ul>\n"
        f'    <li><a href="?scope=mine"{current if work.scope == "mine" else ""}>{mine}</a></li>\n'
        f'    <li><a href="?scope=team"{current if work.scope == "team" else ""}>{team}</a></li>\n'
        "  </ul>\n"
        "</nav>\n\n"
    )


def _needs_me(work) -> str:
    title = gettext("What needs me today")
    if work.needs_me:
        items = work_today_items(work.needs_me)
        listed = f'\n  <ul class="today-list">\n    {items}\n  </ul>\n  '
    else:
        nothing = gettext("Nothing needs you today.")
        listed = f'<p class="empty">{nothing}</p>'
    return (
        '<section id="today" aria-labelledby="today-title" class="work-section needs-me">\n'
        f'  <h2 id="today-title">{title}</h2>\n'
        f"  {listed}\n"
        "</section>\n\n"
    )


def _summary(work) -> str:
    summary = gettext("Summary")
    new = gettext("new referrals")
    deadlines = gettext("reflection periods ending")
    interviews = gettext("interviews this week")
    follow_ups = gettext("follow-ups due")
    decisions = gettext("decisions pending")

    def card(anchor: str, listing, name: str, state: str) -> str:
        shown = _escaped(listing.shown_count)
        return (
            f'  <a href="#{anchor}" class="summary-card{state}"><strong>{shown}</strong>'
            f" <span>{name}</span></a>\n"
        )

    def state(listing) -> str:
        return " attention" if listing.count else " quiet"

    interviews_state = (
        " attention" if work.interviews_overdue else "" if work.interviews.count else " quiet"
    )
    return (
        f'<nav class="summary" aria-label="{summary}">\n'
        + card("new", work.new, new, state(work.new))
        + card("deadlines", work.deadlines, deadlines, state(work.deadlines))
        + card("interviews", work.interviews, interviews, interviews_state)
        + card("follow-ups", work.follow_ups, follow_ups, state(work.follow_ups))
        + card("decisions", work.decisions, decisions, state(work.decisions))
        + "</nav>\n\n"
    )


def _team_load(work) -> str:
    title = gettext("The team's load")
    contact = gettext("Contact person")
    open_cases = gettext("Open cases")
    urgent = gettext("Urgent")
    ending = gettext("Periods ending")
    nobody = gettext("Nobody yet")
    note = gettext(
        "To assign or reassign a case, use “Assign a contact person” on a new referral, "
        "or “Reassign” in the team's cases."
    )
    members = "".join(
        f'\n      <tr><th scope="row">{_escaped(staff_name(member.user))}</th>'
        f"<td>{_number(member.open_cases)}</td><td>{_number(member.urgent)}</td>"
        f"<td>{_number(member.deadlines)}</td></tr>\n    "
        for member in work.team
    )
    more = "+" if work.unassigned_count > 1000 else ""
    return (
        '\n<section id="team-load" aria-labelledby="team-load-title" class="work-section">\n'
        f'  <h2 id="team-load-title">{title}</h2>\n'
        '  <div class="table-wrap" role="region" aria-labelledby="team-load-title" tabindex="0">\n'
        "  <table>\n"
        f'    <thead><tr><th scope="col">{contact}</th><th scope="col">{open_cases}</th>'
        f'<th scope="col">{urgent}</th><th scope="col">{ending}</th></tr></thead>\n'
        "    <tbody>\n"
        f"    {members}\n"
        f'      <tr><th scope="row">{nobody}</th>'
        f"<td>{_number(work.unassigned_count)}{more}</td><td></td><td></td></tr>\n"
        "    </tbody>\n"
        "  </table>\n"
        "  </div>\n"
        f'  <p class="section-note">{note}</p>\n'
        "</section>\n"
    )


def _case_table(cases, empty_text: str, *, assign: bool = False, reassign: bool = False) -> str:
    """cases/_work_cases.html as it was included (its last line break with it)."""
    if not cases:
        return f'<p class="empty">{empty_text}</p>\n'
    label = gettext("Cases")
    case = gettext("Case")
    status = gettext("Status")
    urgency = gettext("Urgency")
    referred = gettext("Referred")
    period_ends = gettext("Period ends")
    contact = ""
    if assign or reassign:
        contact_person = gettext("Contact person")
        contact = f'<th scope="col">{contact_person}</th>'
    rows = work_case_rows(cases, assign, reassign)
    return (
        f'\n<div class="table-wrap" role="region" aria-label="{label}" tabindex="0">\n'
        "<table>\n"
        "  <thead><tr>\n"
        f'    <th scope="col">{case}</th>\n'
        f'    <th scope="col">{status}</th>\n'
        f'    <th scope="col">{urgency}</th>\n'
        f'    <th scope="col">{referred}</th>\n'
        f'    <th scope="col">{period_ends}</th>\n'
        f"    {contact}\n"
        "  </tr></thead>\n"
        "  <tbody>\n"
        f"  {rows}\n"
        "  </tbody>\n"
        "</table>\n"
        "</div>\n\n"
    )


def _new(context, work) -> str:
    title = gettext("New referrals")
    note = gettext("Assigned to you or to nobody, with no interview planned yet.")
    table = _case_table(work.new.rows, gettext("No new referral waits."), assign=True)
    pager = _pager(context, work.new, "new", gettext("New referrals"))
    return (
        '\n\n<section id="new" aria-labelledby="new-title" class="work-section">\n'
        f'  <h2 id="new-title">{title} <small>({_escaped(work.new.shown_count)})</small></h2>\n'
        f'  <p class="section-note">{note}</p>\n'
        f"  {table}\n"
        f"  {pager}\n"
        "</section>"
    )


def _section(anchor: str, title: str, listing, before: str, listed: str, empty: str) -> str:
    """One section of the grid: its heading, then its table (or what says it is empty)."""
    shown = _escaped(listing.shown_count)
    body = listed if listing.rows else f'<p class="empty">{empty}</p>'
    return (
        f'<section id="{anchor}" aria-labelledby="{anchor}-title" class="work-section">\n'
        f'  <h2 id="{anchor}-title">{title} <small>({shown})</small></h2>\n'
        f"{before}"
        f"  {body}\n"
        "</section>\n"
    )


def _table(anchor: str, head: str, body: str, pager: str) -> str:
    return (
        f'\n  <div class="table-wrap" role="region" aria-labelledby="{anchor}-title" tabindex="0">\n'
        "  <table>\n"
        f"    <thead><tr>{head}</tr></thead>\n"
        f"{body}"
        "  </table>\n"
        "  </div>\n"
        f"  {pager}\n  "
    )


def _heads(*names: str) -> str:
    return "".join(f'<th scope="col">{name}</th>' for name in names)


def _listed(context, listing, anchor: str, label: str, heads: tuple[str, ...], rows) -> str:
    """A list's table of one body (its rows written by `rows`) and its pager; nothing
    for an empty list (its section says so)."""
    if not listing.rows:
        return ""
    body = f"    <tbody>\n    {rows(listing.rows)}\n    </tbody>\n"
    return _table(anchor, _heads(*heads), body, _pager(context, listing, anchor, label))


def _deadlines(context, work) -> str:
    title = gettext("Reflection periods ending")
    days = work.warning_days
    # As {% blocktranslate count days=... %}: the number localized and escaped.
    note = ngettext(
        "Ending within %(days)s day, or already ended.",
        "Ending within %(days)s days, or already ended.",
        days,
    ) % {"days": _number(days)}
    heads = (gettext("Case"), gettext("Ends"), gettext("When"), gettext("Contact person"))
    listed = _listed(context, work.deadlines, "deadlines", title, heads, work_deadline_rows)
    empty = gettext("No reflection period ends soon.")
    before = f'  <p class="section-note">{note}</p>\n'
    return _section("deadlines", title, work.deadlines, before, listed, empty) + "\n"


def _interviews(context, work) -> str:
    title = gettext("Interviews")
    listed = ""
    if work.interviews.rows:
        head = _heads(gettext("When"), gettext("Case"), gettext("Place"))
        groups = []
        for rows, group, name in (
            (work.interviews_overdue, "overdue", gettext("Planned earlier, not yet recorded")),
            (work.interviews_today, "today", gettext("Today")),
            (work.interviews_this_week, "week", gettext("Later this week")),
        ):
            written = ""
            if rows:
                written = (
                    "\n    <tbody>\n"
                    f'      <tr class="group-row"><th scope="rowgroup" colspan="3">{name}</th></tr>\n'
                    f"      {work_interview_rows(rows, group)}\n"
                    "    </tbody>\n    "
                )
            groups.append(written)
        body = f"    {groups[0]}\n    {groups[1]}\n    {groups[2]}\n"
        pager = _pager(context, work.interviews, "interviews", gettext("Interviews"))
        listed = _table("interviews", head, body, pager)
    empty = gettext("No interviews planned this week.")
    return _section("interviews", title, work.interviews, "", listed, empty) + "\n"


def _follow_ups(context, work) -> str:
    title = gettext("Follow-ups after return")
    heads = (gettext("Case"), gettext("Due"), gettext("When"))
    listed = _listed(context, work.follow_ups, "follow-ups", title, heads, work_follow_up_rows)
    empty = gettext("No follow-up is due.")
    return _section("follow-ups", title, work.follow_ups, "", listed, empty) + "\n"


def _decisions(context, work) -> str:
    title = gettext("Decisions pending")
    heads = (gettext("Case"), gettext("Referred"), gettext("Waiting"), gettext("Status"))
    listed = _listed(context, work.decisions, "decisions", title, heads, work_decision_rows)
    empty = gettext("No decision has waited long.")
    return _section("decisions", title, work.decisions, "", listed, empty)


def _cases(context, work, form) -> str:
    if work.scope == "team":
        title = gettext("The team's open cases")
        table = _case_table(
            work.cases.rows, gettext("The team has no open case that matches."), reassign=True
        )
    else:
        title = gettext("My cases")
        table = _case_table(work.cases.rows, gettext("No open case is assigned to you."))
    sort_and_filter = gettext("Sort and filter")
    show = gettext("Show")
    opened = " open" if work.status or work.urgency or work.sort != "urgency" else ""
    fields = "".join(
        f'      <label for="{_escaped(form[name].id_for_label)}">'
        f"{_escaped(form[name].label)} {form[name]}</label>\n"
        for name in ("status", "urgency", "sort")
    )
    pager = _pager(context, work.cases, "mine", gettext("My cases"))
    return (
        '<section id="mine" aria-labelledby="mine-title" class="work-section">\n'
        f'  <h2 id="mine-title">{title} <small>({_escaped(work.cases.shown_count)})</small></h2>\n'
        f'  <details class="filters"{opened}>\n'
        f"    <summary>{sort_and_filter}</summary>\n"
        '    <form method="get" action="#mine" class="work-filters">\n'
        f'      <input type="hidden" name="scope" value="{_escaped(work.scope)}">\n'
        f"{fields}"
        f'      <button type="submit">{show}</button>\n'
        "    </form>\n"
        "  </details>\n"
        f"  \n  {table}\n  \n"
        f"  {pager}\n"
        "</section>\n"
    )
