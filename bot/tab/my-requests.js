/* "My requests" tab. Inside Teams, teams-js gives the tenant, user and theme; outside Teams (or when
 * initialize never settles in a foreign iframe) the page stands alone. Either way nothing is shown
 * until the person proves with a one-time code that they are an admin of the organisation. */
(function () {
  'use strict';
  var korean = /^ko\b/i.test(navigator.language || '');
  var T = korean
    ? { title: '내 요청', verifyIntro: '조직의 요청을 보려면 일회용 코드로 관리자임을 확인하세요.', organisation: '조직(도메인, 관리자 메일 또는 테넌트 ID)', via: '코드 받을 방법', email: '메일', phone: '문자 메시지', send: '코드 보내기', code: '6자리 코드', check: '확인', listCaption: '요청(최신순)', number: '번호', status: '상태', severity: '심각도', due: '첫 응답 기한', wait: '예상 대기', sent: '등록된 조직이라면 {destination}(으)로 코드를 보냈습니다.', wrong: '코드가 맞지 않습니다.', failed: '요청을 처리하지 못했습니다. 잠시 후 다시 시도하세요.', none: '아직 요청이 없습니다.', inTeams: 'Teams에서 열림 · 테넌트 {tenant}', standalone: 'Teams 밖에서 열림', minutes: '약 {n}분' }
    : { title: 'My requests', verifyIntro: "To see your organisation's requests, prove you are one of its admins with a one-time code.", organisation: 'Organisation (domain, admin email or tenant id)', via: 'Send the code by', email: 'Email', phone: 'Text message', send: 'Send code', code: '6-digit code', check: 'Verify', listCaption: 'Requests, newest first', number: 'Number', status: 'Status', severity: 'Severity', due: 'First response by', wait: 'Expected wait', sent: 'If the organisation is registered, a code is on its way to {destination}.', wrong: "That code didn't work.", failed: "Something went wrong. Please try again in a moment.", none: 'No requests yet.', inTeams: 'Opened in Teams · tenant {tenant}', standalone: 'Opened outside Teams', minutes: 'about {n} min' };
  if (korean) document.documentElement.lang = 'ko';
  document.querySelectorAll('[data-text]').forEach(function (el) { el.textContent = T[el.getAttribute('data-text')]; });
  document.title = T.title;

  var $ = function (id) { return document.getElementById(id); };
  var message = $('message');

  function api(path, body) {
    return fetch('/tab/api/' + path, {
      method: body ? 'POST' : 'GET',
      credentials: 'same-origin',
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (r) { return r.json().then(function (j) { return { ok: r.ok, status: r.status, body: j }; }); });
  }

  function show(list) {
    var body = $('requests').querySelector('tbody');
    body.textContent = '';
    if (!list.length) { message.textContent = T.none; return; }
    list.forEach(function (r) {
      var row = document.createElement('tr');
      [r.number, r.status, r.severity, new Date(r.firstResponseDue).toLocaleString(), r.waitMinutes == null ? '–' : T.minutes.replace('{n}', r.waitMinutes)].forEach(function (v) {
        var cell = document.createElement('td');
        cell.textContent = String(v);
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
    $('requests').hidden = false;
  }

  function load() {
    return api('requests').then(function (r) {
      if (!r.ok) { message.textContent = T.failed; return; }
      if (!r.body.verified) { $('ask').hidden = false; return; }
      $('ask').hidden = true; $('verify').hidden = true;
      show(r.body.requests);
    });
  }

  $('ask').addEventListener('submit', function (e) {
    e.preventDefault();
    var via = document.querySelector('input[name="via"]:checked').value;
    api('pin', { organisation: $('organisation').value, via: via }).then(function (r) {
      if (!r.ok) { message.textContent = r.body && r.body.message ? r.body.message : T.failed; return; }
      $('sent').textContent = T.sent.replace('{destination}', r.body.destination);
      $('verify').hidden = false;
      $('code').focus();
    }).catch(function () { message.textContent = T.failed; });
  });

  $('verify').addEventListener('submit', function (e) {
    e.preventDefault();
    api('verify', { organisation: $('organisation').value, code: $('code').value }).then(function (r) {
      if (!r.ok) { message.textContent = T.wrong; return; }
      message.textContent = '';
      return load();
    }).catch(function () { message.textContent = T.failed; });
  });

  function applyTheme(theme) {
    document.body.classList.toggle('dark', theme === 'dark');
    document.body.classList.toggle('contrast', theme === 'contrast');
  }

  // Teams shows tabs in a frame: only then load teams-js (it fetches its list of Teams hosts).
  // initialize() never settles in a non-Teams frame, so it is raced against a timeout.
  var teams;
  function loadTeams() {
    return new Promise(function (resolve) {
      var s = document.createElement('script');
      s.src = '/tab/teams-js.js';
      s.onload = function () { teams = window.microsoftTeams; resolve(teams); };
      s.onerror = function () { resolve(null); };
      document.head.appendChild(s);
    });
  }
  var framed = window.self !== window.top;
  var inTeams = !framed
    ? Promise.resolve(null)
    : loadTeams().then(function (lib) {
        if (!lib || !lib.app) return null;
        var timeout = new Promise(function (resolve) { setTimeout(function () { resolve(null); }, 1500); });
        return Promise.race([lib.app.initialize().then(function () { return lib.app.getContext(); }), timeout]);
      }).catch(function () { return null; });
  inTeams.then(function (context) {
    if (context) {
      applyTheme(context.app && context.app.theme);
      if (teams.app.registerOnThemeChangeHandler) teams.app.registerOnThemeChangeHandler(applyTheme);
      var tenant = context.user && context.user.tenant && context.user.tenant.id;
      var who = context.user && (context.user.userPrincipalName || context.user.id);
      if (tenant) {
        $('organisation').value = tenant;
        $('context').textContent = T.inTeams.replace('{tenant}', tenant) + (who ? ' · ' + who : '');
      }
    } else {
      $('context').textContent = T.standalone;
    }
    return load();
  }).catch(function () { message.textContent = T.failed; });
})();
