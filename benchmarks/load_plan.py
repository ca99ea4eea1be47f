"""What the load benchmark's users do (benchmarks/load.py, benchmarks/locustfile.py).

Plain data, so that a test can check it without locust: the pages, the detail pages reached
from the lists, the searches, each role's mix of them (locust task weights), how many of the 50
users have each role and which demo organisation their accounts belong to.
"""

# name (as reported) -> path
PAGES = {
    "home": "/",
    "inbox": "/notifications/",
    "bell": "/notifications/count/",  # polled by every page (htmx, every 60 s)
    "dossier list": "/dossiers/",
    "dossier list, page 3": "/dossiers/?page=3",
    "person list": "/people/",
    "hotline list": "/hotline/",
    "screening list": "/screening/",
    "referral inbox": "/services/referrals/",
    "service directory": "/services/",
    "bed board": "/services/beds/",
    "investigation list": "/justice/",
    "stalled proceedings": "/justice/stalled/",
    "non-punishment alerts": "/dossiers/alerts/",
    "campaigns": "/screening/campaigns/",
    "annual report index": "/figures/report/",
    "hotline figures": "/hotline/figures/",
    "screening figures": "/screening/figures/",
    "justice figures": "/justice/figures/",
}

# name -> (regex of a link on a list page, path of the record, the list page that links to it)
DETAILS = {
    "dossier page": (r'href="/dossiers/(\d+)/"', "/dossiers/{}/", "dossier list"),
    "person page": (r'href="/people/(\d+)/"', "/people/{}/", "person list"),
    "hotline report page": (r'href="/hotline/(\d+)/"', "/hotline/{}/", "hotline list"),
    "investigation page": (r'href="/justice/(\d+)/"', "/justice/{}/", "investigation list"),
    "referral page": (
        r'href="/services/referrals/(\d+)/"',
        "/services/referrals/{}/",
        "referral inbox",
    ),
}

# Names as agencies write them (demo and bulk caseload), both scripts, and reference fragments.
NAMES = ["Fatima", "Amina", "Youssef", "Diallo", "Okafor", "Bennani", "فاطمة", "العلوي", "Grace"]
REFERENCES = ["B-0100", "B-01004", "2025", "NRM"]
# name -> (path with {q}, search terms)
SEARCHES = {
    "person search": ("/people/?q={q}", NAMES),
    "dossier search": ("/dossiers/?q={q}", NAMES[:4] + REFERENCES),
}

# role -> {page, detail or search name: weight}
ROLE_PAGES = {
    "caseworker": {
        "home": 3,
        "inbox": 2,
        "bell": 3,
        "dossier list": 4,
        "dossier list, page 3": 1,
        "dossier page": 6,
        "dossier search": 2,
        "person search": 2,
        "person list": 1,
        "person page": 2,
        "referral inbox": 2,
        "referral page": 1,
        "service directory": 1,
        "screening list": 1,
        "non-punishment alerts": 1,
    },
    "shelter_manager": {
        "home": 3,
        "inbox": 2,
        "bell": 3,
        "bed board": 4,
        "referral inbox": 4,
        "referral page": 2,
        "dossier list": 2,
        "dossier page": 3,
        "person search": 1,
        "service directory": 1,
    },
    "investigator": {
        "home": 3,
        "inbox": 2,
        "bell": 3,
        "investigation list": 3,
        "investigation page": 3,
        "dossier list": 2,
        "dossier page": 3,
        "person search": 2,
        "hotline list": 1,
        "screening list": 1,
    },
    "prosecutor": {
        "home": 3,
        "inbox": 2,
        "bell": 3,
        "investigation list": 3,
        "investigation page": 3,
        "stalled proceedings": 1,
        "non-punishment alerts": 2,
        "dossier list": 2,
        "dossier page": 2,
        "person search": 1,
    },
    "hotline_operator": {
        "home": 3,
        "inbox": 2,
        "bell": 3,
        "hotline list": 4,
        "hotline report page": 4,
        "hotline figures": 1,
        "person search": 2,
        "dossier search": 1,
        "dossier list": 1,
    },
    "analyst": {
        "home": 3,
        "inbox": 1,
        "bell": 3,
        "annual report index": 2,
        "hotline figures": 2,
        "screening figures": 2,
        "justice figures": 2,
        "dossier list": 2,
        "dossier page": 2,
        "campaigns": 1,
    },
}

# How many of 50 users have each role (locust class weights), and the demo organisations
# (himaya/demo/data.py keys) whose members they are, taken in turn.
MIX = {
    "caseworker": 14,
    "shelter_manager": 6,
    "investigator": 8,
    "prosecutor": 6,
    "hotline_operator": 8,
    "analyst": 8,
}
HOME_ORGS = {
    "caseworker": ["ngo_nour", "ngo_karama"],
    "shelter_manager": ["shelter_casa"],
    "investigator": ["police_tanger"],
    "prosecutor": ["parquet_tanger"],
    "hotline_operator": ["hotline"],
    "analyst": ["commission"],
}
