from .models import Notification


def bell(request):
    """The unread count of the page header's bell (one indexed count per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    return {"bell_unread": Notification.objects.for_user(user).unread().count()}
