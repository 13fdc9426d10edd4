"""Forms of the installation pages: choosing a package version to install.

The inputs of a package are asked for by the wizard's form code (wizard.forms), in steps or
all on one page; what a schema means is `installations.input_schema`.
"""

from __future__ import annotations

from django import forms

from catalog.models import PackageVersion


def _version_label(pv: PackageVersion) -> str:
    return f"{pv.package.name} {pv.version} — {pv.package.workspace.name}"


class ChooseVersionForm(forms.Form):
    """Which package version to install (a GET form)."""

    required_css_class = "required"

    package_version = forms.ModelChoiceField(
        queryset=PackageVersion.objects.none(),
        label="Package version",
        empty_label="Choose a package version…",
    )

    def __init__(self, *args, versions, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["package_version"].queryset = versions
        self.fields["package_version"].label_from_instance = _version_label
