from django.urls import path

from brik.cases import views

app_name = "cases"

urlpatterns = [
    path("work/", views.my_work, name="my_work"),
    path("cases/", views.case_list, name="list"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/likely-same/", views.case_likely_same, name="likely_same"),
    path("cases/<int:pk>/steps/<slug:action>/", views.case_action, name="action"),
    path("referrals/", views.partner_referrals, name="referrals"),
    path("referrals/new/", views.referral_create, name="refer"),
    path("languages/", views.languages, name="languages"),
    path("countries/", views.countries, name="countries"),
]
