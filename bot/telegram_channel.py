"""The Telegram channel (python-telegram-bot 22), run inside udvej's own loop.

Private chats only. The person's Telegram id never leaves this module except as
an HMAC pseudonym; chat ids and message ids (needed to answer and to wipe the
chat on /delete) are kept in memory only, so a restart forgets them.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from typing import Any, Optional

import yaml
from aiohttp import web
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot import paths
from bot.conversation import COMMANDS, ConversationEngine, Reply, Turn

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
#: Bots may delete messages in private chats while they are younger than 48 hours.
DELETABLE_SECONDS = 48 * 3600 - 60
#: Message ids remembered per chat for /delete.
REMEMBERED_MESSAGES = 2000
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
COMMAND_MENUS = paths.PROJECT_ROOT / "data" / "telegram_commands.yml"
UNSUPPORTED = (filters.VOICE | filters.AUDIO | filters.PHOTO | filters.Sticker.ALL | filters.LOCATION
               | filters.VENUE | filters.VIDEO | filters.VIDEO_NOTE | filters.Document.ALL | filters.CONTACT
               | filters.ANIMATION | filters.POLL | filters.Dice.ALL)


def keyboard(reply: Reply) -> Optional[InlineKeyboardMarkup]:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.title, callback_data=b.payload)] for b in reply.buttons])


class TelegramChannel:
    def __init__(self, engine: ConversationEngine, application: Application) -> None:
        self.engine = engine
        self.application = application
        self._chat_of: dict[str, int] = {}
        self._messages: dict[int, deque[tuple[int, float]]] = defaultdict(lambda: deque(maxlen=REMEMBERED_MESSAGES))
        engine.register_channel(CHANNEL, self.deliver)

    # -- handlers -------------------------------------------------------------------
    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        await self._turn(update, context, message.text or "")

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        if query.message is not None:
            try:
                await query.edit_message_reply_markup(reply_markup=None)
            except TelegramError:
                pass  # the message may be gone (deleted, or too old to edit)
        await self._turn(update, context, query.data or "")

    async def on_unsupported(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Voice, photos, stickers, files...: never downloaded, never stored."""
        self._remember(update.effective_chat.id, update.effective_message.message_id)
        user = update.effective_user
        turn = await self.engine.handle_unsupported(CHANNEL, user.id, user.language_code)
        await self._send(update.effective_chat.id, turn)

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        conversation_id = self.engine.conversation_id(CHANNEL, user.id)
        reply = await self.engine.render("utter_edited", conversation_id, user.language_code)
        await self._send(update.effective_chat.id, Turn([reply]))

    async def on_group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Groups and channels: a polite refusal, then leave. Nothing is read or kept."""
        chat = update.effective_chat
        user = update.effective_user
        reply = self.engine.responses.render("utter_group_refusal", user.language_code if user else None)
        try:
            await context.bot.send_message(chat.id, reply.text)
        finally:
            await context.bot.leave_chat(chat.id)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the error's type only: never the update, which holds the person's words and id."""
        logger.error("Telegram handler failed: %s", type(context.error).__name__)
        if isinstance(update, Update) and update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
            reply = self.engine.responses.render("utter_error", None)
            try:
                await context.bot.send_message(update.effective_chat.id, reply.text)
            except TelegramError:
                pass

    # -- the turn ---------------------------------------------------------------------
    async def _turn(self, update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
        chat = update.effective_chat
        user = update.effective_user
        if update.effective_message is not None and update.callback_query is None:
            self._remember(chat.id, update.effective_message.message_id)
        self._chat_of[self.engine.conversation_id(CHANNEL, user.id)] = chat.id
        await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
        turn = await self.engine.handle_message(CHANNEL, user.id, text, user.language_code)
        await self._send(chat.id, turn)

    async def _send(self, chat_id: int, turn: Turn) -> None:
        if turn.deleted:
            await self._wipe(chat_id)
            limits = self.engine.responses.render("utter_delete_limits", turn.language)
            turn.replies.append(Reply(limits.text, limits.buttons, limits.key))
        for reply in turn.replies:
            sent = await self.application.bot.send_message(chat_id, reply.text, reply_markup=keyboard(reply))
            if not turn.deleted:
                self._remember(chat_id, sent.message_id)

    async def _wipe(self, chat_id: int) -> None:
        """Delete both sides of the chat as far as Telegram allows (under 48 hours)."""
        now = time.time()
        remembered = self._messages.pop(chat_id, deque())
        deletable = [message_id for message_id, sent in remembered if now - sent < DELETABLE_SECONDS]
        for start in range(0, len(deletable), 100):
            try:
                await self.application.bot.delete_messages(chat_id, deletable[start:start + 100])
            except TelegramError as error:
                logger.warning("deleting chat messages failed: %s", type(error).__name__)

    def _remember(self, chat_id: int, message_id: int) -> None:
        self._messages[chat_id].append((message_id, time.time()))

    async def deliver(self, conversation_id: str, replies: list[Reply]) -> None:
        chat_id = self._chat_of.get(conversation_id)
        if chat_id is None:
            raise LookupError("no live Telegram chat for this conversation (restarted?)")
        await self._send(chat_id, Turn(replies))

    # -- set-up -----------------------------------------------------------------------
    def add_handlers(self) -> None:
        app = self.application
        private = filters.ChatType.PRIVATE
        app.add_handler(MessageHandler(filters.ChatType.GROUPS | filters.ChatType.CHANNEL, self.on_group))
        app.add_handler(MessageHandler(private & filters.UpdateType.EDITED, self.on_edited))
        app.add_handler(CommandHandler(list(COMMANDS), self.on_text, filters=private & filters.UpdateType.MESSAGE))
        app.add_handler(MessageHandler(private & filters.UpdateType.MESSAGE & filters.TEXT, self.on_text))
        app.add_handler(MessageHandler(private & UNSUPPORTED, self.on_unsupported))
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_error_handler(self.on_error)

    async def register_commands(self) -> None:
        """The command menu in each of our languages (English for the rest)."""
        bot = self.application.bot
        for language, descriptions in command_menus().items():
            commands = [BotCommand(name, descriptions[name]) for name in COMMANDS]
            await bot.set_my_commands(commands, language_code=language)
            if language == "en":
                await bot.set_my_commands(commands)


def command_menus() -> dict[str, dict[str, str]]:
    return yaml.safe_load(COMMAND_MENUS.read_text(encoding="utf-8"))


def build_application(token: str, engine: ConversationEngine, base_url: Optional[str] = None,
                      webhook: bool = False) -> tuple[Application, TelegramChannel]:
    """The PTB application and our channel on it (polling unless ``webhook``)."""
    builder = Application.builder().token(token)
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_url.replace("/bot", "/file/bot"))
    if webhook:
        builder = builder.updater(None)
    application = builder.build()
    channel = TelegramChannel(engine, application)
    channel.add_handlers()
    return application, channel


def webhook_route(application: Application, secret: str):
    """An aiohttp handler that checks Telegram's secret header, then queues the update."""
    async def receive(request: web.Request) -> web.Response:
        if request.headers.get(SECRET_HEADER) != secret:
            return web.Response(status=403, text="forbidden")
        try:
            data: Any = await request.json()
            update = Update.de_json(data, application.bot)
        except (ValueError, KeyError, TypeError):
            return web.Response(status=400, text="not a Telegram update")
        await application.update_queue.put(update)
        return web.Response(text="ok")

    return receive
