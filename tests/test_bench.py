"""The benchmark's table: budgets, summary rows and verdicts (timings are not asserted)."""

from course_utils import bench


def row(name, median, budget=30.0, unit="s", stat="median"):
    return {
        "name": name,
        "median": median,
        "p95": median,
        "runs": 3,
        "budget": budget,
        "unit": unit,
        "stat": stat,
        "ok": median <= budget,
    }


def test_table_marks_over_budget_and_report_only_rows():
    table = bench.format_table(
        [row("fast", 0.5), row("slow", 45.0), row("throughput", 14000.0, float("inf"), "v/s")]
    )
    lines = table.splitlines()
    assert lines[0].startswith("| what | median | p95")
    assert "| yes |" in lines[2] and "NO - over budget" in lines[3]
    assert "reported only" in lines[4] and "14,000" in lines[4]


def test_whole_course_row_sums_the_notebooks():
    rows = [row("notebook a, executed headless", 100.0), row("notebook b, executed headless", 90.0)]
    (total,) = bench.course_rows(rows)
    assert total["median"] == 190.0 and total["budget"] == 180.0 and not total["ok"]
    assert bench.course_rows([row("import", 0.1)]) == []


def test_a_measure_can_return_many_samples():
    m = bench.Measure("samples", 1.0, "ms", lambda: [1.0, 2.0, 3.0], repeats=2, stat="p95")
    (r,) = bench.run([m])
    assert r["runs"] == 6 and r["median"] == 2.0 and r["p95"] == 3.0 and not r["ok"]


def test_the_class_report_row_has_its_budget():
    (m,) = [m for m in bench.MEASURES if m.name == "class report on 300 learners"]
    assert (m.budget, m.unit, m.stat) == (5.0, "s", "median")
