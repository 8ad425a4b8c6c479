from django.urls import path

from brik.cooperation import views

app_name = "cooperation"

urlpatterns = [
    path("", views.index, name="index"),
    path("joint-actions/", views.joint_actions, name="joint_actions"),
    path("joint-actions/new/", views.joint_action_plan, name="joint_action_plan"),
    path("joint-actions/<int:pk>/", views.joint_action, name="joint_action"),
    path(
        "joint-actions/<int:pk>/outcome/", views.joint_action_outcome, name="joint_action_outcome"
    ),
    path("joint-actions/<int:pk>/cancel/", views.joint_action_cancel, name="joint_action_cancel"),
    path("joint-actions/<int:pk>/link/", views.joint_action_link, name="joint_action_link"),
    path("joint-actions/<int:pk>/unlink/", views.joint_action_unlink, name="joint_action_unlink"),
    path("outreach/", views.outreach, name="outreach"),
    path("prosecutions/", views.prosecutions, name="prosecutions"),
    path("prosecutions/new/", views.prosecution_open, name="prosecution_open"),
    path("prosecutions/<int:pk>/", views.prosecution, name="prosecution"),
    path("prosecutions/<int:pk>/charge/", views.prosecution_charge, name="prosecution_charge"),
    path("prosecutions/<int:pk>/verdict/", views.prosecution_verdict, name="prosecution_verdict"),
    path("prosecutions/<int:pk>/drop/", views.prosecution_drop, name="prosecution_drop"),
    path("prosecutions/<int:pk>/link/", views.prosecution_link, name="prosecution_link"),
    path("prosecutions/<int:pk>/unlink/", views.prosecution_unlink, name="prosecution_unlink"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("initiatives/<int:pk>/status/", views.initiative_status, name="initiative_status"),
    path("milestones/<int:pk>/reach/", views.milestone_reach, name="milestone_reach"),
    path("indicators/<int:pk>/measure/", views.indicator_measure, name="indicator_measure"),
]
