from django.urls import path

from brik.accounts import views

app_name = "accounts"

urlpatterns = [
    path("two-factor/", views.two_factor, name="two_factor"),
    path("security/", views.security, name="security"),
    path("access-notices/", views.access_notices_seen, name="access_notices"),
    path("session/stay/", views.session_stay, name="session_stay"),
]
