from django.urls import path

from brik.casefiles import views

app_name = "casefiles"

urlpatterns = [
    path("cases/<int:pk>/notes/", views.note_add, name="note_add"),
    path("notes/<int:pk>/edit/", views.note_edit, name="note_edit"),
    path("notes/<int:pk>/correct/", views.note_correct, name="note_correct"),
    path("cases/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
]
