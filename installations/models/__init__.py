"""Installation, Render and the per-installation event timeline."""

from installations.models.event import InstallationEvent
from installations.models.installation import Installation
from installations.models.render import Render

__all__ = ["Installation", "InstallationEvent", "Render"]
