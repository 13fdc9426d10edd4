"""URLs of the workspace pages: your workspaces, a vendor's customers, a customer's vendors."""

from django.urls import include, path

from akua.routes import decision_paths
from catalog import views

urlpatterns = [
    path("workspaces/", views.workspaces, name="workspaces"),
    path("workspaces/<slug:slug>/customers/", views.customers, name="workspace_customers"),
    path("workspaces/<slug:slug>/vendors/", views.vendors, name="workspace_vendors"),
    path(
        "workspaces/<slug:slug>/vendors/<id:tie_id>/",
        include(decision_paths(views.tie_decide, "tie", ("accept", "decline"))),
    ),
]
