"""`python -m akua.packaging ...`: see akua.packaging.cli."""

import sys

from akua.packaging.cli import main

sys.exit(main())
