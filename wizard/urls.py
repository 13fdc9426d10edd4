"""URLs of the install wizard (new installations) and the inputs editor (existing ones),
and the installation page's version update, whose fields are the wizard's."""

from django.urls import path

import akua.routes  # noqa: F401  (the `id` converter)
from wizard import views

urlpatterns = [
    path(
        "installations/<id:installation_id>/version/",
        views.update_version,
        name="installation_update_version",
    ),
]
for prefix, scope in (
    ("wizard/new/<id:version_id>/", "new"),
    ("wizard/<id:installation_id>/", "edit"),
):
    urlpatterns += [
        path(prefix, views.start, name=f"wizard_{scope}_start"),
        path(prefix + "validate/", views.validate, name=f"wizard_{scope}_validate"),
        path(prefix + "search/", views.search_view, name=f"wizard_{scope}_search"),
        path(prefix + "review/diff/", views.review_diff, name=f"wizard_{scope}_diff"),
        path(prefix + "yaml/", views.yaml_view, name=f"wizard_{scope}_yaml"),
        path(prefix + "discard/", views.discard, name=f"wizard_{scope}_discard"),
        path(prefix + "one-page/", views.one_page, name=f"wizard_{scope}_page"),
        path(prefix + "<slug:slug>/", views.step, name=f"wizard_{scope}_step"),
    ]
