"""URLs of the installation pages: dashboard, new installation, an installation, its inputs
(a redirect to the wizard's one-page mode), history, deletion, cluster section, git access.
The version update and the inputs forms are the wizard's (wizard/urls.py)."""

from django.urls import include, path

from akua.routes import decision_paths
from installations import views
from installations.git import views as git_views

# the cluster section (installations.views.cluster): objects, assign, Re-apply, logs
cluster_section = [
    path("", views.installation_cluster, name="installation_cluster"),
    path("assign/", views.installation_assign, name="installation_assign"),
    path("reapply/", views.installation_reapply, name="installation_reapply"),
    path("adopt/", views.installation_adopt, name="installation_adopt"),
    path("logs/", views.installation_logs, name="installation_logs"),
]

# below installations/<installation_id>/changes/<cr_id>/
change_request = [
    path("", git_views.change_request, name="change_request"),
    *decision_paths(git_views.change_request_decide, "change_request", ("accept", "reject")),
]

# below installations/<installation_id>/
one_installation = [
    path("", views.installation, name="installation"),
    path("cluster/", include(cluster_section)),
    path("inputs/", views.edit_inputs, name="installation_inputs"),
    path("history/", views.history, name="installation_history"),
    path("history/<id:render_id>/restore/", views.restore, name="render_restore"),
    path("delete/", views.delete, name="installation_delete"),
    # git access (installations.git): the Source tab, change requests
    path("source/", git_views.source, name="installation_source"),
    path("changes/<id:cr_id>/", include(change_request)),
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("installations/new/", views.new_installation, name="installation_new"),
    path("installations/<id:installation_id>/", include(one_installation)),
    path("tokens/", git_views.tokens, name="tokens"),
    path("tokens/<id:token_id>/revoke/", git_views.token_revoke, name="token_revoke"),
]
