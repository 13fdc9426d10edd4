"""Top-level URL map: admin, login, and each app's own urls."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from installations.git.http import git_http

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    re_path(
        r"^git/(?P<slug>[-\w]+)/(?P<installation_id>[\w-]+)\.git/(?P<path>info/refs|git-upload-pack|git-receive-pack)$",
        git_http,
        name="git_http",
    ),
    path("", include("wizard.urls")),
    path("", include("installations.urls")),
    path("", include("clusters.urls")),
    path("", include("catalog.urls")),
]

handler400 = "akua.errors.bad_request"  # a form over the upload limit gets an answer
