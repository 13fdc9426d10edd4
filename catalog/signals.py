"""Signals catalog sends, so apps that depend on catalog can react without catalog importing them.

- `package_version_published(sender=PackageVersion, package_version=…)`: sent once the
  transaction that stored a newly published version has committed (never for a refused or
  rolled-back publish). installations listens to move installations with automatic
  updates on (installations.apps); catalog knows nothing of them (DESIGN §1).
"""

from __future__ import annotations

from django.dispatch import Signal

package_version_published = Signal()
