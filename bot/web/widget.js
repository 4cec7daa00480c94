/* Microsoft 365 admin support: web chat widget. One script tag:
 *   <script src="https://BOT/widget.js" data-bot-url="https://BOT" data-locale="en-US"
 *           data-title="Microsoft 365 support" data-accent="#0f6cbd"></script>
 * Adds a launcher button and a panel with Bot Framework Web Chat, loaded from the bot itself.
 * The conversation (token, id, watermark) is kept in sessionStorage so a reload continues it. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__m365SupportWidget) return;
  window.__m365SupportWidget = true;

  var botUrl = (script.getAttribute('data-bot-url') || new URL(script.src).origin).replace(/\/+$/, '');
  var locale = script.getAttribute('data-locale') || document.documentElement.lang || navigator.language || 'en-US';
  var korean = /^ko\b/i.test(locale);
  var accent = /^#[0-9a-f]{3,8}$/i.test(script.getAttribute('data-accent') || '') ? script.getAttribute('data-accent') : '#0f6cbd';
  var strings = korean
    ? { open: '지원 채팅 열기', close: '지원 채팅 닫기', title: 'Microsoft 365 지원', failed: '채팅을 시작할 수 없습니다. 잠시 후 다시 시도하세요.', loading: '채팅을 여는 중…' }
    : { open: 'Open support chat', close: 'Close support chat', title: 'Microsoft 365 support', failed: "The chat couldn't start. Please try again in a moment.", loading: 'Opening the chat…' };
  var title = script.getAttribute('data-title') || strings.title;
  var storageKey = 'm365-support-chat:' + botUrl;

  var style = document.createElement('style');
  style.textContent =
    '.m365s-launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;padding:14px 20px;font:600 15px system-ui,sans-serif;color:#fff;background:' + accent + ';box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}' +
    '.m365s-launcher:focus-visible,.m365s-close:focus-visible{outline:3px solid #000;outline-offset:2px}' +
    '.m365s-panel{position:fixed;right:20px;bottom:84px;z-index:2147483000;width:min(400px,calc(100vw - 40px));height:min(600px,calc(100vh - 120px));display:flex;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}' +
    '.m365s-panel[hidden]{display:none}' +
    '.m365s-header{display:flex;align-items:center;justify-content:space-between;padding:10px 14px;color:#fff;background:' + accent + ';font:600 15px system-ui,sans-serif}' +
    '.m365s-header h2{margin:0;font:inherit}' +
    '.m365s-close{border:0;background:transparent;color:#fff;font-size:22px;line-height:1;cursor:pointer;padding:2px 6px}' +
    '.m365s-chat{flex:1;min-height:0}' +
    '.m365s-status{padding:16px;font:14px system-ui,sans-serif}';
  document.head.appendChild(style);

  var launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'm365s-launcher';
  launcher.textContent = strings.open;
  launcher.setAttribute('aria-label', strings.open);
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-controls', 'm365s-panel');

  var panel = document.createElement('section');
  panel.id = 'm365s-panel';
  panel.className = 'm365s-panel';
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', title);
  var header = document.createElement('div');
  header.className = 'm365s-header';
  var heading = document.createElement('h2');
  heading.textContent = title;
  var close = document.createElement('button');
  close.type = 'button';
  close.className = 'm365s-close';
  close.setAttribute('aria-label', strings.close);
  close.textContent = '\u00d7';
  header.appendChild(heading);
  header.appendChild(close);
  var chat = document.createElement('div');
  chat.className = 'm365s-chat';
  chat.setAttribute('lang', korean ? 'ko' : 'en');
  panel.appendChild(header);
  panel.appendChild(chat);
  document.body.appendChild(panel);
  document.body.appendChild(launcher);

  var started = false;

  function saved() {
    try {
      return JSON.parse(sessionStorage.getItem(storageKey) || 'null');
    } catch (e) {
      return null;
    }
  }

  function save(value) {
    try {
      sessionStorage.setItem(storageKey, JSON.stringify(value));
    } catch (e) {
      /* private mode: the chat still works, it just won't survive a reload */
    }
  }

  function loadWebChat() {
    if (window.WebChat) return Promise.resolve(window.WebChat);
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = botUrl + '/webchat/webchat.js';
      s.onload = function () { resolve(window.WebChat); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function session() {
    var previous = saved();
    if (previous && previous.token && previous.conversationId) {
      return fetch(botUrl + '/v3/directline/tokens/refresh', { method: 'POST', headers: { Authorization: 'Bearer ' + previous.token } })
        .then(function (r) { if (!r.ok) throw new Error('expired'); return r.json(); })
        .then(function (fresh) { previous.token = fresh.token; save(previous); return previous; })
        .catch(function () { return newSession(); });
    }
    return newSession();
  }

  function newSession() {
    return fetch(botUrl + '/api/directline/token', { method: 'POST' })
      .then(function (r) { if (!r.ok) throw new Error('token'); return r.json(); })
      .then(function (t) {
        var value = { token: t.token, conversationId: t.conversationId, watermark: null, domain: t.domain && /^https?:/.test(t.domain) ? t.domain : botUrl + (t.domain || '/v3/directline') };
        save(value);
        return value;
      });
  }

  function start() {
    started = true;
    chat.innerHTML = '<p class="m365s-status" role="status">' + strings.loading + '</p>';
    Promise.all([loadWebChat(), session()])
      .then(function (results) {
        var WebChat = results[0];
        var s = results[1];
        var directLine = WebChat.createDirectLine({ token: s.token, domain: s.domain || botUrl + '/v3/directline', conversationId: s.conversationId, watermark: s.watermark || undefined, webSocket: false });
        // Remember how far the conversation got, so a reload doesn't replay everything.
        directLine.activity$.subscribe({ next: function () { var v = saved() || s; v.watermark = directLine.watermark; save(v); }, error: function () {} });
        chat.innerHTML = '';
        WebChat.renderWebChat(
          { directLine: directLine, locale: korean ? 'ko-KR' : 'en-US', sendTypingIndicator: true, styleOptions: { accent: accent, bubbleFromUserBackground: '#eef4fb', hideUploadButton: true } },
          chat,
        );
        focusInput();
      })
      .catch(function () {
        started = false;
        chat.innerHTML = '<p class="m365s-status" role="alert">' + strings.failed + '</p>';
      });
  }

  function focusInput() {
    setTimeout(function () {
      var input = chat.querySelector('input[type="text"], textarea');
      if (input) input.focus();
    }, 300);
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    launcher.setAttribute('aria-label', strings.close);
    launcher.textContent = strings.close;
    if (!started) start();
    else focusInput();
  }

  function hide() {
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', strings.open);
    launcher.textContent = strings.open;
    launcher.focus();
  }

  launcher.addEventListener('click', function () { (panel.hidden ? open : hide)(); });
  close.addEventListener('click', hide);
  // Escape closes the open panel wherever focus is; capture phase, because Web Chat's send box
  // handles Escape itself and stops it there.
  document.addEventListener('keydown', function (event) { if (event.key === 'Escape' && !panel.hidden) hide(); }, true);
  // A conversation in progress reopens after a reload.
  if (saved()) open();
})();
