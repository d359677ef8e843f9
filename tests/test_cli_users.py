"""`intl-metrics users ...` on each backend: accounts made, changed and refused from the
command line, each change in the audit under the name of who made it."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
import sqlalchemy as sa

from intl_metrics.cli import main
from intl_metrics.store import open_store, users

PASSWORD = "a long enough password"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _stdin(monkeypatch, text: str, tty: bool = False) -> None:
    monkeypatch.setattr(sys, "stdin", (_Terminal if tty else io.StringIO)(text))


def _audit(url: str) -> list[tuple[str, str, str | None]]:
    with open_store(url).read() as conn:
        return [
            (r[0], r[1], r[2])
            for r in conn.execute(
                sa.text("SELECT who, field, note FROM audit WHERE action = 'users' ORDER BY id")
            )
        ]


def test_users_add_reads_the_password_from_stdin_and_the_account_logs_in(
    store_url, monkeypatch, capsys
):
    _stdin(monkeypatch, PASSWORD + "\n")
    args = ["users", "add", "ann", "--role", "editor", "--password-stdin", "--db", store_url]
    assert main([*args, "--user", "carla"]) == 0
    assert capsys.readouterr().out.strip() == "added ann (editor)"
    store = open_store(store_url)
    assert users.log_in(store, "ann", PASSWORD).user.role == "editor"
    assert _audit(store_url) == [("carla", "user", "added")]
    with store.read() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_users_add_asks_twice_on_a_terminal_and_refuses_two_different_passwords(
    store_url, monkeypatch, capsys
):
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    _stdin(monkeypatch, "", tty=True)
    assert main(["users", "add", "ann", "--role", "admin", "--db", store_url]) == 2
    assert "the two passwords differ: nothing was changed" in capsys.readouterr().err
    assert users.list_users(open_store(store_url)) == []

    prompts = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": prompts.append(prompt) or PASSWORD)
    assert main(["users", "add", "ann", "--role", "admin", "--db", store_url]) == 0
    assert prompts == ["New password for ann: ", "The password again: "]
    assert [(u.name, u.role) for u in users.list_users(open_store(store_url))] == [("ann", "admin")]

    # a taken name is said before a password is asked for
    monkeypatch.setattr("getpass.getpass", lambda prompt="": pytest.fail("asked for a password"))
    assert main(["users", "add", "ann", "--role", "editor", "--db", store_url]) == 1
    assert "the user 'ann' exists already: nothing was changed" in capsys.readouterr().err


def test_without_a_terminal_the_password_must_come_on_stdin(store_url, monkeypatch, capsys):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": pytest.fail("asked for a password"))
    _stdin(monkeypatch, PASSWORD + "\n")  # piped, but --password-stdin not given
    assert main(["users", "add", "ann", "--role", "editor", "--db", store_url]) == 2
    assert "--password-stdin" in capsys.readouterr().err
    _stdin(monkeypatch, "")
    assert main(["users", "add", "ann", "--role", "editor", "--password-stdin",
                 "--db", store_url]) == 2  # fmt: skip
    assert "stdin is empty" in capsys.readouterr().err
    assert users.list_users(open_store(store_url)) == []


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["add", "bob", "--role", "editor"], "short", "at least 10 characters"),
        (["add", "ann smith", "--role", "editor"], PASSWORD, "is not"),
        (["add", "ann", "--role", "editor"], PASSWORD, "exists already"),  # ann exists
        (["passwd", "bob"], PASSWORD, "there is no user 'bob'"),
        (["disable", "bob"], None, "there is no user 'bob'"),
        (["role", "ann", "editor"], None, "ann is editor already"),
        (["disable", "root"], None, "the last enabled admin cannot be disabled"),
        (["role", "root", "editor"], None, "the last enabled admin cannot be made an editor"),
    ],
)
def test_refusals_name_the_problem_exit_1_and_change_nothing(
    store_url, monkeypatch, capsys, args, password, message
):
    store = open_store(store_url)
    users.add_user(store, "setup", "root", "admin", PASSWORD)
    users.add_user(store, "setup", "ann", "editor", PASSWORD)
    before = (store.revision(), users.list_users(store), _audit(store_url))
    extra = []
    if password is not None:
        _stdin(monkeypatch, password + "\n")
        extra = ["--password-stdin"]
    assert main(["users", *args, *extra, "--db", store_url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("intl-metrics: ") and message in err and "nothing was changed" in err
    assert (store.revision(), users.list_users(store), _audit(store_url)) == before


def test_passwd_disable_enable_role_and_list(store_url, monkeypatch, capsys):
    store = open_store(store_url)
    users.add_user(store, "setup", "root", "admin", PASSWORD)
    users.add_user(store, "setup", "ann", "editor", PASSWORD)
    session = users.log_in(store, "ann", PASSWORD).token
    new = "another long password"
    _stdin(monkeypatch, new + "\r\n")  # a Windows line end is not part of the password
    assert main(["users", "passwd", "ann", "--password-stdin", "--db", store_url,
                 "--user", "root"]) == 0  # fmt: skip
    assert users.session_user(store, session) is None  # a new password ends every session
    assert users.log_in(store, "ann", PASSWORD).refusal == "wrong"
    session = users.log_in(store, "ann", new).token
    assert session

    assert main(["users", "disable", "ann", "--db", store_url, "--user", "root"]) == 0
    assert users.session_user(store, session) is None
    assert users.log_in(store, "ann", new).refusal == "wrong"
    assert main(["users", "enable", "ann", "--db", store_url, "--user", "root"]) == 0
    assert main(["users", "role", "ann", "admin", "--db", store_url, "--user", "root"]) == 0
    assert users.log_in(store, "ann", new).user.role == "admin"
    capsys.readouterr()

    assert main(["users", "list", "--db", store_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["NAME", "ROLE", "STATUS", "CREATED", "BY", "LAST", "LOGIN"]
    assert [line.split()[:3] for line in out[1:]] == [
        ["ann", "admin", "enabled"],
        ["root", "admin", "enabled"],
    ]
    assert out[2].endswith("never") and PASSWORD not in "\n".join(out)
    assert [(who, field) for who, field, _ in _audit(store_url)][2:] == [
        ("root", "password"),
        ("root", "disabled"),
        ("root", "disabled"),
        ("root", "role"),
    ]
    with store.read() as conn:
        role = conn.execute(sa.text("SELECT old, new FROM audit WHERE field = 'role'")).one()
    assert [json.loads(v)["role"] for v in role] == ["editor", "admin"]


def test_an_unknown_role_is_bad_usage(store_url, capsys):
    with pytest.raises(SystemExit) as done:
        main(["users", "add", "ann", "--role", "viewer", "--db", store_url])
    assert done.value.code == 2
    assert "invalid choice: 'viewer'" in capsys.readouterr().err


def test_a_script_makes_an_account_through_the_installed_command(store_url, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "intl_metrics.cli", "users", "add", "robot-1", "--role",
         "editor", "--password-stdin", "--db", store_url, "--user", "deploy"],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "added robot-1 (editor)"
    assert users.log_in(open_store(store_url), "robot-1", PASSWORD).token
    assert _audit(store_url) == [("deploy", "user", "added")]


def test_users_explains_itself(capsys):
    for args in (["users", "--help"], ["users", "add", "--help"]):
        with pytest.raises(SystemExit) as done:
            main(args)
        assert done.value.code == 0
    text = capsys.readouterr().out
    assert "--password-stdin" in text and "INTL_METRICS_DB" in text and "exit status" in text
