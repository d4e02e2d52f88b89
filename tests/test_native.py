"""The mypyc-compiled restorer (setup.py, pipeline/_native.py): used only when current,
and indistinguishable from the plain Python module in what it returns."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from ocr_damage import simulate_damage
from pipeline import _native, restore

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "pipeline" / "restore.py"
COMPILED = _native.implementation(restore) == "compiled"


def _plain_restore() -> types.ModuleType:
    """restore.py loaded as plain Python under a name of its own (its own caches and lexicon)."""
    spec = importlib.util.spec_from_file_location("namnd_plain_restore", SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_import_reports_which_implementation_it_is():
    module, why = _native.twin_status("pipeline.restore")
    assert (module is not None) == COMPILED, why
    assert why


@pytest.mark.skipif(not COMPILED, reason="the restorer is not compiled in this install")
def test_compiled_restorer_returns_what_the_plain_one_returns():
    plain = _plain_restore()
    assert _native.implementation(plain) == "plain Python"
    texts = [
        (ROOT / "corpus" / "004_fbc38fc54b4e3b7b.txt").read_text(encoding="utf-8"),
        "Nämnden beslutade att godkänna rapporten om samverkan med polisen i Järva.\n",
    ]
    own = (ROOT / "tests" / "data" / "restore_clean_sv.txt").read_text(encoding="utf-8")
    texts += [simulate_damage(own, rate, seed=7) for rate in (0.05, 0.2)]
    for text in texts:
        assert restore.restore_edits(text) == plain.restore_edits(text)
        assert restore.damage_score(text) == plain.damage_score(text)


def test_a_twin_made_from_other_source_is_not_used(tmp_path):
    source = tmp_path / "restore.py"
    source.write_text("x = 1\n", encoding="utf-8")
    twin = types.ModuleType("pipeline._restore_native")
    twin.__file__ = str(tmp_path / "_restore_native.so")
    twin._SOURCE_SHA256 = hashlib.sha256(b"x = 2\n").hexdigest()
    assert not _native.made_from(twin, source)
    twin._SOURCE_SHA256 = hashlib.sha256(b"x = 1\n").hexdigest()
    assert _native.made_from(twin, source)
    twin._SOURCE_SHA256 = None
    assert not _native.made_from(twin, source)


def test_pure_python_can_be_asked_for(monkeypatch):
    monkeypatch.setenv("NAMND_PURE_PYTHON", "1")
    module, why = _native.twin_status("pipeline.restore")
    assert module is None and "NAMND_PURE_PYTHON" in why
    env = dict(os.environ, NAMND_PURE_PYTHON="1")
    out = subprocess.run(
        [sys.executable, "-c",
         "from pipeline import restore, _native; print(_native.implementation(restore))"],
        env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "plain Python"


def test_modules_without_a_twin_are_left_to_the_import_system():
    assert _native.twin_status("pipeline.segment")[0] is None
    assert _native._TwinFinder().find_spec("pipeline.segment") is None


def test_version_says_whether_the_restorer_is_compiled(monkeypatch):
    from click.testing import CliRunner

    from pipeline.cli import main

    out = CliRunner().invoke(main, ["--version"])
    assert out.exit_code == 0
    assert out.output.splitlines()[0].startswith("namnd, version ")
    expected = "compiled" if COMPILED else "plain Python"
    assert f"lost-letter restorer: {expected} (" in out.output
    decoder = "C" if _native.c_decoder_status()[0] is not None else "Python"
    assert f"its decoder: {decoder} (" in out.output
    monkeypatch.setenv("NAMND_PURE_PYTHON", "1")
    out = CliRunner().invoke(main, ["--version"])
    assert "lost-letter restorer: plain Python (NAMND_PURE_PYTHON is set)" in out.output
    assert "its decoder: Python (NAMND_PURE_PYTHON is set)" in out.output
