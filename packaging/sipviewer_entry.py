"""The frozen application's entry point: the same command line as `sipviewer`."""

import sys

from sipviewer.cli import main

if __name__ == "__main__":
    sys.exit(main())
