"""Web chat end to end: the real service on 127.0.0.1, driven by headless
Chromium (Debian's package) through Playwright; and its WebSocket's answers to
bad input."""

import json
import shutil

import aiohttp
import pytest

from bot.responses import default_responses
from bot.service import Service, Settings

pytestmark = pytest.mark.integration

RESPONSES = default_responses()
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
async def service(agent, tmp_path, monkeypatch):
    monkeypatch.setenv("UDVEJ_DATA_DIR", str(tmp_path))
    running = Service(Settings(port=0), agent=agent)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


async def test_send_receive_button_and_quick_exit(service, browser):
    page = await browser.new_page(locale="en-US")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    await page.goto(service.url)
    assert await page.title() == "Chat"
    await page.fill("#text", "Hello")
    await page.press("#text", "Enter")
    welcome = RESPONSES.render("utter_welcome", "en").text.splitlines()[0]
    await page.wait_for_selector(f".msg.bot >> text={welcome}", timeout=20000)
    await page.fill("#text", "my boss took my passport and says I owe him money for the trip")
    await page.click("#send")
    await page.wait_for_selector(".buttons button", timeout=20000)
    assert await page.locator(".msg.bot").last.inner_text() == RESPONSES.render("utter_ask_safe_now", "en").text
    await page.click(".buttons button >> nth=0")
    offer = RESPONSES.render("utter_offer_counsellor", "en").text.splitlines()[0]
    await page.wait_for_selector(f".msg.bot >> text={offer}", timeout=20000)
    await page.click("#exit")
    await page.wait_for_url("**/exit")
    assert await page.title() == "Weather"
    assert await page.evaluate("sessionStorage.length") == 0
    assert all(url.startswith(service.url.rstrip("/")) or url.startswith("ws://127.0.0.1") for url in requests)
    await page.close()


async def test_page_is_mobile_friendly_and_self_contained(service):
    async with aiohttp.ClientSession() as session:
        async with session.get(service.url) as response:
            html = await response.text()
            assert "width=device-width" in html
            assert "default-src 'none'" in response.headers["Content-Security-Policy"]
            assert response.headers["Referrer-Policy"] == "no-referrer"
            assert "http://" not in html and "https://" not in html


async def test_bad_frames_get_clear_errors_and_the_chat_goes_on(service):
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(service.url + "ws") as socket:
            await socket.send_json({"type": "hello", "session": None, "language": "en"})
            assert (await socket.receive_json())["type"] == "session"
            await socket.send_str("{not json")
            assert (await socket.receive_json())["type"] == "error"
            await socket.send_bytes(b"\x00\x01\x02")
            assert "text" in (await socket.receive_json())["text"]
            await socket.send_str(json.dumps({"type": "message", "text": "x" * 50_000}))
            assert "too long" in (await socket.receive_json())["text"]
            await socket.send_json({"type": "message", "text": 42, "id": "a"})
            assert (await socket.receive_json())["type"] == "error"
            frame = {"type": "message", "text": "<script>alert(1)</script>'; DROP TABLE t; --", "id": "b"}
            await socket.send_json(frame)
            replies = [await socket.receive_json() for _ in range(2)]
            assert replies[0]["type"] == "typing" and replies[1]["type"] == "reply"
            await socket.send_json(frame)
            assert (await socket.receive_json())["text"] == "That message was already received."
            for index, odd in enumerate(["/", "/ ", "/nonsense{", "\u0000\u0007", "🙏🙏🙏"]):
                await socket.send_json({"type": "message", "text": odd, "id": f"odd{index}"})
                assert (await socket.receive_json())["type"] == "typing"
                assert (await socket.receive_json())["type"] == "reply"
            await socket.send_json({"type": "message", "text": "is this anonymous?", "id": "c"})
            replies = [await socket.receive_json() for _ in range(2)]
            assert replies[1]["text"] == RESPONSES.render("utter_anonymity", "en").text
            await socket.send_json({"type": "message", "text": "/delete", "id": "d"})
            frames = [await socket.receive_json() for _ in range(4)]
            assert [f["type"] for f in frames] == ["typing", "deleted", "reply", "session"]
            assert frames[2]["text"] == RESPONSES.render("utter_deleted", "en").text
