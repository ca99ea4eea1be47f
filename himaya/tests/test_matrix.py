"""The role × page × method matrix (S2): what each kind of user gets on the main pages."""

from django.urls import reverse

from himaya.testing import factories as f

ROLES = ["alice", "bob", "carol", "ana", "olivia", "harry", "paula", "root", "charlie"]
# Everyone whose daily work is with victims (caseworkers, police, hotline, prosecution).
HANDLERS = {"alice", "bob", "carol", "harry", "paula"}
# Who answers 200 on GET; everyone else gets the status in `denied`.
EXPECTED = {
    "home": (set(ROLES), None),
    "people:list": (HANDLERS, 404),
    "people:create": (HANDLERS, 404),
    "people:detail": ({"alice"}, 404),
    "people:edit": ({"alice"}, 404),
    "cases:list": (HANDLERS | {"ana"}, 404),
    "cases:detail": ({"alice", "ana"}, 404),
    "cases:edit": ({"alice"}, 404),
    "orgs:list": ({"olivia", "root"}, 404),
    "admin:index": ({"root"}, 302),
    "accounts:security": (set(ROLES), None),
    "api:person-list": (
        HANDLERS,
        {"ana": 404, "olivia": 404, "root": 403, "charlie": 403},
    ),
    # An organisation admin is a member, so the API answers with an empty list.
    "api:dossier-list": (HANDLERS | {"ana", "olivia"}, {"root": 403, "charlie": 403}),
    "api:dossier-detail": (
        {"alice", "ana"},
        {"root": 403, "charlie": 403, **dict.fromkeys(HANDLERS - {"alice"} | {"olivia"}, 404)},
    ),
    # Identify: partners read the reports passed to them; only the hotline takes reports;
    # analysts get the figures, never the reports or screenings themselves.
    "hotline:list": (HANDLERS, 404),
    "hotline:create": ({"harry"}, 404),
    "hotline:figures": ({"harry", "ana"}, 404),
    "screening:list": (HANDLERS, 404),
    "screening:create": (HANDLERS, 404),
    "screening:campaign_list": (HANDLERS | {"ana", "olivia"}, 404),
    "screening:figures": (HANDLERS | {"ana"}, 404),
    "cases:alerts:list": (HANDLERS, 404),
}
# POST on pages that only read: refused the same way for everyone.
READ_ONLY = ["people:detail", "cases:detail"]


def test_role_page_method_matrix(users, orgs, login, figure):
    dossier = f.dossier(users["alice"], orgs["ngo_a"])
    args = {
        "people:detail": [dossier.person_id],
        "people:edit": [dossier.person_id],
        "cases:detail": [dossier.pk],
        "cases:edit": [dossier.pk],
        "api:dossier-detail": [dossier.pk],
    }
    clients = {name: login(users[name]) for name in ROLES}
    mismatches, cells = [], 0
    for route, (allowed, denied) in EXPECTED.items():
        url = reverse(route, args=args.get(route, []))
        for name in ROLES:
            cells += 1
            if name in allowed:
                want = 200
            else:
                want = denied.get(name) if isinstance(denied, dict) else denied
            response = clients[name].get(url)
            got = response.status_code
            if route == "api:dossier-list" and name == "olivia" and response.json()["count"]:
                got = "non-empty list"
            if got != want:
                mismatches.append((route, name, want, got))
    for route in READ_ONLY:
        url = reverse(route, args=args[route])
        for name in ROLES:
            cells += 1
            got = clients[name].post(url).status_code
            if got not in (404, 405):
                mismatches.append((route, name, "POST 404/405", got))
    figure(
        f"S2: {cells} role × page × method cells over the main pages → {len(mismatches)} mismatches"
    )
    assert mismatches == []
