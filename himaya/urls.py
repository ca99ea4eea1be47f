from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_GET
from django_otp.admin import OTPAdminSite

from himaya import views as project_views
from himaya.field.urls import openrosa_patterns


class SuperuserOTPAdminSite(OTPAdminSite):
    """The configuration site: verified superusers only (staff flags open nothing)."""

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_superuser


admin.site.__class__ = SuperuserOTPAdminSite


@require_GET
def health(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", project_views.home, name="home"),
    path("health/", health, name="health"),
    path("accounts/", include("himaya.accounts.urls")),
    path("organisations/", include("himaya.accounts.manage_urls")),
    path("notifications/", include("himaya.notifications.urls")),
    path("people/", include("himaya.people.urls")),
    path("dossiers/", include("himaya.cases.urls")),
    path("hotline/", include("himaya.hotline.urls")),
    path("report/", include("himaya.hotline.public_urls")),
    path("screening/", include("himaya.screening.urls")),
    path("services/", include("himaya.referrals.urls")),
    path("justice/", include("himaya.justice.urls")),
    path("exchange/", include("himaya.exchange.urls")),
    path("exports/", include("himaya.secure_exports.urls")),
    path("linkage/", include("himaya.linkage.urls")),
    path("coordination/", include("himaya.coordination.urls")),
    path("subject-rights/", include("himaya.subjects.urls")),
    path("figures/", include("himaya.statistics.urls")),
    path("statistics/", include("himaya.statistics.public_urls")),
    path("api/", include("himaya.api_urls")),
    path("field/", include("himaya.field.urls")),
    # ODK Collect / KoboCollect: a field device's credential opens these and nothing else.
    path("openrosa/", include(openrosa_patterns)),
    path("sysadmin/", admin.site.urls),
]

handler400 = "himaya.core.views.bad_request"
handler403 = "himaya.core.views.forbidden"
handler404 = "himaya.core.views.not_found"
handler500 = "himaya.core.views.server_error"
