"""URLs of the installation pages: dashboard, new installation, an installation, its inputs and history."""

from django.urls import path

from installations import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("installations/new/", views.new_installation, name="installation_new"),
    path("installations/<str:installation_id>/", views.installation, name="installation"),
    path(
        "installations/<str:installation_id>/inputs/",
        views.edit_inputs,
        name="installation_inputs",
    ),
    path(
        "installations/<str:installation_id>/history/",
        views.history,
        name="installation_history",
    ),
    path(
        "installations/<str:installation_id>/history/<str:render_id>/restore/",
        views.restore,
        name="render_restore",
    ),
]
