"""No message text or user id reaches stdout, stderr or the logs."""

import logging
import subprocess
import sys

import pytest

from bot.pseudonyms import Pseudonymizer

SECRET = "Qwzxvb my boss Jrnkq took my passport, my name is Plmokn"
TELEGRAM_ID = "987654321"


def test_pseudonyms_are_stable_keyed_and_do_not_contain_the_id(tmp_path):
    first = Pseudonymizer.from_data_dir(tmp_path)
    again = Pseudonymizer.from_data_dir(tmp_path)
    assert first("telegram", TELEGRAM_ID) == again("telegram", TELEGRAM_ID)
    assert TELEGRAM_ID not in first("telegram", TELEGRAM_ID)
    assert first("telegram", TELEGRAM_ID) != first("web", TELEGRAM_ID)
    other = tmp_path / "other"
    other.mkdir()
    assert Pseudonymizer.from_data_dir(other)("telegram", TELEGRAM_ID) != first("telegram", TELEGRAM_ID)
    assert (tmp_path / "pseudonym.key").stat().st_mode & 0o077 == 0


@pytest.mark.integration
def test_a_chat_turn_logs_neither_text_nor_id(agent, capfd, caplog):
    caplog.set_level(logging.DEBUG)
    sender = Pseudonymizer(b"k" * 32)("telegram", TELEGRAM_ID)
    import asyncio

    replies = asyncio.run(agent.handle_text(SECRET, sender_id=sender))
    assert replies is not None
    captured = capfd.readouterr()
    for output in (captured.out, captured.err, caplog.text):
        for marker in ("Qwzxvb", "Jrnkq", "Plmokn", TELEGRAM_ID):
            assert marker not in output


@pytest.mark.integration
def test_the_shell_prints_screening_not_the_message(trained_model):
    completed = subprocess.run([sys.executable, "-m", "bot.cli", "shell"], input=SECRET + "\n",
                               capture_output=True, text=True, timeout=600,
                               env={**__import__("os").environ, "LOG_LEVEL": "DEBUG"})
    assert completed.returncode == 0
    assert "document_retention" in completed.stdout
    # The shell shows the trigger words by design, never the message; the logs show neither.
    assert SECRET not in completed.stdout
    for marker in ("Qwzxvb", "Jrnkq", "Plmokn"):
        assert marker not in completed.stderr
