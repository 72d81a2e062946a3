"""`tune`: Ballast's own choice, end to end against a real daemon: the leaderboard, the winner and
why, the tuned model evaluated on the test set, its live progress, and its HTML in `repl/execute`."""

from __future__ import annotations

import json
import re

from conftest import json_lines
from test_repl import PROMPT, leave, spawn
from test_stdio import bridge, receive, send

# A small fraud-shaped dataset (about 40 rare rows in its training part) and four candidates on
# three folds: a tune of a few seconds.
SETUP = "generate fraud rows=12000 positive_rate=0.005 seed=3 as cards\nsplit cards test=0.3 seed=0\n"
TUNE = "tune cards.train folds=3 candidates=ce,wce_w0.9,wce_balanced,smote calibrate=platt holdout=0.2 as tuned"


def leaderboard(out: str) -> list[list[str]]:
    """The leaderboard's rows (cells split at runs of blanks), from its header to the line after it."""
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:3] == ["rank", "candidate", "F1"])
    assert set(lines[header + 1].strip()) <= {"─", " "}
    rows = []
    for line in lines[header + 2:]:
        if not re.match(r"^\s+\d+\s", line):
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def test_tune_ranks_the_candidates_names_the_winner_and_its_model_evaluates(env):
    script = env.script("tune.bal", SETUP + TUNE + "\nevaluate tuned cards.test\n")
    result = env.run("run", str(script))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    rows = leaderboard(out)
    assert [row[0] for row in rows] == [str(i + 1) for i in range(len(rows))]
    names = [row[1].removesuffix(" *") for row in rows]
    assert set(names) | set(re.findall(r"skipped (\w+):", out)) == {"ce", "wce_w0.9", "wce_balanced", "smote"}
    # Exactly the first row is marked, and the chosen line and the why name the same candidate.
    assert rows[0][1].endswith(" *") and not any(row[1].endswith(" *") for row in rows[1:])
    winner = names[0]
    assert f"  chosen: {winner} (" in out
    why = next(line for line in out.splitlines() if line.startswith("  why: "))
    # The best mean wins, or a candidate listed earlier within one standard error of it.
    assert re.match(rf"  why: {winner} (had the best mean F1|is the simplest candidate whose mean F1) over 3 folds", why), why
    # After the winner, means are best first.
    means = [float(row[2].split(" ± ")[0]) for row in rows[1:]]
    assert means == sorted(means, reverse=True)
    assert re.search(r"honest estimate \(holdout of [\d,]+ rows, never used to choose\): F1 \d\.\d{4}", out)
    assert "calibration platt" in out and "Brier" in out
    # The evaluation of the stored model on the test set comes after: its metrics table.
    evaluation = out[out.index("calibration platt"):]
    assert "Positive class" in evaluation and "truth \\ predicted" in evaluation


def test_the_tuned_model_carries_the_winners_threshold(env):
    result = env.run("--json", "-c", SETUP + TUNE + "\nevaluate tuned cards.test\nmodels")
    assert result.returncode == 0, result.stderr
    *_, tuned, evaluated, models = json_lines(result.stdout)
    assert tuned["model"] == "tuned" and tuned["run"].startswith("r")
    assert [row["rank"] for row in tuned["leaderboard"]] == list(range(1, len(tuned["leaderboard"]) + 1))
    assert tuned["winner"]["candidate"] == tuned["leaderboard"][0]["candidate"]
    assert tuned["folds"]["used"] == 3
    threshold = tuned["winner"]["threshold"]
    assert abs(evaluated["threshold"] - threshold) < 1e-9, "evaluate uses the tuned threshold"
    stored = next(m for m in models["models"] if m["name"] == "tuned")
    assert abs(stored["threshold"] - threshold) < 1e-9


def test_a_contradiction_is_a_usage_error_before_anything_is_sent(env):
    result = env.run("-c", "tune cards.train objective=mcc beta=2")
    assert result.returncode == 2
    assert "beta= goes with objective=fbeta, not objective=mcc." in result.stderr


def test_the_repl_shows_which_fit_of_which_candidate_runs_and_completes_candidates(env):
    child = spawn(env)
    child.sendline(SETUP.replace("\n", "; ").rstrip("; "))
    child.expect("cards.test")
    child.expect_exact(PROMPT)
    # A list's next item completes after its comma: "smo" + Tab becomes "smote".
    child.send("tune cards.train folds=3 candidates=ce,wce_w0.9,smo\t")
    child.expect_exact("te")
    child.send(" as live\r")
    # Which stage a redraw catches depends on the machine's speed: the nested estimate's outer
    # folds come first, then the selection, then the final fit.
    child.expect(r"fit \d+ of \d+: (ce|wce_w0\.9|smote) \((selection|estimate, outer fold \d of 3|final)\)")
    child.expect(r"rank\s+candidate\s+F1 mean ± sd")
    child.expect("why: ")
    child.expect_exact(PROMPT)
    assert leave(child) == 0


def test_repl_execute_answers_the_leaderboard_as_an_html_table(env):
    process = bridge(env)
    send(process, {"jsonrpc": "2.0", "id": 1, "method": "repl/execute",
                   "params": {"code": SETUP + TUNE, "width": 100}})
    while True:
        message = receive(process)
        if message.get("id") == 1:
            break
    result = message["result"]
    assert result["status"] == "ok", json.dumps(result)[:2000]
    tune = result["outputs"][-1]
    assert tune["command"] == "tune" and tune["method"] == "experiment/tune"
    html = tune["html"]
    assert html.startswith('<div class="ballast-output"')
    winner = tune["result"]["winner"]["candidate"]
    # The leaderboard is a table whose winner row, and only it, is bold.
    assert ">candidate</th>" in html
    bold_rows = re.findall(r'<tr style="font-weight:bold[^"]*">(.*?)</tr>', html)
    assert len(bold_rows) == 1 and f">{winner} *</td>" in bold_rows[0]
    assert "why: " in html
    # The reliability curves before and after calibration come as one SVG image.
    assert [chart["title"] for chart in tune["charts"]] == ["reliability before and after platt calibration"]
    assert tune["charts"][0]["svg"].startswith("<svg")
    process.stdin.close()
    assert process.wait(timeout=30) == 0
