"""jupyter_kernel_test's messaging checks on the real kernel (kernelspec `ballast` from the
temporary Jupyter path), its bridge and a private daemon: kernel info, completion, inspection,
is_complete, execute_result, display_data and error."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import jupyter_kernel_test
from jupyter_client.manager import start_new_kernel

from helpers import HANG, PrivateDaemon


PREPARE = ("generate fraud rows=2000 seed=1 as p\nsplit p test=0.3 val=0.2 seed=0\n"
           "train p.train val=p.validation model=mlp hidden=4 epochs=3 as pm")


class BallastKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "ballast"
    language_name = "ballast"
    file_extension = ".bal"

    completion_samples = [
        {"text": "gen", "matches": {"generate"}},
        {"text": "generate fra", "matches": {"fraud"}},
    ]
    complete_code_samples = ["echo hi", "", "generate fraud rows=2000 as g\nsplit g test=0.3"]
    incomplete_code_samples = ['load "unclosed', 'echo "half open']
    invalid_code_samples = ["frobnicate the data"]
    code_inspect_sample = "train cards.train "
    # A table: the dataset's summary; its text and HTML both.
    code_execute_result = [
        {"code": "echo hello", "result": "hello"},
        {"code": "generate fraud rows=2000 seed=1 as g\ndatasets", "mime": "text/html"},
    ]
    # Every output but a cell's last is display_data; charts are too.
    code_display_data = [
        {"code": "echo first\necho second", "mime": "text/plain"},
        {"code": "plot pm", "mime": "image/svg+xml"},  # pm: trained in setUpClass
    ]
    code_generate_error = "train no_such_dataset as m"

    # What Ballast's cells have no counterpart for: they print nothing to stdout or stderr (the
    # output is display data), page nothing, keep no history and never clear their output.
    test_execute_stdout = None
    test_execute_stderr = None
    test_pager = None
    test_history = None
    test_clear_output = None

    @classmethod
    def setUpClass(cls) -> None:
        cls.folder = Path(tempfile.mkdtemp(prefix="ballast-conformance-"))
        cls.daemon = PrivateDaemon.at(cls.folder)
        cls.km, cls.kc = start_new_kernel(kernel_name=cls.kernel_name, startup_timeout=HANG, env=cls.daemon.env)
        # A model to plot, trained beforehand: jupyter_kernel_test wants every display_data of a
        # sample to carry its mime type, and a training's progress display carries HTML.
        prepared = cls.kc.execute_interactive(PREPARE, timeout=HANG, output_hook=lambda message: None)
        assert prepared["content"]["status"] == "ok", prepared["content"]

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.daemon.stop()
        shutil.rmtree(cls.folder, ignore_errors=True)

    def test_error_names_the_daemon_message_and_where(self) -> None:
        self.flush_channels()
        reply, outputs = self.execute_helper(self.code_generate_error)
        error = outputs[0]["content"]
        assert reply["content"]["status"] == "error"
        assert error["ename"] == "NotFound"
        assert "no_such_dataset" in error["evalue"]
        assert any(line.startswith("at line 1") for line in error["traceback"]), error["traceback"]
