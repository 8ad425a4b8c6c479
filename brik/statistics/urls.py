from django.urls import path

from brik.statistics import views

app_name = "statistics"

urlpatterns = [
    path("statistics/", views.index, name="index"),
    path("statistics/<int:year>/report.<str:fmt>", views.download, name="download"),
    path("statistics/<int:year>/publish/", views.publish, name="publish"),
    path("statistics/<int:year>/foreword/", views.foreword, name="foreword"),
    path("reports/", views.public, name="public"),
    path("reports/<int:year>/release.<str:fmt>", views.public_release, name="public_release"),
    path("reports/<int:year>/<str:lang>.<str:fmt>", views.public_file, name="public_file"),
    path("reports/subscribe/", views.subscribe, name="subscribe"),
    path(
        "reports/subscribe/confirm/<str:token>/",
        views.subscription_confirm,
        name="subscription_confirm",
    ),
    path("reports/unsubscribe/<str:token>/", views.subscription_cancel, name="subscription_cancel"),
]
