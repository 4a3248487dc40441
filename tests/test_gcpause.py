"""Pausing the cyclic garbage collector: nesting, overlap across threads, the state restored."""

from __future__ import annotations

import gc
import threading

from sipviewer.model.gcpause import collector_paused, pause_collector


def test_pauses_nest_and_the_collector_comes_back():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_a_pause_ending_in_one_thread_does_not_end_another():
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with collector_paused():
        pass
    assert not gc.isenabled()  # the other thread's pause is still on
    release.set()
    thread.join()
    assert gc.isenabled()


def test_an_error_inside_still_ends_the_pause():
    try:
        with collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_freeze_moves_survivors_out_of_sight():
    gc.unfreeze()
    before = gc.get_freeze_count()
    keep = [[k] for k in range(1000)]
    with collector_paused(freeze=True):
        pass
    assert gc.get_freeze_count() >= before + len(keep)
    gc.unfreeze()


def test_a_pause_ended_by_a_call_ends_once_and_nests_with_the_others():
    end = pause_collector()
    assert not gc.isenabled()
    with collector_paused():
        end()  # (a callback, while a block's pause holds)
        assert not gc.isenabled()
    assert gc.isenabled()
    other = pause_collector()
    end()  # a second call does not end another pause
    assert not gc.isenabled()
    other()
    assert gc.isenabled()


def test_a_pause_ended_by_a_call_may_freeze():
    gc.unfreeze()
    before = gc.get_freeze_count()
    keep = [[k] for k in range(1000)]
    pause_collector()(freeze=True)
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(keep)
    gc.unfreeze()
