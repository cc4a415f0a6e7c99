"""`gc_paused`: the collector is off inside the block and back as it was after it, also on an error."""

import gc

import pytest

from common.gc import gc_paused


def test_it_pauses_the_collector_inside_the_block():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_resumes_the_collector_after_an_error():
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("computation failed")
    assert gc.isenabled()


def test_it_leaves_a_collector_paused_by_the_caller_paused():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
