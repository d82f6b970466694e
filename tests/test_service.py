"""`udvej run` as a person starts it: from any directory, a banner with the URL,
the web chat answering, a clean stop on SIGTERM, state only in the data dir."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from bot import paths

pytestmark = pytest.mark.integration


def test_run_serves_the_web_chat_and_stops_cleanly(tmp_path, trained_model):
    data = tmp_path / "state"
    environment = {**os.environ, "UDVEJ_DATA_DIR": str(data), "PYTHONPATH": str(paths.PROJECT_ROOT)}
    environment.pop("TELEGRAM_BOT_TOKEN", None)
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run", "--port", "0"], cwd=tmp_path,
                               env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url, deadline, banner = None, time.monotonic() + 180, ""
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            banner += line
            found = re.search(r"web chat:\s+(http://127\.0\.0\.1:\d+/)", line)
            url = found.group(1) if found else None
            assert process.poll() is None, process.stderr.read()[-2000:]
        assert url, banner
        assert "telegram:  off" in process.stdout.readline()
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200 and b"<title>Chat</title>" in response.read()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err[-2000:]
        assert "Stopping udvej" in out
        assert (data / "keys" / "pseudonym.key").exists()
        assert (data.stat().st_mode & 0o077) == 0
    finally:
        if process.poll() is None:
            process.kill()
