from django.urls import path

from brik.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("read/", views.mark_read, name="read"),
    path("digest/", views.digest, name="digest"),
]
