"""Telegram end to end: the real service with PTB polling a fake Bot API server
on 127.0.0.1 (reached through PTB's base URL)."""

import asyncio

import pytest

from bot.fake_bot_api import FakeBotApi
from bot.responses import default_responses
from bot.service import Service, Settings
from handoff.interface import HUMAN, QUEUED

pytestmark = pytest.mark.integration

RESPONSES = default_responses()


def first_line(key, language):
    return RESPONSES.render(key, language).text.splitlines()[0]


@pytest.fixture
async def telegram(agent, tmp_path, monkeypatch):
    monkeypatch.setenv("UDVEJ_DATA_DIR", str(tmp_path))
    api = FakeBotApi()
    await api.start()
    service = Service(Settings(port=0, telegram_token=api.token, telegram_base_url=api.base_url), agent=agent)
    await service.start()
    yield api, service
    await service.stop()
    await api.stop()


async def say(api, chat_id, text, language_code, expect=1):
    before = len(api.sent[chat_id])
    await api.push_text(chat_id, text, language_code=language_code)
    return (await api.wait_for_messages(chat_id, before + expect))[before:]


@pytest.mark.parametrize("language, chat_id, greeting, situation", [
    ("da", 101, "Hej", "Chefen har taget mit pas og siger jeg skylder ham 40.000 kr for rejsen"),
    ("ro", 102, "Bună ziua", "șeful mi-a luat pașaportul și zice că îi datorez bani pentru drum"),
    ("th", 103, "สวัสดีค่ะ", "นายจ้างยึดพาสปอร์ตของฉันและบอกว่าฉันติดหนี้ค่าเดินทาง"),
])
async def test_a_conversation_in_the_users_language(telegram, language, chat_id, greeting, situation):
    api, service = telegram
    menu = {c["command"]: c["description"] for c in api.commands[language]}
    assert set(menu) == {"start", "help", "language", "delete", "stop"}
    assert menu != {c["command"]: c["description"] for c in api.commands[None]}  # not the English default
    [welcome] = await say(api, chat_id, greeting, language)
    assert welcome.text.splitlines()[0] == first_line("utter_welcome", language)
    assert ("112" in welcome.text) and ("/delete" in welcome.text)
    assert (chat_id, "typing") in api.chat_actions
    [vanish, safety] = await say(api, chat_id, situation, language, expect=2)
    assert vanish.text == RESPONSES.render("utter_vanish_chat", language).text
    assert safety.text == RESPONSES.render("utter_ask_safe_now", language).text
    assert [b["callback_data"] for b in safety.buttons] == ["/affirm", "/deny"]
    before = len(api.sent[chat_id])
    await api.push_button(chat_id, "/affirm", language_code=language)
    [offer] = (await api.wait_for_messages(chat_id, before + 1))[before:]
    assert offer.text == RESPONSES.render("utter_offer_counsellor", language).text
    before = len(api.sent[chat_id])
    await api.push_button(chat_id, "/request_human", language_code=language)
    [queued] = (await api.wait_for_messages(chat_id, before + 1))[before:]
    assert queued.text == RESPONSES.render("utter_no_counsellor", language).text
    conversation = service.engine.conversation_id("telegram", chat_id)
    assert await service.handoff.state(conversation) == QUEUED
    [entry] = [e for e in await service.handoff.queue() if e.request.conversation_id == conversation]
    assert entry.request.priority == "high" and "document_retention" in entry.request.indicators
    assert entry.request.language == language


async def test_immediate_risk_gets_112_first_and_reaches_the_handoff(telegram):
    api, service = telegram
    await service.handoff.set_online("counsellor-1", True)
    replies = await say(api, 201, "he is beating me right now and the door is locked, please help", "en", expect=2)
    assert replies[0].text == RESPONSES.render("utter_immediate_danger", "en").text
    assert "112" in replies[0].text
    assert replies[1].text == RESPONSES.render("utter_handoff_started", "en").text
    conversation = service.engine.conversation_id("telegram", 201)
    [entry] = await service.handoff.queue()
    assert entry.request.conversation_id == conversation and entry.request.priority == "immediate"
    # A counsellor takes over: the person's words go to the handoff only, never to Rasa.
    await service.handoff.take(conversation, "counsellor-1")
    [joined] = (await api.wait_for_messages(201, 3))[2:]
    assert joined.text == RESPONSES.render("utter_counsellor_joined", "en").text
    tracker_before = await service.engine.agent.tracker_store.retrieve(conversation)
    await api.push_text(201, "I am hiding in the bathroom")
    await asyncio.sleep(0.5)
    tracker_after = await service.engine.agent.tracker_store.retrieve(conversation)
    assert len(tracker_after.events) == len(tracker_before.events)
    assert (await service.handoff.queue())[0].messages[-1] == ("person", "I am hiding in the bathroom")
    await service.handoff.reply(conversation, "counsellor-1", "I am here. Are you safe right now?")
    messages = await api.wait_for_messages(201, 4)
    assert messages[3].text == "I am here. Are you safe right now?"
    await service.handoff.release(conversation, "counsellor-1")
    messages = await api.wait_for_messages(201, 5)
    assert messages[4].text == RESPONSES.render("utter_bot_back", "en").text
    assert await service.handoff.state(conversation) not in (HUMAN, QUEUED)


@pytest.mark.parametrize("kind", ["voice", "sticker", "photo", "location", "document"])
async def test_media_get_a_polite_answer_in_the_users_language(telegram, kind):
    api, _ = telegram
    chat_id = 300 + ["voice", "sticker", "photo", "location", "document"].index(kind)
    await say(api, chat_id, "Hola, ¿este chat es anónimo?", "es")
    before = len(api.sent[chat_id])
    await api.push_media(chat_id, kind, language_code="es")
    [answer] = (await api.wait_for_messages(chat_id, before + 1))[before:]
    assert answer.text == RESPONSES.render("utter_unsupported_media", "es").text


async def test_a_group_gets_a_refusal_and_the_bot_leaves(telegram):
    api, _ = telegram
    await api.push_text(-500, "hello bot", chat_type="group")
    [refusal] = await api.wait_for_messages(-500, 1)
    assert refusal.text == RESPONSES.render("utter_group_refusal", "en").text
    for _ in range(50):
        if -500 in api.left_chats:
            break
        await asyncio.sleep(0.1)
    assert api.left_chats == [-500]


async def test_delete_wipes_both_sides_and_says_what_remains(telegram):
    api, service = telegram
    mine = await api.push_text(601, "Hello")
    await api.wait_for_messages(601, 1)
    bot_message = api.sent[601][0].message_id
    replies = await say(api, 601, "/delete", "en", expect=2)
    assert replies[0].text == RESPONSES.render("utter_deleted", "en").text
    assert replies[1].text == RESPONSES.render("utter_delete_limits", "en").text
    assert {mine, bot_message} <= set(api.deleted[601])
    conversation = service.engine.conversation_id("telegram", 601)
    assert await service.engine.agent.tracker_store.retrieve(conversation) is None


async def test_edited_message_and_flood_limit(telegram):
    api, _ = telegram
    message_id = await api.push_text(701, "Hello")
    await api.wait_for_messages(701, 1)
    await api.push_edit(701, message_id, "Hello again")
    messages = await api.wait_for_messages(701, 2)
    assert messages[1].text == RESPONSES.render("utter_edited", "en").text
    for i in range(12):
        await api.push_text(701, f"ok {i}")
    messages = await api.wait_for_messages(701, 2 + 12)
    assert any(m.text == RESPONSES.render("utter_slow_down", "en").text for m in messages)


async def test_webhook_mode_checks_the_secret_token(agent, tmp_path, monkeypatch):
    import aiohttp

    monkeypatch.setenv("UDVEJ_DATA_DIR", str(tmp_path))
    api = FakeBotApi()
    await api.start()
    service = Service(Settings(port=0, telegram_token=api.token, telegram_base_url=api.base_url,
                               webhook_url="https://example.invalid", webhook_secret="s3cret-token"), agent=agent)
    await service.start()
    try:
        update = {"update_id": 1, "message": {"message_id": 5, "date": 0, "text": "hello",
                                              "chat": {"id": 801, "type": "private"},
                                              "from": {"id": 801, "is_bot": False, "first_name": "P"}}}
        async with aiohttp.ClientSession() as session:
            url = service.url + "telegram/webhook"
            async with session.post(url, json=update) as response:
                assert response.status == 403
            async with session.post(url, data=b"{not json", headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}) as response:
                assert response.status == 400
            async with session.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}) as response:
                assert response.status == 200
        [welcome] = await api.wait_for_messages(801, 1)
        assert welcome.text == RESPONSES.render("utter_welcome", "en").text
        assert "setWebhook" in api.calls and "getUpdates" not in api.calls
    finally:
        await service.stop()
        await api.stop()
