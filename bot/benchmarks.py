"""Benchmarks that print figures (speed and memory targets are checked here,
not in timed tests)."""

from __future__ import annotations

import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from bot import paths, rasa_runtime
from nlu import datafiles

Echo = Callable[[str], None]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def sample_texts() -> list[str]:
    """Realistic texts: the dev set, then the training messages."""
    texts = [e.text for f in sorted(paths.EVAL_DATA.glob("*.jsonl")) for e in datafiles.load_eval_file(f)]
    texts += [e.text for f in sorted((paths.PROJECT_ROOT / "data" / "nlu").glob("*.yml"))
              for e in datafiles.load_nlu_file(f)]
    return texts


def timed_training(echo: Echo) -> None:
    """A forced full training in a child process, into a scratch model dir."""
    with tempfile.TemporaryDirectory() as scratch:
        environment = {**os.environ, "UDVEJ_MODEL_DIR": scratch}
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot.cli", "train", "--force"], check=True,
                       env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
    echo(f"training (forced, full):  {seconds:8.1f} s   peak RSS {peak_rss_mb(resource.RUSAGE_CHILDREN):7.0f} MB")


def screen_benchmark(messages: int, with_training: bool, echo: Echo) -> None:
    from bot.screening import Screener
    from nlu.batch import screen_lines

    echo(f"udvej bench screen: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    model = rasa_runtime.ensure_model()
    started = time.perf_counter()
    rasa_runtime.configure_logging()
    import rasa.core.agent  # noqa: F401  (import cost reported apart from load)

    imported = time.perf_counter()
    agent = rasa_runtime.load_agent(model)
    loaded = time.perf_counter()
    echo(f"import rasa + TF:         {imported - started:8.2f} s")
    echo(f"model load (Agent.load):  {loaded - imported:8.2f} s   RSS now {peak_rss_mb():7.0f} MB")

    texts = sample_texts()
    latencies = []
    loop = asyncio.new_event_loop()
    for text in texts[:1000]:
        begin = time.perf_counter()
        loop.run_until_complete(agent.parse_message(text))
        latencies.append((time.perf_counter() - begin) * 1000)
    loop.close()
    echo(f"per message (Agent.parse_message, 1 by 1): p50 {percentile(latencies, 0.5):6.2f} ms  "
         f"p95 {percentile(latencies, 0.95):6.2f} ms  mean {statistics.mean(latencies):6.2f} ms "
         f"over {len(latencies)}")

    screener = Screener(agent)
    lines = [json.dumps({"id": f"m{i}", "text": texts[i % len(texts)]}, ensure_ascii=False)
             for i in range(messages)]
    begin = time.perf_counter()
    count = sum(1 for _ in screen_lines(lines, screener.screen))
    seconds = time.perf_counter() - begin
    echo(f"screen throughput:        {count / seconds:8.1f} messages/s ({count} in {seconds:.1f} s)")
    echo(f"peak RSS (this process):  {peak_rss_mb():8.0f} MB")
    if with_training:
        timed_training(echo)
