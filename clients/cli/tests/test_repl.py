"""The REPL driven through a pseudo-terminal: completion, history, progress, Ctrl-C."""

from __future__ import annotations

import time

import pexpect

PROMPT = "ballast> "


def spawn(env) -> pexpect.spawn:
    child = pexpect.spawn(env.ballast, env=env.vars, cwd=str(env.folder), encoding="utf-8",
                          dimensions=(50, 200), timeout=30)
    child.expect_exact(PROMPT)
    return child


def leave(child: pexpect.spawn) -> int:
    child.send("\x04")  # Ctrl-D on an empty line
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_tab_completes_a_command_and_a_dataset_name(env):
    child = spawn(env)
    child.sendline("generate fraud rows=5000 as payments")
    child.expect("payments: 5,000 rows")
    child.expect_exact(PROMPT)
    # A command: "datas" + Tab becomes "datasets" (libedit redraws only what changed: "ets").
    child.send("datas\t")
    child.expect_exact("ets")
    child.send("\r")
    child.expect(r"payments\s+5,000")
    child.expect_exact(PROMPT)
    # A dataset name, asked of the daemon live: "describe pay" + Tab becomes "describe payments".
    child.send("describe pay\t")
    child.expect_exact("ments")
    child.send("\r")
    child.expect("origin generated")
    child.expect_exact(PROMPT)
    # An option name, then its value: "split payments te" + Tab -> "test=".
    child.send("split payments te\t")
    child.expect_exact("st=")
    child.send("0.3\r")
    child.expect("payments.train")
    child.expect_exact(PROMPT)
    assert leave(child) == 0


def test_history_is_recalled_with_the_up_arrow_in_the_next_session(env):
    child = spawn(env)
    child.sendline("generate fraud rows=4000 seed=3 as remembered")
    child.expect("remembered: 4,000 rows")
    child.expect_exact(PROMPT)
    assert leave(child) == 0
    child = spawn(env)
    child.send("drop remembered\r")
    child.expect("dropped remembered")
    child.expect_exact(PROMPT)
    child.send("\x1b[A\x1b[A")  # up twice: the previous session's generate
    time.sleep(0.3)
    child.send("\r")
    child.expect("remembered: 4,000 rows")
    child.expect_exact(PROMPT)
    assert leave(child) == 0
    # libedit's history file (its own format writes a blank as \\040).
    history = (env.folder / "state" / "history").read_text().replace("\\040", " ")
    assert history.count("generate fraud rows=4000 seed=3 as remembered") == 2


def test_progress_is_shown_while_training(env):
    child = spawn(env)
    child.sendline("generate fraud as cards; split cards test=0.3 val=0.2")
    child.expect("cards.validation")
    child.expect_exact(PROMPT)
    child.sendline("train cards.train val=cards.validation model=mlp hidden=8 epochs=6 as net")
    child.expect("Training mlp")
    child.expect(r"step \d+ of 6")
    child.expect("elapsed")
    child.expect("val F1")
    child.expect(r"net\S* \(run r\d+\): 6 steps, epochs")
    child.expect_exact(PROMPT)
    assert leave(child) == 0


def test_ctrl_c_cancels_a_training_and_the_repl_lives_on(env):
    child = spawn(env)
    child.sendline("generate fraud rows=60000 as cards")
    child.expect_exact(PROMPT)
    child.sendline("train cards model=mlp epochs=100000 as forever")
    child.expect(r"step \d+ of 100000", timeout=60)
    child.sendintr()
    child.expect("cancelled", timeout=30)
    child.expect_exact(PROMPT)
    child.sendline("ping")
    child.expect("pong")
    child.expect_exact(PROMPT)
    child.sendline("status")
    child.expect("idle")
    child.expect_exact(PROMPT)
    # Ctrl-C at the prompt drops the line being typed, and the REPL is still there. Like a person,
    # the test sees the typed text echoed before pressing Ctrl-C (a Ctrl-C within a millisecond of
    # the keys can still be taken by libedit as it reads them; see the issue note).
    child.send("models")
    child.expect_exact("models")
    child.sendintr()
    child.expect_exact(PROMPT)
    child.sendline("exit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_help_and_errors_in_the_repl(env):
    child = spawn(env)
    child.sendline("help sweep")
    child.expect("method: experiment/sweep")
    child.expect_exact(PROMPT)
    child.sendline("describe nowhere")
    child.expect("no dataset named .nowhere")
    child.expect_exact(PROMPT)
    child.sendline("ping")
    child.expect("pong")
    child.expect_exact(PROMPT)
    assert leave(child) == 0


def test_no_color_keeps_cursor_codes_out_of_the_progress(env):
    env.run("-c", "generate fraud rows=40000 as cards")
    env.vars["NO_COLOR"] = "1"
    child = pexpect.spawn(env.ballast, ["-c", "train cards model=mlp hidden=4 epochs=4 as net"], env=env.vars,
                          encoding="utf-8", dimensions=(50, 200), timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    output = child.before
    assert child.exitstatus == 0, output
    assert "step 1 of 4" in output and "\r" in output, "progress is still rewritten in place, with carriage returns"
    assert "\x1b[" not in output


def test_runs_complete_and_show_what_the_daemon_kept(env):
    child = spawn(env)
    child.sendline("generate fraud rows=3000 seed=3 as cards; split cards test=0.3 val=0.2 seed=0")
    child.expect("cards.train")
    child.expect_exact(PROMPT)
    child.sendline("train cards.train val=cards.validation max_iter=30 as ce")
    child.expect(r"run (r\d+)")
    run = child.match.group(1)
    child.expect_exact(PROMPT)
    # The subcommand, then the daemon's one run id, each completed with Tab.
    # (The first Tab of a session appends no blank after a unique candidate, so one is typed:
    # two blanks would do no harm.)
    child.send("runs sh\t")
    child.expect_exact("ow")
    child.send(" r\t")
    child.expect_exact(run[1:])
    child.send("\r")
    child.expect_exact(f"run {run}: model/train, completed")
    child.expect_exact(PROMPT)
    child.sendline("runs status=completed")
    child.expect(r"started \(UTC\)")
    child.expect_exact("runs 1–1 of 1, newest first")
    child.expect_exact(PROMPT)
    assert leave(child) == 0
