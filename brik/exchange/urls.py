from django.urls import path

from brik.exchange import views

app_name = "exchange"

urlpatterns = [
    path("cases.<slug:file_format>", views.cases_export, name="cases"),
    path("htcds.<slug:file_format>", views.htcds_export, name="htcds"),
]
