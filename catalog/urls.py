"""URLs of the workspace pages: your workspaces, a vendor's customers, a customer's vendors."""

from django.urls import path

from catalog import views

urlpatterns = [
    path("workspaces/", views.workspaces, name="workspaces"),
    path("workspaces/<slug:slug>/customers/", views.customers, name="workspace_customers"),
    path("workspaces/<slug:slug>/vendors/", views.vendors, name="workspace_vendors"),
    path(
        "workspaces/<slug:slug>/vendors/<str:tie_id>/accept/",
        views.tie_decide,
        {"decision": "accept"},
        name="tie_accept",
    ),
    path(
        "workspaces/<slug:slug>/vendors/<str:tie_id>/decline/",
        views.tie_decide,
        {"decision": "decline"},
        name="tie_decline",
    ),
]
