"""Installation, Render, the per-installation event timeline, API tokens, change requests,
sensitive inputs, vendor overrides of inputs, what was applied to a cluster."""

from installations.models.apply import Adoption, ApplyResult, InventoryEntry
from installations.models.change_request import ChangeRequest
from installations.models.event import InstallationEvent
from installations.models.field_override import FieldOverride
from installations.models.installation import Installation
from installations.models.render import Render
from installations.models.sensitive_input import SensitiveInput
from installations.models.token import ApiToken

__all__ = [
    "Adoption",
    "ApiToken",
    "ApplyResult",
    "ChangeRequest",
    "FieldOverride",
    "Installation",
    "InstallationEvent",
    "InventoryEntry",
    "Render",
    "SensitiveInput",
]
