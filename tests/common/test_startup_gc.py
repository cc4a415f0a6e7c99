"""The web server's start-up keeps its long-lived objects out of the garbage collector's full passes."""

import gc

from chaoyang_preschool.startup import freeze_start_up_objects


def test_start_up_freezes_what_it_loaded():
    try:
        freeze_start_up_objects()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the URLconf, the views and every app's modules
        assert len(gc.get_objects()) < frozen  # a full collection no longer scans them
    finally:
        gc.unfreeze()
