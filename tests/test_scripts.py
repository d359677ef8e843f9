"""The README's commands: the set-up they share does not reinstall when nothing changed."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from checkout import ROOT

STAMP = ROOT / ".venv" / ".intl-metrics-setup"


@pytest.mark.skipif(not STAMP.exists(), reason="the checkout was not set up by scripts/setup.sh")
def test_setting_up_again_with_nothing_changed_installs_nothing():
    # the test command set up this checkout just now: the dashboard's set-up finds it done
    env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}"}
    for extras in ([], ["--dev"]):
        done = subprocess.run(
            ["bash", "scripts/setup.sh", *extras],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "is installed and up to date" in done.stdout
        assert "installing intl-metrics" not in done.stdout


def test_the_install_runs_again_only_when_the_project_changed(tmp_path):
    """In a copy of the checkout whose .venv/bin/python only records how it was called."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    calls = tmp_path / "calls.log"
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\necho "$*" >> {calls}\n', encoding="utf-8")
    python.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    (tmp_path / "chromium").write_text("#!/bin/sh\n", encoding="utf-8")  # no apt-get here
    (tmp_path / "chromium").chmod(0o755)

    def installs() -> int:
        subprocess.run(["bash", "scripts/setup.sh"], cwd=tmp_path, env=env, check=True,
                       capture_output=True)  # fmt: skip
        text = calls.read_text(encoding="utf-8") if calls.exists() else ""
        calls.unlink(missing_ok=True)
        return text.count("install -q --disable-pip-version-check -e")

    assert installs() == 1  # a new checkout
    assert installs() == 0  # nothing changed: no pip at all
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'y'\n", encoding="utf-8")
    assert installs() == 1  # a dependency may have changed
    assert installs() == 0
