"""Forms of the cluster pages: import a kubeconfig, assign an installation to a cluster."""

from __future__ import annotations

import re

from django import forms

from clusters import kubeconfig as kc
from clusters.client import KubeconfigError
from clusters.models import Cluster

NAMESPACE_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


class ImportClusterForm(forms.Form):
    workspace = forms.ChoiceField(label="Workspace")
    name = forms.CharField(max_length=100)
    kubeconfig_file = forms.FileField(
        label="Kubeconfig file", required=False, help_text="Upload it, or paste it below."
    )
    kubeconfig = forms.CharField(
        label="Kubeconfig",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
        help_text="Stored encrypted; never shown again. Only server, context and user name are.",
    )
    context = forms.CharField(label="Context", required=False, widget=forms.Select)

    def __init__(self, *args, workspaces, held: str = "", **kwargs):
        """`held`: the kubeconfig given earlier in this import (views keep it encrypted in
        the session), used when none is given now."""
        super().__init__(*args, **kwargs)
        self.fields["workspace"].choices = [(w.slug, w.name) for w in workspaces]
        self.contexts: list[str] = []
        self.fields["context"].widget.choices = [("", "(the only one / current)")]
        self.held = held

    def clean(self):
        data = super().clean()
        upload = data.get("kubeconfig_file")
        text = upload.read().decode("utf-8", "replace") if upload else data.get("kubeconfig", "")
        if not text.strip():
            text = self.held
        if not text.strip():
            self.add_error("kubeconfig", "Upload or paste a kubeconfig.")
            return data
        data["kubeconfig_text"] = text
        try:
            _parsed, self.contexts = kc.read(text)
        except KubeconfigError as e:
            self.add_error("kubeconfig", str(e))
            return data
        self.fields["context"].widget.choices = [("", "Choose a context")] + [
            (c, c) for c in self.contexts
        ]
        context = self.data.get("context", "")
        if len(self.contexts) > 1 and context not in self.contexts:
            self.add_error("context", "This kubeconfig has several contexts; choose one.")
        data["context"] = context if context in self.contexts else ""
        return data


class AssignClusterForm(forms.Form):
    cluster = forms.ModelChoiceField(queryset=Cluster.objects.none())
    namespace = forms.CharField(
        max_length=63, help_text="Created when missing. Lower-case letters, digits and '-'."
    )

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters

    def clean_namespace(self):
        value = self.cleaned_data["namespace"].strip()
        if not NAMESPACE_RE.match(value):
            raise forms.ValidationError(
                "A namespace is lower-case letters, digits and '-', starting and ending with a "
                "letter or digit."
            )
        return value
