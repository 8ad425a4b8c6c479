from django.urls import path

from brik.protection import views

app_name = "protection"

urlpatterns = [
    path(
        "cases/<int:pk>/subject-access.<str:fmt>",
        views.subject_access,
        name="subject_access",
    ),
]
