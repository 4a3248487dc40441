"""``python -m sipviewer`` runs the command line."""

import sys

from sipviewer.cli import main

sys.exit(main())
