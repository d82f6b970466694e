"""``udvej run``: web chat, Telegram and the handoff relay in one asyncio loop."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
from dataclasses import dataclass
from typing import Callable, Optional

from aiohttp import web

from bot import paths, rasa_runtime
from bot.conversation import ConversationEngine
from bot.pseudonyms import Pseudonymizer
from bot.webchat import WebChat
from handoff.interface import Handoff
from handoff.memory import InMemoryHandoff

logger = logging.getLogger(__name__)

DEFAULT_PORT = 8080
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


@dataclass
class Settings:
    """Everything ``udvej run`` reads from the environment or its options."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    telegram_token: Optional[str] = None
    telegram_base_url: Optional[str] = None
    webhook_url: Optional[str] = None  # public https URL; polling when unset
    webhook_secret: Optional[str] = None

    @classmethod
    def from_environment(cls, port: Optional[int] = None) -> "Settings":
        return cls(
            port=port or int(os.environ.get("UDVEJ_PORT", DEFAULT_PORT)),
            telegram_token=os.environ.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_base_url=os.environ.get("TELEGRAM_BASE_URL") or None,
            webhook_url=os.environ.get("TELEGRAM_WEBHOOK_URL") or None,
            webhook_secret=os.environ.get("TELEGRAM_WEBHOOK_SECRET") or None,
        )


class Service:
    """Start and stop udvej's parts together; tests and benchmarks use it too."""

    def __init__(self, settings: Settings, agent: object = None, handoff: Optional[Handoff] = None) -> None:
        self.settings = settings
        self._agent = agent
        self.handoff = handoff or InMemoryHandoff()
        self.engine: Optional[ConversationEngine] = None
        self.telegram = None
        self._runner: Optional[web.AppRunner] = None
        self._relay: Optional[asyncio.Task] = None
        self.url = ""

    async def start(self) -> None:
        from bot.tracker_store import BoundedInMemoryTrackerStore

        agent = self._agent or rasa_runtime.load_agent(tracker_store=BoundedInMemoryTrackerStore(None))
        keys = paths.data_dir() / "keys"
        keys.mkdir(mode=0o700, exist_ok=True)
        self.engine = ConversationEngine(agent, self.handoff, Pseudonymizer.from_data_dir(keys))
        app = web.Application(client_max_size=256 * 1024)
        WebChat(self.engine).routes(app)
        if self.settings.telegram_token:
            await self._start_telegram(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.host, self.settings.port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://{self.settings.host}:{port}/"
        self._relay = asyncio.create_task(self.engine.relay_outbox())

    async def _start_telegram(self, app: web.Application) -> None:
        from bot.telegram_channel import WEBHOOK_PATH, build_application, webhook_route

        settings = self.settings
        webhook = bool(settings.webhook_url)
        application, channel = build_application(settings.telegram_token, self.engine,
                                                  settings.telegram_base_url, webhook)
        await application.initialize()
        await channel.register_commands()
        await application.start()
        if webhook:
            secret = settings.webhook_secret or secrets.token_urlsafe(32)
            app.router.add_post(WEBHOOK_PATH, webhook_route(application, secret))
            await application.bot.set_webhook(settings.webhook_url.rstrip("/") + WEBHOOK_PATH,
                                              secret_token=secret, allowed_updates=ALLOWED_UPDATES)
        else:
            await application.updater.start_polling(poll_interval=0.0, timeout=10,
                                                    allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        self.telegram = application

    async def stop(self) -> None:
        if self._relay:
            self._relay.cancel()
        if self.telegram is not None:
            if self.telegram.updater and self.telegram.updater.running:
                await self.telegram.updater.stop()
            await self.telegram.stop()
            await self.telegram.shutdown()
        if self._runner:
            await self._runner.cleanup()

    def banner(self) -> str:
        lines = ["udvej is running.", f"  web chat:  {self.url}"]
        if self.telegram is not None:
            mode = "webhook" if self.settings.webhook_url else "long polling"
            lines.append(f"  telegram:  @{self.telegram.bot.username} ({mode})")
        else:
            lines.append("  telegram:  off (set TELEGRAM_BOT_TOKEN to enable)")
        lines.append(f"  data dir:  {paths.data_dir()}")
        lines.append("Press Ctrl-C to stop.")
        return "\n".join(lines)


async def run(settings: Settings, echo: Callable[[str], None]) -> None:
    """Run until SIGINT or SIGTERM, then shut every part down cleanly."""
    service = Service(settings)
    await service.start()
    echo(service.banner())
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    try:
        await stopping.wait()
    finally:
        echo("Stopping udvej...")
        await service.stop()
