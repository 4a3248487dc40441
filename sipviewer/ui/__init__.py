"""The PySide6 viewer: a thin layer over `sipviewer.core.archive.Archive`.

Only this package imports Qt. Archive calls run on one worker thread (`tasks.TaskRunner`);
results come back to the GUI thread by signal.
"""
