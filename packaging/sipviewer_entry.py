"""The frozen application's entry point: the same command line as `sipviewer`."""

import multiprocessing
import sys

from sipviewer.cli import main

if __name__ == "__main__":
    # a worker or import process the application starts (multiprocessing's "spawn") runs
    # the bundle's executable again: this hands it its task instead of a second application
    multiprocessing.freeze_support()
    sys.exit(main())
