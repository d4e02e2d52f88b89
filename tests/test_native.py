"""The mypyc-compiled restorer (setup.py, pipeline/_native.py): used only when every module
of the package is current, all of it or none, and indistinguishable from the plain Python
package in what it returns."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from ocr_damage import simulate_damage
from pipeline import _native, restore

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pipeline" / "restore"
COMPILED = _native.implementation(restore) == "compiled"
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def _plain_restore() -> types.ModuleType:
    """The restorer package loaded as plain Python under a name of its own (its own caches
    and lexicon); its modules import each other relatively, so they come along."""
    spec = importlib.util.spec_from_file_location("namnd_plain_restore", PACKAGE / "__init__.py",
                                                  submodule_search_locations=[str(PACKAGE)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_import_reports_which_implementation_it_is():
    module, why = _native.twin_status("pipeline.restore")
    assert (module is not None) == COMPILED, why
    assert why


def test_every_module_of_the_package_is_of_the_same_kind():
    want = "compiled" if COMPILED else "plain Python"
    for name in MODULES:
        module = importlib.import_module(f"pipeline.restore.{name}")
        assert _native.implementation(module) == want, name
        assert getattr(restore, name) is module  # one module under either name
        assert (_native.twin_status(f"pipeline.restore.{name}")[0] is module) == COMPILED


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


def _fake_twin(name: str, code: bytes, suffix: str = ".so") -> types.ModuleType:
    twin = types.ModuleType(name)
    twin.__file__ = f"/compiled/{name}{suffix}"
    twin._SOURCE_SHA256 = hashlib.sha256(code).hexdigest()
    return twin


def test_the_twins_are_used_only_when_every_module_is_current(tmp_path):
    sources = {"__init__": b"from .a import x\n", "a": b"x = 1\n", "b": b"y = 2\n"}
    for stem, code in sources.items():
        (tmp_path / f"{stem}.py").write_bytes(code)
    twins = {stem: _fake_twin(stem, code) for stem, code in sources.items()}

    def load(stem: str) -> types.ModuleType:
        if stem not in twins:
            raise ImportError(stem)
        return twins[stem]

    assert _native.stale_twins(tmp_path, load) is None
    (tmp_path / "b.py").write_bytes(b"y = 3\n")  # one module edited: none is used
    assert _native.stale_twins(tmp_path, load).startswith(f"stale: {tmp_path.name}/b.py changed")
    (tmp_path / "b.py").write_bytes(sources["b"])
    (tmp_path / "c.py").write_bytes(b"z = 4\n")  # a module the compiled package lacks
    assert _native.stale_twins(tmp_path, load).startswith(f"stale: {tmp_path.name}/c.py is not")
    (tmp_path / "c.py").unlink()
    twins["a"] = _fake_twin("a", sources["a"], suffix=".py")  # the generated copy, not compiled
    assert _native.stale_twins(tmp_path, load).startswith("not compiled")


@pytest.mark.skipif(not COMPILED, reason="the restorer is not compiled in this install")
def test_an_edited_module_makes_the_whole_package_plain(tmp_path):
    """In a copy of the installed tree with one module of the restorer edited, every module
    of it runs as plain Python, with a warning that names the module."""
    tree = tmp_path / "pipeline"
    tree.mkdir()
    for item in (ROOT / "pipeline").iterdir():
        if item.name == "restore":  # the sources: a copy, to edit
            shutil.copytree(item, tree / item.name, ignore=shutil.ignore_patterns("__pycache__"))
        elif item.name == "_native.py":  # it finds the sources beside itself: a copy
            shutil.copy2(item, tree / item.name)
        else:
            os.symlink(item, tree / item.name)
    with open(tree / "restore" / "priors.py", "a", encoding="utf-8") as f:
        f.write("# edited\n")
    probe = ("import warnings; warnings.simplefilter('always')\n"
             "from pipeline import restore, _native\n"
             "from pipeline.restore import fills\n"
             "print(_native.implementation(restore), '/', _native.implementation(fills), '/', restore.__file__)\n")
    env = {k: v for k, v in os.environ.items() if k != "NAMND_PURE_PYTHON"}
    env["PYTHONPATH"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True,
                         cwd=tmp_path)
    assert out.stdout.startswith("plain Python / plain Python / ")
    assert str(tree / "restore" / "__init__.py") in out.stdout
    assert "restore/priors.py changed since it was compiled" in out.stderr
    probe = "from pipeline import _native; print(_native.twin_status('pipeline.restore.words'))"
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True,
                         cwd=tmp_path)
    assert "(None, 'stale: restore/priors.py changed" in out.stdout


def test_pure_python_can_be_asked_for(monkeypatch):
    monkeypatch.setenv("NAMND_PURE_PYTHON", "1")
    module, why = _native.twin_status("pipeline.restore")
    assert module is None and "NAMND_PURE_PYTHON" in why
    env = dict(os.environ, NAMND_PURE_PYTHON="1")
    out = subprocess.run(
        [sys.executable, "-c",
         "from pipeline import restore, _native; from pipeline.restore import decoder;"
         "print(_native.implementation(restore), '/', _native.implementation(decoder))"],
        env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "plain Python / plain Python"


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


def test_an_install_with_a_c_compiler_has_the_compiled_restorer():
    """mypyc is a build requirement and the build is optional only for machines without a
    C compiler: where one is there, a restorer left as plain Python means mypyc refused the
    package (a type error), which would otherwise pass unnoticed, only slower."""
    import sysconfig

    if _native.pure_python_requested():
        pytest.skip("NAMND_PURE_PYTHON is set")
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler})")
    module, why = _native.twin_status("pipeline.restore")
    assert COMPILED and module is not None, why
