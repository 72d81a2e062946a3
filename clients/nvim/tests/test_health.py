"""`:checkhealth ballast` checks the bridge and the daemon."""

from __future__ import annotations


def test_checkhealth_reports_ok(nvim):
    nvim.command("checkhealth ballast")
    report = "\n".join(nvim.current.buffer[:])
    assert "ERROR" not in report and "WARNING" not in report, report
    assert "OK: The bridge" in report and "speaks the command language" in report, report
    assert "OK: The daemon answers" in report and "pong" in report, report
