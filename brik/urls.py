from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from brik.accounts import views as account_views
from brik.api.endpoints import api
from brik.cases import views as case_views
from brik.protection.health import health

urlpatterns = [
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", account_views.login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", case_views.home, name="home"),
    path("account/api-tokens/", include("brik.api.urls")),
    path("account/", include("brik.accounts.urls")),
    path("api/v1/", api.urls),
    path("audit/", include("brik.audit.urls")),
    path("cooperation/", include("brik.cooperation.urls")),
    path("exchange/", include("brik.exchange.urls")),
    path("search/", include("brik.search.urls")),
    path("notifications/", include("brik.notifications.urls")),
    path("", include("brik.protection.urls")),
    path("", include("brik.cases.urls")),
    path("", include("brik.casefiles.urls")),
    path("", include("brik.statistics.urls")),
]
