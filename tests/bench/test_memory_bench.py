"""The peak-memory benchmark on tiny files: every part is measured, each size printed, a
verdict given (the peaks are reported, not checked)."""

from __future__ import annotations

from tests.bench.harness import run_script


def test_every_part_is_measured_at_each_size() -> None:
    result = run_script("memory.py", "--quick", "--sizes", "10,30")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    for name in ("events export, 30 events", "contacts import, 30 contacts", "events import, 30"):
        assert f"memory: {name}" in out
    assert out.count("   10: min ") == 4  # export, its baseline, the two imports
    assert out.count("   30: min ") == 4
    assert "bare icalendar, one VEVENT at a time, streamed" in out
    assert out.count("(goal ≤ 300 MB): ") == 3
    assert "could not be measured" not in out


def test_an_unknown_part_is_refused() -> None:
    result = run_script("memory.py", "exports")
    assert result.returncode == 2
    assert "unknown part 'exports'" in result.stderr
