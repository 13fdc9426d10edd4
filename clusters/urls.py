"""URLs of the cluster pages: list, import, a cluster, "Check now"."""

from django.urls import path

import akua.routes  # noqa: F401  (the `id` converter)
from clusters import views

urlpatterns = [
    path("clusters/", views.clusters, name="clusters"),
    path("clusters/import/", views.cluster_import, name="cluster_import"),
    path("clusters/<id:cluster_id>/", views.cluster, name="cluster"),
    path("clusters/<id:cluster_id>/probe/", views.cluster_probe, name="cluster_probe"),
]
