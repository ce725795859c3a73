"""A search never waits for an index build, and never sees half of one: while a build writes
the next generation, searches in another thread keep answering from the published one."""

import threading
import time

from support.search_warehouse import write_generated_warehouse

from orchestration.config import Home
from orchestration.search.build import build_search_index
from orchestration.search.generations import SearchGenerations
from orchestration.search.query import SearchRequest, search

HISTORY = 6_000
PAUSE = 0.01  # between two searches: a person, or a script, not a loop holding the GIL


def test_searches_run_while_the_index_is_rebuilt(tmp_path):
    home = Home(tmp_path)
    write_generated_warehouse(home.warehouse.published, HISTORY)
    first = build_search_index(home.search, home.warehouse.published)
    write_generated_warehouse(home.warehouse.published, 2 * HISTORY, batches=2)

    generations = SearchGenerations(home.search)
    seen, failures, stop = [], [], threading.Event()

    def keep_searching():
        try:
            while not stop.is_set():
                started = time.perf_counter()
                found = search(generations.open_current(), SearchRequest("alpha", limit=5))
                seen.append((started, time.perf_counter() - started, found.generation, found.total))
                time.sleep(PAUSE)
        except BaseException as error:  # noqa: BLE001 (reported by the assertion below)
            failures.append(error)

    reader = threading.Thread(target=keep_searching)
    reader.start()
    try:
        time.sleep(5 * PAUSE)
        build_started = time.perf_counter()
        built = build_search_index(home.search, home.warehouse.published, full=True)
        build_ended = time.perf_counter()
        time.sleep(5 * PAUSE)
    finally:
        stop.set()
        reader.join()
    assert not failures, failures

    totals = {first.generation: HISTORY, built.generation: 2 * HISTORY}
    assert all(total == totals[generation] for _, _, generation, total in seen)  # never half
    during = [s for s in seen if build_started <= s[0] <= build_ended]
    before_publish = [s for s in during if s[2] == first.generation]
    assert len(before_publish) >= 5, (
        f"{len(before_publish)} searches in a {built.seconds:.2f} s build"
    )
    assert max(seconds for _, seconds, _, _ in during) < built.seconds / 2  # none waited
    assert seen[-1][2] == built.generation  # the new one as soon as it was published
