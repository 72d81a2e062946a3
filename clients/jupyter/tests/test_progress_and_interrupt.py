"""A real kernel, bridge and daemon: a training's progress is one display updated in place, and an
interrupt cancels a long training, answers with a "cancelled" error, and leaves the kernel able to
run the next cell."""

from __future__ import annotations

from helpers import content, of_type

# Far longer than any test waits: only the interrupt ends it.
ENDLESS_TRAINING = "train cards.train val=cards.validation model=mlp hidden=64 epochs=100000 as slow"


def test_a_training_updates_one_progress_display_in_place(kernel):
    reply, messages = kernel.run("train cards.train val=cards.validation model=mlp hidden=8 epochs=20 as net")
    assert reply["content"]["status"] == "ok"
    shown = [message for message in of_type(messages, "display_data")
             if "display_id" in content(message).get("transient", {})]
    assert len(shown) == 1, "one progress display for the one long command"
    display_id = content(shown[0])["transient"]["display_id"]
    updates = of_type(messages, "update_display_data")
    assert updates, "the display was never updated"
    assert all(content(update)["transient"]["display_id"] == display_id for update in updates)
    last = content(updates[-1])["data"]
    assert "done" in last["text/html"] and "step 20 of 20" in last["text/html"], last
    assert last["text/plain"].strip()
    # After the progress: the training's own table, as the cell's result.
    result = of_type(messages, "execute_result")
    assert len(result) == 1 and "net" in content(result[0])["data"]["text/plain"]
    assert messages.index(result[0]) > messages.index(updates[-1])


def test_an_interrupt_cancels_the_training_and_the_kernel_goes_on(kernel):
    interrupted = []

    def interrupt_once_it_runs(message: dict) -> None:
        if message["msg_type"] == "update_display_data" and not interrupted:
            interrupted.append(True)
            kernel.manager.interrupt_kernel()

    reply, messages = kernel.run("echo before\n" + ENDLESS_TRAINING, on_message=interrupt_once_it_runs)
    assert interrupted, "the training never reported progress"
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "Cancelled"
    assert "cancel" in reply["content"]["evalue"].lower()
    errors = of_type(messages, "error")
    assert len(errors) == 1 and content(errors[0])["ename"] == "Cancelled"
    shown = [content(message)["data"].get("text/plain") for message in of_type(messages, "display_data")]
    assert shown.count("before") == 1, "the outputs before the cancelled command are kept, and shown once"
    assert messages.index(next(m for m in of_type(messages, "display_data")
                               if content(m)["data"].get("text/plain") == "before")) < messages.index(errors[0])
    last_progress = content(of_type(messages, "update_display_data")[-1])["data"]["text/html"]
    assert "cancelled" in last_progress and "done" not in last_progress, last_progress

    reply, messages = kernel.run("echo ok")
    assert reply["content"]["status"] == "ok"
    assert [content(message)["data"]["text/plain"] for message in of_type(messages, "execute_result")] == ["ok"]
    # The cancelled training stored no model: the daemon says so by name.
    reply, messages = kernel.run("plot slow")
    assert reply["content"]["status"] == "error"
