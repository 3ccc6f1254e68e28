"""The benches' shared measuring: whole processes, their peak memory, verdicts and the closing
summary table."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench import common, summary


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_process_is_timed_until_it_exits_with_its_output() -> None:
    run = common.run_process(python("import time; time.sleep(0.2); print('done')"))
    assert run.seconds >= 0.2
    assert run.stdout == "done\n"


def test_a_ready_line_stops_the_clock_and_the_process_still_exits() -> None:
    run = common.run_process(
        python("import time; print('READY 1', flush=True); time.sleep(0.5); print('after')"),
        ready_token="READY",
    )
    assert run.seconds < 0.5
    assert "after" in run.stdout


def test_peak_memory_is_the_process_own() -> None:
    small = common.run_process(python("pass"), memory=True)
    big = common.run_process(
        python("b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"),
        memory=True,
    )
    assert small.peak_mb < 40
    assert big.peak_mb - small.peak_mb > 190


def test_a_failing_command_is_a_clear_error() -> None:
    with pytest.raises(common.MeasureError, match="exit code 3") as caught:
        common.run_process(python("import sys; print('oops', file=sys.stderr); sys.exit(3)"))
    assert "oops" in str(caught.value)


def test_a_command_that_never_gets_ready_is_killed() -> None:
    with pytest.raises(common.MeasureError, match="killed after 1 s without printing READY"):
        common.run_process(python("import time; time.sleep(30)"), ready_token="READY", timeout=1)


def test_alternate_measures_each_side_after_the_warm_up() -> None:
    results = common.alternate({"a": python("pass"), "b": python("pass")}, runs=2, warmup=1)
    assert [len(runs) for runs in results.values()] == [2, 2]


def test_a_ratio_figure_passes_on_the_ratio_of_medians(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "summary.jsonl"
    monkeypatch.setenv(common.SUMMARY_ENV, str(file))
    common.report(common.Figure("docs", "brief", [2.0, 3.0, 9.0], 1.5, baseline=[2.0, 2.0, 2.0]))
    common.report(common.Figure("stall", "import", [0.030, 0.070], 0.050, unit="s"))
    common.report_failure("search", "1M", "no database\nmore")
    printed = capsys.readouterr().out
    assert "→ 1.50× (goal ≤ 1.5×): PASS" in printed
    assert "min 2 / median 3 / max 9 s (3 runs)" in printed
    assert "→ 0.07 s (goal ≤ 0.05 s): FAIL" in printed
    table = summary.table(summary.rows(file))
    assert "docs: brief" in table and "1.50×" in table and "PASS" in table
    assert "stall: import" in table and "70 ms (worst)" in table
    assert "search: 1M" in table and "not measured" in table
    assert "1 of 3 figures meet their goal." in table
    assert summary.main([str(file)]) == 1


def test_the_summary_of_nothing_says_so(tmp_path: Path) -> None:
    assert summary.main([str(tmp_path / "none.jsonl")]) == 1


def test_benches_run_with_bytecode_in_their_own_cache(tmp_path: Path) -> None:
    env = common.isolated_env(tmp_path, QT_QPA_PLATFORM="offscreen")
    assert "PYTHONDONTWRITEBYTECODE" not in env and "CMPLANNER_DB" not in env
    assert env["PYTHONPYCACHEPREFIX"] == str(tmp_path / "pycache")
    assert env["XDG_CONFIG_HOME"].startswith(str(tmp_path))
    assert env["QT_QPA_PLATFORM"] == "offscreen"
