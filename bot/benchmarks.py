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
    echo(f"udvej bench screen: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    model = rasa_runtime.ensure_model()
    started = time.perf_counter()
    rasa_runtime.configure_logging()
    from bot.screening import Screener  # imports rasa and TensorFlow: timed apart from the load
    from nlu.batch import screen_lines

    imported = time.perf_counter()
    agent = rasa_runtime.load_agent(model)
    rasa_runtime.parse_batch(agent, ["warm-up: the first message loads lingua and pythainlp"])
    loaded = time.perf_counter()
    echo(f"import rasa + TF:         {imported - started:8.2f} s")
    echo(f"model load (Agent.load + first message): {loaded - imported:8.2f} s   RSS now {peak_rss_mb():7.0f} MB")

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


# -- chat -------------------------------------------------------------------------

CHAT_SCRIPT = [
    "hello", "is this anonymous?", "what is this?", "what rights do I have in Denmark?",
    "I work in a restaurant, 12 hours every day and no day off", "ok", "yes", "no",
    "my boss keeps my passport and says I owe him for the flight", "thanks", "ok",
    "can I get a lawyer?", "what can you do?", "they pay me less than promised", "ok",
    "I am not sure", "yes", "bye", "hello again", "thank you",
]


class LoadResult:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0

    def summary(self) -> str:
        if not self.latencies:
            return f"no replies, {self.errors} errors"
        return (f"{len(self.latencies)} replies, p50 {percentile(self.latencies, 0.5) * 1000:6.0f} ms, "
                f"p95 {percentile(self.latencies, 0.95) * 1000:6.0f} ms, errors {self.errors}")


async def _telegram_user(api, chat_id: int, turns: int, pause: Callable[[], float], result: LoadResult,
                         deadline: float) -> None:
    for turn in range(turns):
        if time.monotonic() > deadline:
            return
        await asyncio.sleep(pause())
        before = len(api.sent[chat_id])
        started = time.monotonic()
        await api.push_text(chat_id, CHAT_SCRIPT[turn % len(CHAT_SCRIPT)])
        try:
            await api.wait_for_messages(chat_id, before + 1, timeout=15)
            result.latencies.append(time.monotonic() - started)
        except TimeoutError:
            result.errors += 1


async def _web_user(url: str, turns: int, pause: Callable[[], float], result: LoadResult, deadline: float) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.ws_connect(url + "ws") as socket:
        await socket.send_json({"type": "hello", "session": None, "language": "en"})
        await socket.receive_json()
        for turn in range(turns):
            if time.monotonic() > deadline:
                return
            await asyncio.sleep(pause())
            started = time.monotonic()
            await socket.send_json({"type": "message", "text": CHAT_SCRIPT[turn % len(CHAT_SCRIPT)],
                                    "id": f"{turn}"})
            try:
                frame = {"type": "typing"}
                while frame["type"] not in ("reply", "error"):
                    frame = await asyncio.wait_for(socket.receive_json(), 15)
            except asyncio.TimeoutError:
                result.errors += 1
                continue
            result.latencies.append(time.monotonic() - started)
            try:  # the rest of this turn's replies
                while True:
                    await asyncio.wait_for(socket.receive_json(), 0.05)
            except asyncio.TimeoutError:
                pass


async def _load(service, api, users: int, rate_per_user: float, seconds: float, web_share: float,
                seed: int) -> LoadResult:
    import random

    generator = random.Random(seed)
    result = LoadResult()
    deadline = time.monotonic() + seconds
    web_users = int(users * web_share)
    pause = lambda: generator.expovariate(rate_per_user)  # noqa: E731
    tasks = [_web_user(service.url, 20, pause, result, deadline) for _ in range(web_users)]
    tasks += [_telegram_user(api, 10_000 + seed * 1000 + i, 20, pause, result, deadline)
              for i in range(users - web_users)]
    await asyncio.gather(*tasks, return_exceptions=False)
    return result


async def _turn_costs(agent, echo: Echo) -> None:
    from rasa.core.tracker_store import InMemoryTrackerStore

    from bot.tracker_store import BoundedInMemoryTrackerStore

    for label, store in (("stock in-memory", InMemoryTrackerStore(agent.domain)),
                         ("bounded (udvej)", BoundedInMemoryTrackerStore(agent.domain))):
        original = agent.tracker_store
        agent.tracker_store = agent.processor.tracker_store = store
        costs: dict[int, list[float]] = {1: [], 100: [], 300: []}
        try:
            for turn in range(1, 306):
                started = time.perf_counter()
                await agent.handle_text(CHAT_SCRIPT[turn % len(CHAT_SCRIPT)], sender_id=f"cost-{label}")
                elapsed = (time.perf_counter() - started) * 1000
                for point in costs:
                    if point <= turn < point + 5:
                        costs[point].append(elapsed)
        finally:
            agent.tracker_store = agent.processor.tracker_store = original
        echo(f"  Rasa turn cost, {label:16}: " + "  ".join(
            f"turn {point}: {statistics.median(values):6.1f} ms" for point, values in costs.items()))


def chat_benchmark(steady_seconds: float, echo: Echo) -> None:
    from bot.fake_bot_api import FakeBotApi
    from bot.service import Service, Settings
    from bot.tracker_store import BoundedInMemoryTrackerStore

    async def run() -> None:
        agent = rasa_runtime.load_agent(tracker_store=BoundedInMemoryTrackerStore(None))
        echo(f"udvej bench chat: {os.cpu_count()} cores; service, fake Bot API and load in one process")
        echo("(c) turn cost alone (median of 5 turns):")
        await _turn_costs(agent, echo)
        api = FakeBotApi()
        await api.start()
        with tempfile.TemporaryDirectory() as scratch:
            os.environ["UDVEJ_DATA_DIR"] = scratch
            service = Service(Settings(port=0, telegram_token=api.token, telegram_base_url=api.base_url),
                              agent=agent)
            await service.start()
            try:
                steady = await _load(service, api, users=50, rate_per_user=1 / 5, seconds=steady_seconds,
                                     web_share=0.2, seed=1)
                echo(f"(a) steady, 50 users, 1 msg / 5 s each, {steady_seconds:.0f} s: {steady.summary()}")
                echo("(b) capacity (Telegram and web chat together, 20 s a step):")
                best = 0.0
                for step, rate in enumerate((20, 40, 60, 80, 100, 120)):
                    users = 100
                    result = await _load(service, api, users=users, rate_per_user=rate / users, seconds=20,
                                         web_share=0.3, seed=10 + step)
                    achieved = len(result.latencies) / 20
                    ok = result.latencies and percentile(result.latencies, 0.95) <= 1.0 and not result.errors
                    echo(f"  offered {rate:4d} msg/s -> {achieved:6.1f} msg/s: {result.summary()}"
                         f"{'' if ok else '  (p95 > 1 s or errors)'}")
                    if not ok:
                        break
                    best = achieved
                echo(f"  highest sustained with p95 <= 1 s: {best:.1f} msg/s")
            finally:
                await service.stop()
                await api.stop()

    asyncio.run(run())
