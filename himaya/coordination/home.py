"""The coordination app's part of the home page: the follow-up actions of the commission's
meetings assigned to the user's organisations and past their due date (focal points and
organisation admins; the commission's writers see every overdue one). At most SHOWN rows with
the true total."""

from django.utils import timezone

from . import policies
from .models import FollowUpAction

SHOWN = 10


def home_context(user, today=None):
    orgs = policies.home_org_ids(user)
    if not orgs:
        return {}
    today = today or timezone.localdate()
    overdue = FollowUpAction.objects.visible_to(user).overdue(today)
    if not policies.is_commission(user):
        overdue = overdue.filter(agency_id__in=orgs)
    rows = list(
        overdue.select_related("agency", "decision__meeting").order_by("due_on", "id")[:SHOWN]
    )
    for row in rows:
        row.late_days = (today - row.due_on).days
    return {"actions_overdue": rows, "actions_overdue_count": overdue.count(), "today": today}
