"""No input gives a server error, and a refused request changes nothing: the whole class.

Every URL pattern of Brik (the authorisation matrix's, which fails when a page
is missing from it; the admin's included) is opened by every role of the
matrix's named cast. Each page that lets the role in is rendered, and its HTML
read: every <form> with its <input>, <select>, <textarea> and <button> names and
choices, and every query parameter of its links (the filters of list pages,
pagination, sorting), with the parameters some views read although no link
shows them (COMMON_QUERY). A page that takes only a POST is reached through the
form its host page shows (HOSTS).

Then the values: first a sweep, each field in turn with the extremes of its
kind (dates 0001-01-01, 1850, 9999-12-31, 10000-01-01; numbers 1e30, -1, 2**63,
NaN; long strings, NUL bytes; several values for one name) while the other
fields keep what the page offers; then Hypothesis combines values, mixing what
the page offers with random and extreme ones. Roles the page refuses get the
hostile values too, and the numbers in each address (a case's id, a year) are
replaced by 0, 2**31, 2**63 and 10**30.

Every answer must be below 500. Every GET, and every POST that is refused (4xx,
or the form shown again with its errors), must leave every table as it was;
only what a request records whatever its outcome may change: sessions,
django-axes' record of login attempts, and the action log's rows of reads and
failed logins.

Each request runs in a savepoint that is rolled back, so every example starts
from the same world, and a run is reproducible (derandomize).
"""

import datetime as dt
import string
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlparse

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.forms import BaseForm
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brik.accounts.models import AccessNotice
from brik.accounts.tests import test_authorisation_matrix as matrix
from brik.accounts.tests.test_authorisation_matrix import PAGES, USERS, Rule, expected
from brik.audit.models import ActionLog
from brik.audit.selectors import READ_ACTIONS
from brik.cases import selectors as case_selectors
from brik.cases import services as steps
from brik.cases.views import STEPS
from brik.cooperation import services as coop
from brik.core import choices as c
from brik.testing.factories import referral_kwargs

# Slow, and run on both databases in CI: on PostgreSQL it found what SQLite lets by (a
# NUL character, which PostgreSQL's text and JSON cannot hold).
pytestmark = [pytest.mark.slow, pytest.mark.postgresql]

# The matrix's world (a record of every kind) and its cast, logged in.
clients = matrix.clients

# Hypothesis's examples per form and per page's query: for the first role that gets
# in, for another role with the same form, and for a role that is refused.
EXAMPLES_IN = 6
EXAMPLES_AGAIN = 2
EXAMPLES_REFUSED = 2

# Query parameters some views read although no link on the first page shows them.
COMMON_QUERY = ("page", "sort", "q", "lang", "version", "next", "status", "interview", "measure")

HOSTILE = [
    "",
    " ",
    "-1",
    "0",
    "1e30",
    "-1e30",
    "1E+30",
    str(2**31),
    str(2**31 - 1),
    str(2**63),
    str(-(2**63) - 1),
    "9" * 400,
    "NaN",
    "-inf",
    "Infinity",
    "1.5",
    "0.001",
    "1,5",
    "0x10",
    "0001-01-01",
    "1850-06-01",
    "1899-12-31",
    "9999-12-31",
    "10000-01-01",
    "2021-02-30",
    "0000-00-00",
    "-2021-01-01",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "x" * 65,
    "x" * 201,
    "x" * 5000,
    "\x00",
    "a\x00b",
    "ÆØÅ 日本語 🙂",
    "\u202eevil",
    "'; DROP TABLE cases_case; --",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    '=HYPERLINK("http://example.org")',
    "../../etc/passwd",
    "true",
    "None",
    "null",
    "[]",
]

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80
)  # no lone surrogates: the test client could not encode them
HOSTILE_VALUE = st.one_of(
    st.sampled_from(HOSTILE),
    _TEXT,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
)


# --- reading a page --------------------------------------------------------------------


@dataclass
class Field:
    kind: str  # text, hidden, date, number, select, checkbox, radio, textarea, submit, ...
    values: list[str] = field(default_factory=list)  # what the page offers
    multiple: bool = False


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)


class PageReader(HTMLParser):
    """The forms of a page and the query parameters of its links."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self.link_params: dict[str, set[str]] = {}  # path -> parameter names
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name, kind, value=None, multiple=False):
        if self._form is None or not name:
            return
        spec = self._form.fields.setdefault(name, Field(kind, multiple=multiple))
        if value is not None and value not in spec.values:
            spec.values.append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = urljoin(self.url, a.get("action") or self.url)
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio", "submit", "hidden"):
                self._add(a.get("name"), kind, a.get("value", "on" if kind == "checkbox" else ""))
            else:
                self._add(a.get("name"), kind, a.get("value"))
        elif tag == "button" and a.get("name"):
            self._add(a["name"], "submit", a.get("value", ""))
        elif tag == "select":
            self._select = a.get("name")
            self._add(self._select, "select", multiple="multiple" in a)
        elif tag == "option" and self._select:
            self._add(self._select, "select", a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._add(self._textarea, "textarea")
        elif tag == "a" and a.get("href"):
            target = urlparse(urljoin(self.url, a["href"]))
            if target.query and target.netloc in ("", "testserver"):
                names = self.link_params.setdefault(target.path, set())
                names.update(k for k, _v in parse_qsl(target.query, keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def read_page(url: str, body: str) -> PageReader:
    reader = PageReader("http://testserver" + url)
    reader.feed(body)
    return reader


def view_name(url: str) -> str | None:
    try:
        match = resolve(urlparse(url).path)
    except Resolver404:
        return None
    return match.view_name


# --- values ----------------------------------------------------------------------------

OMIT = object()


def plausible(spec: Field) -> st.SearchStrategy:
    today = timezone.localdate()
    offered = [v for v in spec.values if v is not None]
    defaults = {
        "date": [today.isoformat(), (today - dt.timedelta(days=30)).isoformat()],
        "datetime-local": [f"{today.isoformat()}T10:00"],
        "number": ["0", "1", "3"],
        "email": ["reader@example.org"],
        "query": ["", "1", "2", "2021"],
    }.get(spec.kind, ["Test", "BRK-2021-0001"])
    choices = offered or defaults
    if (spec.kind in ("select", "checkbox") and spec.multiple) or spec.kind == "checkbox":
        return st.lists(st.sampled_from(choices), max_size=3, unique=True)
    return st.sampled_from(choices)


def value_strategy(spec: Field) -> st.SearchStrategy:
    return st.one_of(
        plausible(spec),
        plausible(spec),
        HOSTILE_VALUE,
        st.lists(HOSTILE_VALUE, min_size=2, max_size=3),
        st.just(OMIT),
    )


# One field at a time, the others as the page offers them: the extremes for its kind.
SWEEP = {
    "date": ["0001-01-01", "1850-06-01", "9999-12-31", "10000-01-01"],
    "datetime-local": ["0001-01-01T00:00", "9999-12-31T23:59"],
    "number": ["1e30", "-1", str(2**63), "NaN"],
    "hidden": ["x" * 65, "\x00", str(2**63)],
    "select": [str(2**63), "\x00"],
    "radio": [str(2**63), "\x00"],
    "checkbox": [str(2**63), "\x00"],
    "submit": ["x" * 65],
}
SWEEP_TEXT = ["x" * 5000, "\x00", str(2**63), "9999-12-31"]


def first_offered(spec: Field):
    """A value the page offers, so that the other fields of a sweep let a form through
    to its service; a count of one passes the most checks (at least one convicted...)."""
    offered = [v for v in spec.values if v]
    if spec.kind == "checkbox":
        return offered[:1]
    if spec.kind == "number":
        return "1"
    if offered:
        return offered[0]
    return {
        "date": timezone.localdate().isoformat(),
        "datetime-local": f"{timezone.localdate().isoformat()}T10:00",
        "number": "1",
    }.get(spec.kind, "")


SWEEP_ALL_AT_ONCE = ["x" * 5000, "\x00", str(2**63), "9999-12-31", "0001-01-01", "-1"]


def sweep(fields: dict[str, Field]):
    """Each field of a form in turn with each extreme of its kind, and with several
    values; the query parameters that no form shows, all at once with each extreme
    (a view reads each on its own)."""
    base = {name: first_offered(spec) for name, spec in fields.items() if spec.kind != "query"}
    for name, spec in fields.items():
        if spec.kind == "query":
            continue
        for odd in [*SWEEP.get(spec.kind, SWEEP_TEXT), ["1", "x" * 65]]:
            yield {**base, name: odd}
    loose = [name for name, spec in fields.items() if spec.kind == "query"]
    for odd in SWEEP_ALL_AT_ONCE if loose else []:
        yield {**base, **dict.fromkeys(loose, odd)}


def payload(fields: dict[str, Field]) -> st.SearchStrategy:
    return st.fixed_dictionaries({name: value_strategy(spec) for name, spec in fields.items()}).map(
        lambda data: {k: v for k, v in data.items() if v is not OMIT}
    )


# --- what may change ------------------------------------------------------------------

# Recorded whatever the outcome: sessions, login attempts (django-axes) and the
# second factor's throttling of wrong codes.
UNCHECKED_TABLES = {
    "sessions.session",
    "accounts.session",  # brik.accounts.sessions: keyed hashes of the session keys
    "exchange.dataexport",  # the record of a download, like a read in the action log
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}
UNCHECKED_ACTIONS = READ_ACTIONS | {"brik.user.login_failed"}


def _tables():
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and m._meta.label_lower not in UNCHECKED_TABLES
    ]


def db_snapshot() -> dict:
    """Every row of every table, as stored (raw SQL: nothing is decrypted, so it is quick)."""
    quote = connection.ops.quote_name
    out = {}
    with connection.cursor() as cursor:
        for model in _tables():
            sql = f"SELECT * FROM {quote(model._meta.db_table)}"  # noqa: S608 (model tables)
            params = []
            if model is ActionLog:
                marks = ", ".join(["%s"] * len(UNCHECKED_ACTIONS))
                sql += f" WHERE {quote('action')} NOT IN ({marks})"
                params = sorted(UNCHECKED_ACTIONS)
            cursor.execute(f"{sql} ORDER BY {quote(model._meta.pk.column)}", params)
            out[model._meta.label] = cursor.fetchall()
    return out


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


# --- one page ----------------------------------------------------------------------------


class Failures(list):
    def run(self, label: str, test, *args) -> None:
        try:
            test(*args)
        except Exception as error:
            notes = "\n".join(getattr(error, "__notes__", []))
            self.append(f"{label}: {error}\n{notes}")


def where(error: BaseException) -> str:
    """The innermost line of Brik's own code in the traceback."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "/brik/" in f.filename]
    frame = frames[-1] if frames else traceback.extract_tb(error.__traceback__)[-1]
    return f"{frame.filename.split('/brik/')[-1]}:{frame.lineno} {frame.line}"


def _send(client, method: str, url: str, data: dict):
    if method == "post":
        return client.post(url, data)
    return client.get(url, data)


def writes() -> int:
    """How many rows this connection has written: a cheap way to see that nothing was."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        else:
            cursor.execute(
                "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                " FROM pg_stat_xact_user_tables"
            )
        return cursor.fetchone()[0]


def showed_errors(response) -> bool:
    """Did the page show a form with errors (a refusal answered 200)?"""
    contexts = response.context
    if contexts is None:
        return False
    values = [
        value
        for context in (contexts if isinstance(contexts, list) else [contexts])
        for layer in context.dicts
        for value in layer.values()
    ]
    return any(isinstance(v, BaseForm) and v.is_bound and v.errors for v in values)


def check_answer(response, method, url, data, before, written):
    assert response.status_code < 500, f"{method.upper()} {url} {data!r}: {response.status_code}"
    status = response.status_code
    refused = method == "get" or status >= 400 or (status < 300 and showed_errors(response))
    if refused and writes() != written:
        changed = changed_tables(before, db_snapshot())
        assert not changed, (
            f"{method.upper()} {url} {data!r} answered {status} but changed {changed}"
        )


def fuzz(
    client,
    method: str,
    url: str,
    fields: dict[str, Field],
    examples: int,
    relogin=None,
    seen: dict | None = None,
):
    """Sweep the fields one at a time, then let Hypothesis combine values.

    `seen` remembers each address (by its view) and set of fields: the sweep runs
    once, whoever sends it, and another role sends EXAMPLES_AGAIN examples.
    """
    before = db_snapshot()

    def send(data):
        with transaction.atomic():
            try:
                written = writes()
                try:
                    response = _send(client, method, url, data)
                except Exception as error:
                    raise AssertionError(
                        f"{method.upper()} {url} {data!r:.300}: "
                        f"{type(error).__name__}: {error} at {where(error)}"
                    ) from None
                check_answer(response, method, url, data, before, written)
            finally:
                transaction.set_rollback(True)
        if relogin:
            relogin()

    if seen is not None:
        key = (method, view_name(url), frozenset(fields))
        if key in seen:
            examples = min(examples, EXAMPLES_AGAIN)
        else:
            seen[key] = True
            for data in sweep(fields):
                send(data)

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=payload(fields))
    def example(data):
        send(data)

    example()


# --- the world, with a record at every step ------------------------------------------------


@pytest.fixture(scope="module")
def every_step_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """The matrix's world with a record at every step (`with_every_step`), made once for
    the module (it was about 3 s of each of its ~245 tests' setup) and rolled back after it.

    Each test takes `db` through `every_step`, a savepoint inside this module's
    transaction; the fuzzing's own requests are each rolled back besides.
    """
    files = tmp_path_factory.mktemp("fuzz-files") / "files"
    with matrix.made_once(django_db_blocker, files):
        yield with_every_step(matrix.make_world()), files


@pytest.fixture
def every_step(every_step_db, db, settings):
    world, files = every_step_db
    settings.BRIK_FILES_DIR = files  # where the module's attachment was written
    return world


@pytest.fixture
def world(every_step):
    """The world that `clients` logs the cast in to."""
    return every_step


def with_every_step(world):
    """Besides the matrix's world: a case at each step, a charged prosecution, a held action."""
    alice, bob, dave = (world.users[name] for name in ("alice", "bob", "dave"))
    police = world.police
    today = timezone.localdate()
    day = today - dt.timedelta(days=200)

    def refer(n):
        return steps.case_refer(
            actor=dave,
            referring_organisation=police,
            assigned_to=alice,
            **referral_kwargs(
                referred_on=day,
                identity={"given_names": f"Fuzz{n}", "family_name": "Syntetisk"},
            ),
        )

    def identified(n):
        case = refer(n)
        steps.assessment_decide(
            actor=alice,
            case=case,
            decided_on=day + dt.timedelta(days=5),
            deciding_authority=c.DecidingAuthority.CENTRE,
            outcome=c.Outcome.IDENTIFIED,
            forms=[c.ExploitationForm.FORCED_LABOUR],
        )
        return case

    planned = refer(1)
    steps.interview_plan(
        actor=alice,
        case=planned,
        planned_for=timezone.now() + dt.timedelta(days=3),
        interviewers=[alice],
    )
    supported = identified(2)
    steps.reflection_start(actor=alice, case=supported, starts_on=today - dt.timedelta(days=10))
    steps.support_add(
        actor=alice,
        case=supported,
        kind=c.SupportType.ACCOMMODATION,
        starts_on=day + dt.timedelta(6),
    )
    steps.return_offer(actor=alice, case=supported, offered_on=day + dt.timedelta(days=7))
    accepted = identified(3)
    steps.return_offer(actor=alice, case=accepted, offered_on=day + dt.timedelta(days=7))
    steps.return_accept(
        actor=alice,
        case=accepted,
        accepted_on=day + dt.timedelta(days=8),
        destination_country="NG",
        destination_kind=c.DestinationKind.HOME,
    )
    departed = identified(4)
    steps.return_offer(actor=alice, case=departed, offered_on=day + dt.timedelta(days=7))
    steps.return_accept(
        actor=alice,
        case=departed,
        accepted_on=day + dt.timedelta(days=8),
        destination_country="NG",
        destination_kind=c.DestinationKind.HOME,
    )
    steps.return_depart(actor=alice, case=departed, departed_on=today - dt.timedelta(days=20))
    # A closed case, so that reopening (and correcting a closed case) is tried too.
    closed = refer(6)
    steps.case_close(
        actor=alice,
        case=closed,
        closed_on=day + dt.timedelta(days=1),
        reason=c.ClosingReason.DISAPPEARED,
    )
    cases = [world.case, planned, supported, accepted, departed, identified(5), closed]
    charged = coop.prosecution_open(
        actor=bob,
        police_district=police,
        police_case_number="4100-81234-00099-21",
        opened_on=day,
    )
    coop.prosecution_charge(
        actor=bob,
        prosecution=charged,
        charged_on=day + dt.timedelta(days=1),
        charges=[c.Charge.values[0]],
        persons_charged=2,
    )
    coop.prosecution_link_victim(actor=bob, prosecution=charged, case=supported)
    coop.joint_action_link_referral(actor=bob, action=world.action, case=world.case)
    # A notice for the leads, so that My work shows its form (accounts' own tests
    # cover which services write one).
    AccessNotice.objects.create(
        kind=AccessNotice.Kind.ROLE_GRANTED, user=alice, role=alice.role, actor=bob
    )
    world.step_cases = cases
    world.charged = charged
    return world


def step_variants(w) -> list[dict]:
    """For each step on a case: a case where the step is possible."""
    variants = []
    for action in STEPS:
        case = next(
            (k for k in w.step_cases if action in case_selectors.case_available_actions(k)),
            w.case,
        )
        variants.append({"pk": case.pk, "action": action})
    return variants


# Pages that show different forms for records in different states.
VARIANTS = {
    "cases:action": step_variants,
    "cases:detail": lambda w: [{"pk": k.pk} for k in w.step_cases],
    "cooperation:prosecution": lambda w: [{"pk": w.prosecution.pk}, {"pk": w.charged.pk}],
}


def urls_of(key: str, entry: Rule, w) -> list[str]:
    if key in VARIANTS:
        kwargs_list = VARIANTS[key](w)
    else:
        kwargs_list = [entry.kwargs(w) if entry.kwargs else None]
    return [reverse(key, kwargs=kwargs) for kwargs in kwargs_list]


def query_fields(reader: PageReader, path: str) -> dict[str, Field]:
    names = set(COMMON_QUERY) | reader.link_params.get(path, set())
    fields = {name: Field("query") for name in names}
    for form in reader.forms:
        if form.method == "get" and urlparse(form.action).path == path:
            fields.update(form.fields)
    return fields


def _is_admin(key: str) -> bool:
    return key.startswith("admin:")


FUZZED_PAGES = sorted(key for key in PAGES if not _is_admin(key))
ADMIN_PAGES = sorted(key for key in PAGES if _is_admin(key))


# The page that shows the form of each page that takes only a POST.
HOSTS = {
    "logout": "statistics:public",
    "set_language": "statistics:public",
    "statistics:publish": "statistics:index",
    "statistics:subscribe": "statistics:public",
    **{
        f"cooperation:joint_action_{step}": "cooperation:joint_action"
        for step in ("outcome", "cancel", "link", "unlink")
    },
    **{
        f"cooperation:prosecution_{step}": "cooperation:prosecution"
        for step in ("charge", "verdict", "drop", "link", "unlink")
    },
    "cooperation:initiative_status": "cooperation:plan",
    "cooperation:milestone_reach": "cooperation:plan",
    "cooperation:indicator_measure": "cooperation:plan",
    "admin:logout": "admin:index",
    "accounts:access_notices": "cases:my_work",
    "api_tokens:revoke": "api_tokens:list",
    "accounts:session_stay": "notifications:list",
    "notifications:read": "notifications:list",
    "notifications:digest": "notifications:list",
}


def page_forms(client, url: str, target: str) -> tuple[PageReader | None, list[Form]]:
    """The page as this client sees it, and its POST forms that post to `target`."""
    page = client.get(url)
    assert page.status_code < 500, f"GET {url}: {page.status_code}"
    if "html" not in page.get("Content-Type", ""):
        return None, []
    reader = read_page(url, page.content.decode(errors="replace"))
    forms = [f for f in reader.forms if f.method == "post" and view_name(f.action) == target]
    return reader, forms


def fuzz_page(
    key: str, w, cast, examples: int = EXAMPLES_IN, refused: int = EXAMPLES_REFUSED
) -> list[str]:
    entry = PAGES[key]
    failures = Failures()
    seen: dict = {}
    for n, url in enumerate(urls_of(key, entry, w)):
        for who in USERS:
            client = cast[who]
            again = None
            if entry.logs_out and who != "anonymous":
                user = w.users[who]
                again = lambda client=client, user=user: client.force_login(user)  # noqa: E731
            if expected(who, entry) != "in":
                if n:
                    continue  # refused: the first record of the kind is enough
                hostile = {name: Field("text") for name in ("form_token", *COMMON_QUERY)}
                for method in entry.methods:
                    label = f"{method} {url} as {who} (refused)"
                    failures.run(label, fuzz, client, method.lower(), url, hostile, refused, again)
                continue
            if "GET" in entry.methods:
                reader, forms = page_forms(client, url, key)
                fields = (
                    query_fields(reader, urlparse(url).path)
                    if reader is not None
                    else {name: Field("query") for name in COMMON_QUERY}
                )
                failures.run(
                    f"GET {url} as {who}",
                    fuzz,
                    client,
                    "get",
                    url,
                    fields,
                    examples,
                    None,
                    seen,
                )
            else:
                host = HOSTS[key]
                forms = []
                for host_url in urls_of(host, PAGES[host], w):
                    forms += page_forms(client, host_url, key)[1]
            for form in forms:
                action = urlparse(form.action).path
                failures.run(
                    f"POST {action} as {who}",
                    fuzz,
                    client,
                    "post",
                    action,
                    form.fields,
                    examples,
                    again,
                    seen,
                )
            if "POST" in entry.methods and not forms:
                # Not shown in this record's state: the hostile values still.
                hostile = {name: Field("text") for name in ("form_token", "lang", "case")}
                failures.run(
                    f"POST {url} as {who}",
                    fuzz,
                    client,
                    "post",
                    url,
                    hostile,
                    refused,
                    again,
                )
    return failures


@pytest.mark.parametrize("key", FUZZED_PAGES)
def test_no_input_gives_a_server_error_or_a_change_when_refused(key, every_step, clients):
    with translation.override("en"):
        failures = fuzz_page(key, every_step, clients)
    assert not failures, "\n\n".join(failures)


ADMIN_EXAMPLES_IN = 3
ADMIN_EXAMPLES_REFUSED = 1


@pytest.mark.parametrize(
    "key",
    ADMIN_PAGES,
)
def test_no_input_to_the_admin_gives_a_server_error_or_a_change_when_refused(
    key, every_step, clients
):
    """The admin's pages too: its lists' filters and searches, its actions and forms."""
    with translation.override("en"):
        failures = fuzz_page(key, every_step, clients, ADMIN_EXAMPLES_IN, ADMIN_EXAMPLES_REFUSED)
    assert not failures, "\n\n".join(failures)


def test_every_page_that_takes_only_a_post_has_its_form_on_its_host_page(every_step, clients):
    """A page that takes only a POST is fuzzed through the form its host page shows."""
    w = every_step
    missing = []
    with translation.override("en"):
        for key in FUZZED_PAGES + ADMIN_PAGES:
            entry = PAGES[key]
            if "GET" in entry.methods:
                continue
            host = HOSTS.get(key)
            if host is None:
                missing.append(f"{key}: no host page in HOSTS")
                continue
            who = sorted(entry.allowed & PAGES[host].allowed)[0]
            forms = [
                form
                for url in urls_of(host, PAGES[host], w)
                for form in page_forms(clients[who], url, key)[1]
            ]
            if not forms:
                missing.append(f"{key}: {host} shows {who} no form for it")
    assert not missing, "\n".join(missing)


INT_PATH_VALUES = (0, 2**31, 2**63, 10**30)


ADDRESSED_PAGES = [key for key in FUZZED_PAGES if PAGES[key].kwargs]


@pytest.mark.parametrize("key", ADDRESSED_PAGES)
def test_no_identifier_in_an_address_gives_a_server_error(key, every_step, clients):
    """Numbers in the address (a case's id, a year) far beyond any record: 404, not 500."""
    w = every_step
    entry = PAGES[key]
    kwargs = entry.kwargs(w)
    wrong = []
    for name, value in kwargs.items():
        if not isinstance(value, int):
            values = ["x" * 300, "%00", "..", string.punctuation.replace("/", "")]
        else:
            values = INT_PATH_VALUES
        for odd in values:
            try:
                url = reverse(key, kwargs={**kwargs, name: odd})
            except Exception:  # noqa: S112 (the pattern itself refuses the value)
                continue
            for who in ("anonymous", *sorted(entry.allowed)):
                for method in entry.methods:
                    try:
                        with transaction.atomic():
                            response = getattr(clients[who], method.lower())(url)
                            transaction.set_rollback(True)
                    except Exception as error:
                        wrong.append(f"{method} {url} as {who}: {error!r}")
                        continue
                    if response.status_code >= 500:
                        wrong.append(f"{method} {url} as {who}: {response.status_code}")
                    if entry.logs_out and who != "anonymous":
                        clients[who].force_login(w.users[who])
    assert not wrong, "\n".join(wrong)
