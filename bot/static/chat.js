// udvej web chat: one WebSocket, no external assets, nothing kept after the tab closes.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var status = document.getElementById("status");
  var socket = null;
  var counter = 0;

  function quickExit() {
    try { sessionStorage.clear(); } catch (e) {}
    if (socket) { socket.onclose = null; socket.close(); }
    document.body.innerHTML = "";
    location.replace("/exit");
  }
  document.getElementById("exit").addEventListener("click", quickExit);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") quickExit(); });

  function add(text, who) {
    var bubble = document.createElement("div");
    bubble.className = "msg " + who;
    bubble.textContent = text;  // never innerHTML: messages are text
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
    return bubble;
  }

  function addButtons(buttons) {
    var row = document.createElement("div");
    row.className = "buttons";
    buttons.forEach(function (button) {
      var element = document.createElement("button");
      element.type = "button";
      element.textContent = button.title;
      element.addEventListener("click", function () {
        row.remove();
        add(button.title, "me");
        send({ type: "button", payload: button.payload });
      });
      row.appendChild(element);
    });
    log.appendChild(row);
    log.scrollTop = log.scrollHeight;
  }

  function send(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) { status.textContent = "Reconnecting…"; return; }
    frame.id = Date.now().toString(36) + "-" + (counter++);
    socket.send(JSON.stringify(frame));
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws");
    socket.onopen = function () {
      status.textContent = "";
      socket.send(JSON.stringify({ type: "hello", session: sessionStorage.getItem("udvej-session"),
                                   language: (navigator.language || "").slice(0, 2) }));
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "session") { sessionStorage.setItem("udvej-session", frame.session); return; }
      if (frame.type === "typing") { status.textContent = "…"; return; }
      status.textContent = "";
      if (frame.type === "reply") {
        add(frame.text, "bot");
        if (frame.buttons && frame.buttons.length) addButtons(frame.buttons);
      } else if (frame.type === "error") {
        add(frame.text, "error");
      } else if (frame.type === "deleted") {
        sessionStorage.removeItem("udvej-session");
        log.textContent = "";  // the conversation is gone from the screen too
      }
    };
    socket.onclose = function () {
      status.textContent = "Connection lost, reconnecting…";
      setTimeout(connect, 2000);
    };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    add(text, "me");
    send({ type: "message", text: text });
    input.value = "";
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  connect();
})();
