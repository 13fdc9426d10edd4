"""URLs of the installation pages: dashboard, new installation, an installation, its inputs
(a redirect to the wizard's one-page mode), history, deletion, cluster section, git access.
The version update and the inputs forms are the wizard's (wizard/urls.py)."""

from django.urls import path

from installations import views
from installations.git import views as git_views

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
    path(
        "installations/<str:installation_id>/delete/",
        views.delete,
        name="installation_delete",
    ),
    # the cluster section (installations.views.cluster): objects, assign, Re-apply, logs
    path(
        "installations/<str:installation_id>/cluster/",
        views.installation_cluster,
        name="installation_cluster",
    ),
    path(
        "installations/<str:installation_id>/cluster/assign/",
        views.installation_assign,
        name="installation_assign",
    ),
    path(
        "installations/<str:installation_id>/cluster/reapply/",
        views.installation_reapply,
        name="installation_reapply",
    ),
    path(
        "installations/<str:installation_id>/cluster/adopt/",
        views.installation_adopt,
        name="installation_adopt",
    ),
    path(
        "installations/<str:installation_id>/cluster/logs/",
        views.installation_logs,
        name="installation_logs",
    ),
    # git access (installations.git): tokens, Source tab, change requests
    path("tokens/", git_views.tokens, name="tokens"),
    path("tokens/<str:token_id>/revoke/", git_views.token_revoke, name="token_revoke"),
    path(
        "installations/<str:installation_id>/source/",
        git_views.source,
        name="installation_source",
    ),
    path(
        "installations/<str:installation_id>/changes/<str:cr_id>/",
        git_views.change_request,
        name="change_request",
    ),
    path(
        "installations/<str:installation_id>/changes/<str:cr_id>/accept/",
        git_views.change_request_decide,
        {"decision": "accept"},
        name="change_request_accept",
    ),
    path(
        "installations/<str:installation_id>/changes/<str:cr_id>/reject/",
        git_views.change_request_decide,
        {"decision": "reject"},
        name="change_request_reject",
    ),
]
