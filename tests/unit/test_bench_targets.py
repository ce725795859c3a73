"""The benchmark's targets are read from the runs they name."""

from orchestration.bench.benchmark import RunFigures, StageFigures, targets

HTML = {"posts_per_second": 9_000.0}


def run(name: str, new_posts: int, wall: float) -> RunFigures:
    stages = [
        StageFigures(stage, wall / 10, wall / 10, 500.0, new_posts)
        for stage in ("parse", "normalize + entities")
    ]
    end_to_end = StageFigures("end to end", wall, wall, 2048.0, new_posts)
    return RunFigures(name, new_posts, new_posts, 1.0, stages, end_to_end, published=True)


def measured(found: list[dict]) -> dict[str, float]:
    return {target["target"]: target["measured"] for target in found}


def test_the_small_run_is_its_own_build_where_one_was_made():
    runs = [run("full", 1_000_000, 100.0), run("empty", 0, 4.0), run("incremental", 10_000, 9.0)]
    found = measured(targets([*runs, run("small", 1_000, 12.0)], HTML))
    assert found["small run end to end (s), 1,000 new posts"] == 12.0
    assert found["incremental minus empty, share of full build"] == (9.0 - 4.0) / 100.0
    assert found["empty run end to end (s)"] == 4.0


def test_else_the_incremental_build_is_the_small_run():
    runs = [run("full", 2_000, 30.0), run("empty", 0, 3.0), run("incremental", 20, 14.0)]
    found = targets(runs, HTML)
    small = next(t for t in found if t["target"].startswith("small run"))
    assert small["target"] == "small run end to end (s), 20 new posts"
    assert (small["measured"], small["goal"], small["met"]) == (14.0, "<= 15", True)
