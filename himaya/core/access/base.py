"""Memberships, the organisations a user acts for in each capacity, and the one way every
visibility rule is written: a union of indexed sub-selects, one per access path.

Why a union: an ``OR`` across a join (``owner in mine OR grants.organisation in mine``) cannot
use an index on either side, so PostgreSQL walks every row of the table to find the few a user
sees (issue 17: 474 ms to count one organisation's 1,725 dossiers out of 100,000). Each access
path alone is an index range (owned by my organisations; granted to them and live; passed to
them...); ``pk IN (path 1 UNION path 2 ...)`` lets the planner read exactly those ranges, so a
list costs what the user sees, not what the database holds."""

import itertools

from django.apps import apps
from django.db.models import BooleanField, Exists, Expression, OuterRef, Q, QuerySet
from django.db.models.expressions import Col
from django.db.models.sql.where import AND, OR, WhereNode
from django.utils import timezone

# --- The table of roles and organisation types ----------------------------------------------
# Every role set and organisation-type set the rules use, in one place (the rules of each
# family of records say what they are for). The apps read them as ``access.X``.

# Roles whose daily work is with victims and their dossiers.
VICTIM_ROLES = frozenset(
    {"hotline_operator", "investigator", "prosecutor", "caseworker", "shelter_manager"}
)
ANALYST_ROLES = frozenset({"analyst"})
NATIONAL_ORG_TYPES = frozenset({"national_commission"})
LINKAGE_ROLES = frozenset({"linkage_officer"})
# Members who report on the national action plan for their organisation (coordination app).
FOCAL_POINT_ROLES = frozenset({"focal_point"})
# The commission's writers of the coordination records (with its focal points).
COMMISSION_ROLES = frozenset({"analyst", "org_admin"}) | FOCAL_POINT_ROLES

# Hotline (hotline.py).
HOTLINE_ROLES = frozenset({"hotline_operator"})
HOTLINE_ORG_TYPES = frozenset({"hotline"})

# Justice (justice.py); registers are imported by the justice organisations (exchange.py).
JUSTICE_ROLES = frozenset({"investigator", "prosecutor"})
INVESTIGATING_ORG_TYPES = frozenset({"police", "gendarmerie", "prosecution", "labour_inspectorate"})
PROSECUTING_ORG_TYPES = frozenset({"prosecution"})
COURT_ORG_TYPES = frozenset({"court"})
JUSTICE_ORG_TYPES = INVESTIGATING_ORG_TYPES | COURT_ORG_TYPES
EXCHANGE_ORG_TYPES = JUSTICE_ORG_TYPES
# Where a non-punishment alert goes (routing.py).
NONPUNISHMENT_ORG_TYPES = frozenset({"prosecution"})

# Referrals, providers and support to NGOs (referrals.py).
REFERRAL_OVERRIDE_ROLES = frozenset({"investigator", "prosecutor"})
PROVIDER_ADMIN_ROLES = VICTIM_ROLES | {"org_admin"}
SUPPORT_GIVER_ORG_TYPES = frozenset(
    {"national_commission", "central_government", "local_government"}
)
SUPPORT_RECORDER_ROLES = frozenset({"org_admin", "analyst"})

# Which roles fit which organisation types (issue 15): a role is given only in an organisation
# whose type it fits, so that the access rules above never meet, say, a "prosecutor" of an NGO.
# ``None`` means every type. The organisation pages, the API and the configuration site all read
# this one table (``roles_for_org_type``, ``role_fits``).
ANY_ORG_TYPE = None
ROLE_ORG_TYPES = {
    "hotline_operator": frozenset({"hotline"}),
    "investigator": frozenset({"police", "gendarmerie", "labour_inspectorate", "prosecution"}),
    # Courts record their decisions through the clerk's "prosecutor" role (justice.py).
    "prosecutor": frozenset({"prosecution", "court"}),
    "caseworker": frozenset(
        {
            "ngo",
            "international_organisation",
            "shelter",
            "health_service",
            "legal_service",
            "consulate",
            "local_government",
            "central_government",
        }
    ),
    "shelter_manager": frozenset({"shelter", "ngo", "international_organisation"}),
    "analyst": ANY_ORG_TYPE,
    "org_admin": ANY_ORG_TYPE,
    "linkage_officer": NATIONAL_ORG_TYPES,
    "focal_point": ANY_ORG_TYPE,
}


def role_fits(role, org_type_code) -> bool:
    """Whether ``role`` may be held in an organisation of this type (an unknown role: no)."""
    if role not in ROLE_ORG_TYPES:
        return False
    types = ROLE_ORG_TYPES[role]
    return types is ANY_ORG_TYPE or org_type_code in types


def roles_for_org_type(org_type_code):
    """The roles that fit an organisation type, in the table's order."""
    return [role for role in ROLE_ORG_TYPES if role_fits(role, org_type_code)]


def org_types_for_role(role):
    """The organisation types a role fits; ``None`` for every type."""
    return ROLE_ORG_TYPES.get(role, frozenset())


def _memberships(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = getattr(user, "_himaya_memberships", None)
    if cache is None:
        cache = list(
            user.memberships.filter(active=True, organisation__active=True).values_list(
                "organisation_id", "role", "organisation__type__code"
            )
        )
        user._himaya_memberships = cache
    return cache


def is_linkage_officer(user) -> bool:
    """The national commission's linkage officers: they see the identity of the two records of
    a candidate pair on the linkage desk, never their dossiers, notes or documents."""
    return any(r in LINKAGE_ROLES and t in NATIONAL_ORG_TYPES for _o, r, t in _memberships(user))


def linkage_org_ids(user) -> set[int]:
    return {
        org for org, r, t in _memberships(user) if r in LINKAGE_ROLES and t in NATIONAL_ORG_TYPES
    }


def forget(user):
    """Drop the per-request cache after memberships change."""
    user.__dict__.pop("_himaya_memberships", None)


def victim_org_ids(user) -> set[int]:
    return {org for org, role, _t in _memberships(user) if role in VICTIM_ROLES}


def analyst_org_ids(user) -> set[int]:
    return {org for org, role, _t in _memberships(user) if role in ANALYST_ROLES}


def is_national_analyst(user) -> bool:
    return any(r in ANALYST_ROLES and t in NATIONAL_ORG_TYPES for _o, r, t in _memberships(user))


def primary_org_id(user):
    """The organisation a user acts for when nothing names one (audit rows of reads): the first
    where they handle victims, else their first membership."""
    victim = victim_org_ids(user)
    if victim:
        return min(victim)
    orgs = [org for org, _r, _t in _memberships(user)]
    return min(orgs) if orgs else None


def handles_victims(user) -> bool:
    return bool(victim_org_ids(user))


def live_grant_q(prefix="grants__"):
    now = timezone.now()
    return (
        Q(**{f"{prefix}revoked_at__isnull": True})
        & Q(**{f"{prefix}starts_at__lte": now})
        & (Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gt": now}))
    )


def is_system_admin(user) -> bool:
    """Manages configuration and accounts; sees no victim by that role alone."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def caseworker_q(org_ids, prefix=""):
    """Accounts that may be a dossier's caseworker for these organisations: active, with an
    active victim-handling membership there."""
    return Q(
        **{
            f"{prefix}is_active": True,
            f"{prefix}memberships__organisation_id__in": org_ids,
            f"{prefix}memberships__active": True,
            f"{prefix}memberships__role__in": VICTIM_ROLES,
        }
    )


def manageable_org_ids(user) -> set[int]:
    """Organisations whose members a user may manage (organisation admins)."""
    return {org for org, role, _t in _memberships(user) if role == "org_admin"}


def member_org_ids(user) -> set[int]:
    return {org for org, _r, _t in _memberships(user)}


def model(label):
    """A model by its "app.Model" label: this package imports no app (apps above core use it)."""
    return apps.get_model(label)


def union(*parts):
    """The ids of ``parts`` (single-column ``values()`` querysets, one per access path) as one
    subquery, ``SELECT … UNION SELECT …``, for ``pk__in=``; ``None`` when no path applies
    (the caller returns no rows: we fail closed)."""
    parts = [p.order_by() for p in parts if p is not None]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return parts[0].union(*parts[1:])


def restrict(qs, ids, field="pk"):
    """``qs`` limited to ``field IN ids`` (``ids`` from ``union``), or no rows. A union of
    several paths is written as ``Visible``, so that a list page can take its top rows path by
    path (core/pagination.py)."""
    if ids is None:
        return qs.none()
    if getattr(ids.query, "combinator", None) == "union":
        return qs.filter(Visible(field, ids))
    return qs.filter(**{f"{field}__in": ids})


# What a query compiles a ``Visible`` condition to, by its token (``Query.himaya_path``): the
# index of one access path, or ``ROWS_CHOSEN`` once the rows were chosen through the paths.
ROWS_CHOSEN = "chosen"
_tokens = itertools.count()


class Visible(Expression):
    """``field IN (path 1 UNION path 2 ...)``, which also knows its paths one by one.

    Why: ``ORDER BY … LIMIT 25`` over the union makes PostgreSQL gather every visible id, join
    and sort them all for the first page (20,000 dossiers of a large NGO: 140 ms), where each
    path alone walks an index in the list's order and stops after 25 rows. The pagination asks
    the query for path ``i`` (``query.himaya_path = {token: i}``), takes each path's top rows
    and merges them; everything else (counts, ``exists``, a detail page) reads the union.

    A path selecting the primary key of the same table without a join (``owner_org_id IN …``)
    is compiled as its own condition, so that it reads the table's index directly.

    A query that reads rows chosen by primary key (a detail page, the candidates of the linkage
    check: ``pk = 7``, ``pk IN (…)`` of at most ``POINT_READ_LIMIT`` values), or the rows of one
    case record (``dossier = 7``: ``CASE_RECORDS``), compiles the paths
    as ``path 1 OR EXISTS (path 2 for this row) …`` instead: the union would gather every row an
    organisation sees (100,000 persons: 150 ms) to keep a few, where each path probed for the
    chosen rows is an index look-up each (issue 17, P3)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field, ids):
        super().__init__()
        self.column, self.ids = field, ids
        self.token = next(_tokens)
        self.whole = self.paths = self.direct = None

    def __repr__(self):
        return f"Visible({self.column!r}, {len(self.ids.query.combined_queries)} paths)"

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        if self.whole is not None:  # compiled again, or inside another query: already bound
            return self
        clone = self.copy()
        args = (query, allow_joins, reuse, summarize, for_save)
        clone.whole = Q(**{f"{self.column}__in": self.ids}).resolve_expression(*args)
        parts = self.ids.query.combined_queries
        clone.direct = [self._direct(query, part) for part in parts]
        clone.paths = [
            d or Q(**{f"{self.column}__in": part}).resolve_expression(*args)
            for d, part in zip(clone.direct, parts, strict=True)
        ]
        query.himaya_visible = (
            *getattr(query, "himaya_visible", ()),
            (clone.token, len(clone.paths)),
        )
        return clone

    def _direct(self, query, part):
        """The part's own condition when it selects this table's primary key with no join."""
        joined = [alias for alias in part.alias_map if part.alias_refcount.get(alias)]
        if self.column != "pk" or part.model is not query.model or len(joined) != 1:
            return None
        if part.is_sliced or part.combinator or len(part.select) != 1:
            return None
        if not getattr(part.select[0], "target", None) or not part.select[0].target.primary_key:
            return None
        alias = query.get_initial_alias()
        if alias == joined[0]:
            return part.where.clone()
        return part.where.relabeled_clone({joined[0]: alias})

    def _probes(self, query):
        """Each path probed for the row: its own condition, or ``EXISTS (the path's rows WHERE
        its column = this row's primary key)``; None when a path cannot be written so. Built
        only for a query that reads chosen rows, when it is compiled (half a millisecond a
        rule: most queries never need them)."""
        if self.column != "pk":
            return None
        probes = []
        for direct, part in zip(self.direct, self.ids.query.combined_queries, strict=True):
            if direct is None and len(part.values_select) != 1:
                return None
            if direct is None:
                rows = QuerySet(model=part.model, query=part.clone())
                probe = rows.filter(**{part.values_select[0]: OuterRef("pk")}).values("pk")
                direct = Exists(probe).resolve_expression(query)
            probes.append(direct)
        return probes

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.whole = self.whole.relabeled_clone(change_map)
        clone.paths = [p.relabeled_clone(change_map) for p in self.paths]
        clone.direct = [d and d.relabeled_clone(change_map) for d in self.direct]
        return clone

    def as_sql(self, compiler, connection):
        choice = getattr(compiler.query, "himaya_path", {}).get(self.token)
        if choice == ROWS_CHOSEN:  # the ids were read through the paths themselves
            return "1 = 1", []
        probes = None
        if choice is None and chosen_by_pk(compiler.query):
            probes = self._probes(compiler.query)
        if probes is not None:
            # A where node: a path that can match nothing is left out, one that matches all
            # makes the whole condition true, as in the union.
            node = WhereNode(probes, OR)
        else:
            node = self.whole if choice is None else self.paths[choice]
        sql, params = compiler.compile(node)
        return f"({sql})", params


# At most this many rows chosen by primary key are read path by path (``Visible``).
POINT_READ_LIMIT = 1000
# The records of one case whose rows elsewhere are few: a person's dossiers, a dossier's
# referrals, events and notes, a prosecution's charges. Rows of one of them (``dossier=d``) are
# read path by path too. Not an organisation, a facility or a campaign: thousands of rows.
CASE_RECORDS = frozenset(
    {
        "people.Person",
        "cases.Dossier",
        "hotline.Report",
        "referrals.Referral",
        "justice.Investigation",
        "justice.Suspect",
        "justice.Prosecution",
        "justice.Charge",
    }
)


def chosen_by_pk(query) -> bool:
    """Whether ``query`` keeps only a few rows, named as one of its top-level conditions: ``pk
    = value`` or ``pk IN (values)`` (at most ``POINT_READ_LIMIT``), or ``case_record = value``
    for a foreign key to one of the ``CASE_RECORDS``; or as an ``OR`` of such conditions, each
    branch naming a few rows (a dossier's screenings and its person's unlinked ones)."""
    return _narrows(query.where, query)


def _narrows(node, query) -> bool:
    if isinstance(node, WhereNode):
        if node.negated or not node.children:
            return False
        if node.connector == AND:  # one condition naming a few rows is enough
            return any(_narrows(child, query) for child in node.children)
        return all(_narrows(child, query) for child in node.children)  # each branch must
    lhs = getattr(node, "lhs", None)
    if not isinstance(lhs, Col) or lhs.alias != query.base_table:
        return False
    if hasattr(node.rhs, "resolve_expression"):
        return False
    if lhs.target.primary_key and node.lookup_name == "exact":
        return True
    if lhs.target.primary_key and node.lookup_name == "in":
        return len(node.rhs) <= POINT_READ_LIMIT
    return node.lookup_name == "exact" and _case_record(lhs.target)


def _case_record(field):
    related = getattr(field, "related_model", None)
    return bool(field.many_to_one and related and related._meta.label in CASE_RECORDS)


def live_grants(org_ids, *, identity=False):
    """Live access grants of these organisations (an index range on the partial index of
    unrevoked grants by organisation)."""
    grants = model("cases.AccessGrant").objects.filter(
        live_grant_q(""), organisation_id__in=org_ids
    )
    if identity:
        grants = grants.filter(with_identity=True)
    return grants
