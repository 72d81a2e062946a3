"""`:checkhealth ballast` checks the bridge and the daemon."""

from __future__ import annotations

import re


def test_checkhealth_reports_ok(nvim):
    nvim.command("checkhealth ballast")
    report = "\n".join(nvim.current.buffer[:])
    assert "ERROR" not in report and "WARNING" not in report, report
    # 0.7 writes "- OK: …", later releases "- ✅ OK …".
    assert re.search(r"OK:? The bridge \(pid \d+\) speaks the command language", report), report
    assert re.search(r"OK:? The daemon answers: pong", report), report
