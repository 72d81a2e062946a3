"""Scripts, `-c`, `--json`, error reporting and exit codes, against a real daemon."""

from __future__ import annotations

import json

from conftest import json_lines

# A smaller fraud-shaped dataset keeps each test to a second or two.
SETUP = "generate fraud rows=30000 seed=1 as cards\nsplit cards test=0.3 val=0.2 seed=0\n"


def test_script_prints_the_seeds_table(env):
    script = env.script("seed.bal", SETUP + """
# the seed's two losses, then the table
train cards.train val=cards.validation loss=ce as ce
train cards.train val=cards.validation weights=inverse as wce
compare cards.train test=cards.test val=cards.validation arms=ce,wce_inverse,ce_best_f1
vs-seed
""")
    result = env.run("run", str(script))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out, "no colour or cursor codes when stdout is not a terminal"
    header = next(line for line in out.splitlines() if "Loss Function" in line and "Threshold" in line)
    assert header.split() == ["Loss", "Function", "Recall", "Precision", "F1-Score", "PR-AUC", "ROC-AUC", "MCC", "Threshold"]
    rows = {line.split("  ")[1].strip(): line for line in out.splitlines() if line.startswith("  CE") or line.startswith("  WCE")}
    assert any(key.startswith("WCE (inverse)") for key in rows)
    assert any(key.startswith("CE, best-F1 threshold") for key in rows)
    # The table is aligned: every row of it has the same width as its rule.
    lines = out.splitlines()
    rule = lines[lines.index(header) + 1]
    assert set(rule.strip()) <= {"─", " "}
    # The seed's reported figures sit beside ours, labelled as such.
    assert "seed paper (reported)" in out
    assert "0.5345" in out and "0.9069" in out
    assert "Reading:" in out


def test_json_prints_one_object_per_command(env):
    result = env.run("--json", "-c", SETUP + "weights cards.train scheme=inverse; train cards.train weights=inverse as m1; models")
    assert result.returncode == 0, result.stderr
    objects = json_lines(result.stdout)
    assert len(objects) == 5
    generated, split, weights, trained, models = objects
    assert generated["name"] == "cards" and generated["rows"] == 30000
    assert split["train"] == "cards.train" and split["test"] == "cards.test"
    counts = {c["label"]: c["count"] for c in weights["classes"]}
    expected_rare_weight = counts["0"] / (counts["0"] + counts["1"])
    rare = next(c for c in weights["classes"] if c["label"] == "1")
    assert abs(rare["weight"] - expected_rare_weight) < 1e-9
    assert trained["model"] == "m1" and trained["run"].startswith("r")
    assert [m["name"] for m in models["models"]] == ["m1"]
    assert models["models"][0]["loss"] == "wce"


def test_an_error_stops_the_script_at_its_line(env):
    script = env.script("broken.bal", SETUP + "echo before\ntrain nosuch.train as m1\necho after\n")
    result = env.run("run", str(script))
    assert result.returncode == 1
    assert f"{script}:4:" in result.stderr
    assert "nosuch.train" in result.stderr
    assert "known" in result.stderr, "the error's data (the known names) is shown"
    assert "before" in result.stdout and "after" not in result.stdout


def test_keep_going_runs_past_errors_and_still_fails(env):
    script = env.script("broken.bal", "ping\ndescribe nosuch\necho after\n")
    result = env.run("run", str(script), "--keep-going")
    assert result.returncode == 1
    assert f"{script}:2:" in result.stderr
    assert "after" in result.stdout


def test_usage_errors_exit_2_with_a_suggestion(env):
    result = env.run("-c", "ping\ntrian cards")
    assert result.returncode == 2
    assert "-c:2:" in result.stderr and "Did you mean 'train'" in result.stderr
    result = env.run("-c", "split cards tst=0.3")
    assert result.returncode == 2
    assert "Did you mean 'test'" in result.stderr


def test_json_errors_are_objects_too(env):
    result = env.run("--json", "-c", "describe nosuch")
    assert result.returncode == 1
    [error] = json_lines(result.stdout)
    assert error["ok"] is False and error["error"]["code"] == -32001 and error["line"] == 1


def test_dash_c_runs_several_commands(env):
    result = env.run("-c", "generate fraud rows=20000 as cards; datasets")
    assert result.returncode == 0, result.stderr
    assert "cards: 20,000 rows × 30 features" in result.stdout
    table = [line for line in result.stdout.splitlines() if line.strip().startswith("cards ")]
    assert table and "20,000" in table[0]


def test_relative_paths_are_made_absolute_by_the_client(env, tmp_path):
    data = tmp_path / "work"
    data.mkdir()
    (data / "small.csv").write_text("a,b,y\n" + "".join(f"{i},{i % 7},{int(i % 10 == 0)}\n" for i in range(200)))
    result = env.run("--json", "-c", "load small.csv label=y as small", cwd=data)
    assert result.returncode == 0, result.stderr
    [loaded] = json_lines(result.stdout)
    assert loaded["dataset"]["rows"] == 200 and loaded["dataset"]["name"] == "small"


def test_piped_standard_input_runs_as_a_script(env):
    result = env.run(input="ping\nmodels\n")
    assert result.returncode == 0, result.stderr
    assert "pong" in result.stdout and "no models yet" in result.stdout


def test_call_keeps_working(env):
    result = env.run("call", "dataset/generate", json.dumps({"preset": "fraud", "rows": 10000, "name": "c"}))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rows"] == 10000
    result = env.run("-c", 'call dataset/describe {"dataset": "c"}')
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["dataset"]["name"] == "c"


def test_help_describes_the_mapping(env):
    result = env.run("-c", "help train")
    assert result.returncode == 0
    assert "method: model/train" in result.stdout
    assert "loss.weights.scheme" in result.stdout and "val=" in result.stdout


def test_no_daemon_exits_3(env):
    result = env.run("--no-spawn", "-c", "ping")
    assert result.returncode == 3


def test_plot_draws_the_loss_and_pr_curves_in_braille(env):
    result = env.run("-c", SETUP + "train cards.train val=cards.validation model=mlp hidden=4 epochs=4 as net; plot net")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "net: training loss by step" in out
    assert "precision-recall curve on cards.test" in out, "DATASET defaults to the training set's .test"
    braille = [c for c in out if 0x2801 <= ord(c) <= 0x28FF]
    assert len(braille) > 20
    result = env.run("--json", "-c", "plot net cards.test")
    [plotted] = json_lines(result.stdout)
    # Reports are coalesced to five a second, but the first and the last step are always there.
    assert plotted["run"] and len(plotted["loss"]) >= 2 and plotted["loss"][-1][0] == 4, \
        "a new session finds the model's run through model/describe"
    assert len(plotted["pr"]) > 2 and all(0 <= x <= 1 and 0 <= y <= 1 for x, y in plotted["pr"])


def test_runs_lists_compares_and_pages_across_invocations(env):
    # Each `ballast -c` is a new session: the runs are the daemon's, not the session's.
    trained = env.run("--json", "-c", SETUP + "train cards.train val=cards.validation max_iter=30 as ce; "
                      "train cards.train val=cards.validation weights=inverse max_iter=30 as wce")
    assert trained.returncode == 0, trained.stderr
    ce, wce = (line["run"] for line in json_lines(trained.stdout)[2:])
    listed = env.run("-c", "runs loss=wce; runs sort=validation.f1 limit=1; runs next")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert sum(1 for line in lines if line.startswith(f"  {wce} ")) == 2
    assert "  runs 1–1 of 1, newest first" in lines
    assert any(line.startswith("  runs 2–2 of 2, by validation.f1") for line in lines)
    compared = env.run("--json", "-c", f"runs compare {ce} {wce} metrics=validation.f1 params=loss.type")
    assert compared.returncode == 0, compared.stderr
    (table,) = json_lines(compared.stdout)
    assert table["params"] == ["loss.type"] and [row["run"] for row in table["rows"]] == [ce, wce]
    assert table["rows"][1]["params"] == ["wce"]
    usage = env.run("-c", "runs compre r1")
    assert usage.returncode == 2 and "Did you mean 'runs compare'?" in usage.stderr
