from django.urls import path

from brik.exchange import views

app_name = "exchange"

urlpatterns = [
    path("cases.<slug:file_format>", views.cases_export, name="cases"),
    path("htcds.<slug:file_format>", views.htcds_export, name="htcds"),
    path("exports/", views.export_jobs, name="jobs"),
    path("exports/<int:pk>/", views.export_job, name="job"),
    path("exports/<int:pk>/download/", views.export_job_download, name="job_download"),
    path("synthetic/", views.synthetic_releases, name="synthetic"),
    path("synthetic/<int:pk>/", views.synthetic_publish, name="synthetic_publish"),
    path("synthetic/<int:pk>/<str:name>", views.synthetic_file, name="synthetic_file"),
]
