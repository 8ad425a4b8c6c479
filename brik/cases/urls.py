from django.urls import path

from brik.cases import views

app_name = "cases"

urlpatterns = []
