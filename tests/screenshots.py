"""Where browser tests save their screenshots: never into docs/ (a test run must not change the
repository). ``SCREENSHOT_DIR=docs/screenshots make test`` refreshes the pictures in the docs."""

import os
import tempfile
from pathlib import Path

SHOTS = Path(os.environ.get("SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "partybuilding-screenshots")
