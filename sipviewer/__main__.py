"""``python -m sipviewer`` runs the command line."""

import sys

from sipviewer.cli import main

if __name__ == "__main__":  # the index builder's worker processes import this module too
    sys.exit(main())
