/* Agent console. Plain browser JavaScript, no build step; every string the agent reads is in T below
 * (translate that object to localise). Data from users and agents is only ever set with textContent.
 *
 * Stable hooks for tests (data-testid unless noted):
 *   login-view, login-form, login-name, login-password, login-submit, login-error
 *   notice                      page-wide message (invite refused, session ended, errors)
 *   agent-name, presence        (select: online | away | offline), nav-queues, nav-dashboard, logout
 *   console-view, mine, mine-item (li, data-handoff-id), queues, queue (section, data-queue),
 *   queue-wait (expected wait text), waiting-item (li, data-handoff-id, data-position), accept (button in a waiting-item)
 *   detail, detail-title, detail-status, detail-accept, summary (dl; its dd carry data-field=trigger|intent|
 *   searches|articles|request|verified|organisation|locale|channel), transcript, transcript-entry (li, data-role),
 *   typing-indicator, chat-form, chat-input, chat-send, pin-form, pin-organisation, pin-via, pin-send, pin-status,
 *   request-form, request-status, request-note, request-save, request-result, end, end-confirm, end-cancel
 *   dashboard-view, dashboard-hours, dashboard-summary, chart-handoffs, chart-outcomes, chart-wait, chart-queues
 *   (canvases; window.Chart.getChart(canvas) returns the chart once drawn)
 * The page also sets document.body.dataset.state to "login" | "console" | "dashboard" once ready. */
(function () {
  'use strict';

  var T = {
    title: 'Agent console',
    presence: 'Presence', online: 'Online', away: 'Away', offline: 'Offline',
    navQueues: 'Conversations', navDashboard: 'Dashboard', logout: 'Sign out',
    signInTitle: 'Sign in', name: 'Name', password: 'Password', signIn: 'Sign in',
    wrongLogin: 'The name or password is not right.',
    tooMany: 'Too many failed sign-ins. Wait a few minutes and try again.',
    badInvite: 'This invite link is not valid, has expired or was already used. Ask for a new one or sign in.',
    signedOut: 'Your session ended. Please sign in again.',
    failed: 'Something went wrong. Please try again.',
    offlineStream: 'Live updates are reconnecting…',
    mine: 'My conversations', mineEmpty: 'None yet.', queues: 'Waiting',
    queueEmpty: 'Nobody is waiting.',
    queueHeading: '{queue} · {waiting} waiting · {agents} online',
    expectedWait: 'Expected wait: about {n} min', noWait: 'Expected wait: unknown (no agent online)',
    position: '#{n}', waited: 'waiting {t}',
    verifiedYes: 'verified', verifiedNo: 'not verified', requestLinked: 'request {n}',
    accept: 'Accept', pickOne: 'Pick a conversation to see its summary and transcript.',
    trigger: 'Why handed off', intent: 'Intent', searches: 'Searches', articles: 'Articles shown', request: 'Request',
    verified: 'Verified', organisation: 'Organisation', locale: 'Language', channel: 'Channel', none: '–',
    yes: 'Yes', no: 'No',
    trigger_asked: 'asked for a person', 'trigger_not-helped': 'answers did not help', trigger_repeated: 'repeated the question',
    trigger_frustrated: 'sounded frustrated', 'trigger_severity-a': 'severity A (critical)',
    locale_en: 'English', locale_ko: 'Korean',
    status_waiting: 'waiting', status_active: 'active', status_ended: 'ended', status_cancelled: 'cancelled',
    transcript: 'Transcript', role_user: 'User', role_bot: 'Bot', role_agent: 'Agent', role_system: 'System',
    userTyping: 'The user is typing…', message: 'Message', send: 'Send',
    pinTitle: 'Verify the admin with a one-time code', pinOrganisation: 'Organisation domain', pinVia: 'Send by',
    email: 'Email', phone: 'Text message', pinSend: 'Send code',
    pinSent: 'Code sent to {destination}', pinRateLimited: 'Too many codes were sent. Try again later.',
    pinVerified: 'Verified: the user entered the right code.', pinNotVerified: 'Not verified.',
    requestTitle: 'Request', requestTitleNumber: 'Request {n}', requestStatus: 'Status', requestNote: 'Note', keepStatus: '(keep)',
    status_new: 'New', status_queued: 'Queued', status_in_progress: 'In progress', status_resolved: 'Resolved',
    requestSave: 'Update request', requestUpdated: 'Request {n} is now {status}.', requestRefused: 'That change is not allowed.',
    end: 'End conversation', endConfirm: 'End this conversation? The user goes back to the bot.', endYes: 'End now', endNo: 'Keep talking',
    taken: 'Someone else already took this conversation.', gone: 'This conversation is no longer waiting.',
    notYours: 'This conversation is not yours.', notActive: 'This conversation is not active.',
    dashboard: 'Dashboard', period: 'Period', last24: 'Last 24 hours', last72: 'Last 3 days', last168: 'Last 7 days',
    chartHandoffs: 'Handoffs per hour', chartOutcomes: 'Self-service vs not helped vs handoffs', chartWait: 'Average wait (minutes)',
    chartQueues: 'Queues now', seriesHandoffs: 'Handoffs', seriesSelfService: 'Self-service (helpful)', seriesNotHelped: 'Not helped',
    seriesWait: 'Average wait (min)', seriesWaiting: 'Waiting', seriesExpected: 'Expected wait (min)',
    dashboardSummary: '{handoffs} handoffs, {self} self-service answers, {notHelped} not helped; average wait {wait}.',
    chartUnavailable: 'Charts could not be loaded.',
    seconds: '{n} s', minutes: '{n} min', hoursMinutes: '{h} h {m} min',
  };

  var $ = function (id) { return document.getElementById(id); };
  var fmt = function (text, values) {
    return text.replace(/\{(\w+)\}/g, function (_m, k) { return values[k] == null ? '' : String(values[k]); });
  };
  var el = function (tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = String(text);
    return node;
  };
  var safeUrl = function (url) { return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null; };
  var duration = function (seconds) {
    seconds = Math.max(0, Math.round(seconds));
    if (seconds < 60) return fmt(T.seconds, { n: seconds });
    var minutes = Math.floor(seconds / 60);
    return minutes < 60 ? fmt(T.minutes, { n: minutes }) : fmt(T.hoursMinutes, { h: Math.floor(minutes / 60), m: minutes % 60 });
  };

  document.querySelectorAll('[data-text]').forEach(function (node) {
    var text = T[node.getAttribute('data-text')];
    if (text) node.textContent = text;
  });
  document.title = T.title;

  var state = {
    me: null,
    csrf: null,
    queues: [],
    mine: [],
    fetchedAt: 0,
    selected: null, // { handoff, transcript }
    pending: [], // texts this agent sent that the event stream has not echoed yet
    pinSentTo: null, // { id, destination } of the last code sent: the stream's 'sent' event has no destination
    events: null,
    lastTypingSent: 0,
    typingTimer: null,
    charts: {},
    chartLoad: null,
    view: 'console',
  };

  function notice(text) {
    $('notice').textContent = text || '';
    $('notice').hidden = !text;
  }

  function api(path, body) {
    var headers = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      if (state.csrf) headers['X-CSRF-Token'] = state.csrf;
    }
    return fetch('/agent/api/' + path, {
      method: body !== undefined ? 'POST' : 'GET',
      credentials: 'same-origin',
      headers: headers,
      body: body !== undefined ? JSON.stringify(body) : undefined,
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (r.status === 401 && state.me && path !== 'login' && path !== 'invite') signedOut(T.signedOut);
        return { ok: r.ok, status: r.status, body: j };
      });
    });
  }

  // ---------- views ----------
  function showView(view) {
    state.view = view;
    $('login-view').hidden = view !== 'login';
    $('console-view').hidden = view !== 'console';
    $('dashboard-view').hidden = view !== 'dashboard';
    $('whoami').hidden = view === 'login';
    $('nav-queues').setAttribute('aria-pressed', String(view === 'console'));
    $('nav-dashboard').setAttribute('aria-pressed', String(view === 'dashboard'));
    document.body.dataset.state = view;
    if (view === 'dashboard') loadDashboard();
  }

  function signedOut(message) {
    state.me = null;
    state.csrf = null;
    state.selected = null;
    if (state.events) { state.events.close(); state.events = null; }
    showView('login');
    notice(message);
  }

  function start(session) {
    state.me = session;
    state.csrf = session.csrf;
    $('agent-name').textContent = session.name;
    if (session.presence) $('presence').value = session.presence;
    notice('');
    showView('console');
    openEvents();
    loadQueues();
  }

  // ---------- sign in ----------
  $('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    $('login-error').textContent = '';
    api('login', { name: $('login-name').value, password: $('login-password').value }).then(function (r) {
      if (!r.ok) {
        $('login-error').textContent = r.status === 429 ? T.tooMany : r.status === 401 ? T.wrongLogin : T.failed;
        return;
      }
      $('login-password').value = '';
      return api('session').then(function (s) { if (s.ok) start(s.body); else $('login-error').textContent = T.failed; });
    }).catch(function () { $('login-error').textContent = T.failed; });
  });

  $('logout').addEventListener('click', function () {
    api('logout', {}).then(function () { signedOut(''); }, function () { signedOut(''); });
  });

  $('presence').addEventListener('change', function () {
    api('presence', { presence: $('presence').value }).then(function (r) {
      if (!r.ok && r.status !== 401) notice(T.failed);
    });
  });

  $('nav-queues').addEventListener('click', function () { showView('console'); });
  $('nav-dashboard').addEventListener('click', function () { showView('dashboard'); });

  // ---------- queues ----------
  function badge(text, cls) { return el('span', { class: 'badge ' + (cls || '') }, text); }

  function handoffFacts(handoff) {
    var facts = el('span', { class: 'facts' });
    facts.appendChild(badge(T['trigger_' + handoff.trigger] || handoff.trigger));
    facts.appendChild(badge(T['locale_' + handoff.locale] || handoff.locale));
    var verified = handoff.summary.verified || (handoff.pin && handoff.pin.status === 'verified');
    facts.appendChild(badge(verified ? T.verifiedYes : T.verifiedNo, verified ? 'ok' : 'warn'));
    var number = handoff.requestNumber || handoff.summary.requestNumber;
    if (number) facts.appendChild(badge(fmt(T.requestLinked, { n: number })));
    return facts;
  }

  function renderQueues() {
    var mine = $('mine');
    mine.textContent = '';
    state.mine.forEach(function (h) {
      var li = el('li', { 'data-testid': 'mine-item', 'data-handoff-id': h.id, tabindex: '0', class: 'item' });
      li.appendChild(el('strong', {}, h.summary.userName || h.id));
      li.appendChild(handoffFacts(h));
      if (state.selected && state.selected.handoff.id === h.id) li.classList.add('selected');
      li.addEventListener('click', function () { select(h.id); });
      li.addEventListener('keydown', function (e) { if (e.key === 'Enter') select(h.id); });
      mine.appendChild(li);
    });
    $('mine-empty').hidden = state.mine.length > 0;

    var box = $('queues');
    box.textContent = '';
    state.queues.forEach(function (q) {
      var section = el('section', { 'data-testid': 'queue', 'data-queue': q.queue, class: 'queue' });
      section.appendChild(el('h3', {}, fmt(T.queueHeading, { queue: q.queue, waiting: q.waiting.length, agents: q.onlineAgents })));
      section.appendChild(el('p', { 'data-testid': 'queue-wait', class: 'subtle' }, q.expectedWaitMinutes == null ? T.noWait : fmt(T.expectedWait, { n: q.expectedWaitMinutes })));
      var list = el('ul', { class: 'items' });
      if (!q.waiting.length) list.appendChild(el('li', { class: 'subtle' }, T.queueEmpty));
      q.waiting.forEach(function (w) {
        var h = w.handoff;
        var li = el('li', { 'data-testid': 'waiting-item', 'data-handoff-id': h.id, 'data-position': String(w.position), class: 'item' });
        if (state.selected && state.selected.handoff.id === h.id) li.classList.add('selected');
        var line = el('span', { class: 'line' });
        line.appendChild(el('strong', {}, fmt(T.position, { n: w.position })));
        line.appendChild(el('span', { class: 'waited', 'data-waited': String(w.waitedSeconds) }, fmt(T.waited, { t: duration(w.waitedSeconds) })));
        li.appendChild(line);
        li.appendChild(handoffFacts(h));
        var accept = el('button', { type: 'button', 'data-testid': 'accept' }, T.accept);
        accept.addEventListener('click', function (e) { e.stopPropagation(); acceptHandoff(h.id); });
        li.appendChild(accept);
        li.addEventListener('click', function () { select(h.id); });
        list.appendChild(li);
      });
      section.appendChild(list);
      box.appendChild(section);
    });
  }

  // Waited times tick between refreshes.
  setInterval(function () {
    var extra = (Date.now() - state.fetchedAt) / 1000;
    document.querySelectorAll('[data-waited]').forEach(function (node) {
      node.textContent = fmt(T.waited, { t: duration(Number(node.getAttribute('data-waited')) + extra) });
    });
  }, 5000);

  var queuesTimer = null;
  function loadQueues() {
    if (queuesTimer) { clearTimeout(queuesTimer); queuesTimer = null; }
    if (!state.me) return Promise.resolve();
    return api('queues').then(function (r) {
      if (!r.ok) return;
      state.queues = r.body.queues;
      state.mine = r.body.mine;
      state.fetchedAt = Date.now();
      renderQueues();
    }).catch(function () { /* the next refresh tries again */ });
  }
  /** Coalesces bursts of queue events into one reload. */
  function queuesChanged() {
    if (queuesTimer) return;
    queuesTimer = setTimeout(loadQueues, 250);
  }
  // A slow safety net in case an event was missed.
  setInterval(function () { if (state.me && state.view === 'console') loadQueues(); }, 30000);

  function acceptHandoff(id) {
    notice('');
    api('handoffs/' + encodeURIComponent(id) + '/accept', {}).then(function (r) {
      if (r.ok) {
        loadQueues();
        return select(id);
      }
      notice(r.status === 409 ? (r.body && r.body.error) || T.taken : r.status === 404 ? T.gone : r.status === 403 ? T.notYours : T.failed);
      loadQueues();
    }).catch(function () { notice(T.failed); });
  }

  // ---------- one conversation ----------
  function isMineActive(handoff) {
    return !!(state.me && handoff.agentName === state.me.name && handoff.status === 'active');
  }

  function select(id) {
    return api('handoffs/' + encodeURIComponent(id)).then(function (r) {
      if (!r.ok) { notice(r.status === 404 ? T.gone : r.status === 403 ? T.notYours : T.failed); return; }
      var switched = !state.selected || state.selected.handoff.id !== id;
      state.selected = { handoff: r.body.handoff, transcript: r.body.transcript };
      if (switched) {
        state.pending = [];
        $('chat-input').value = '';
        $('pin-status').textContent = '';
        $('request-result').textContent = '';
        $('request-note').value = '';
        $('request-status').value = '';
        $('pin-organisation').value = (r.body.handoff.summary.organisation && r.body.handoff.summary.organisation.name) || r.body.handoff.pin && r.body.handoff.pin.organisation || '';
        hideTyping();
        hideEndAsk();
      }
      renderDetail();
      renderTranscript();
      renderQueues();
    }).catch(function () { notice(T.failed); });
  }

  function setField(name, value) {
    var dd = document.querySelector('#summary [data-field="' + name + '"]');
    dd.textContent = '';
    if (value == null || value === '') dd.textContent = T.none;
    else if (typeof value === 'string') dd.textContent = value;
    else dd.appendChild(value);
  }

  function renderDetail() {
    var h = state.selected && state.selected.handoff;
    $('detail-empty').hidden = !!h;
    $('detail-body').hidden = !h;
    if (!h) return;
    var s = h.summary;
    $('detail-title').textContent = s.userName || h.id;
    $('detail-status').textContent = T['status_' + h.status] || h.status;
    $('detail-status').setAttribute('data-status', h.status);
    $('detail-accept').hidden = h.status !== 'waiting';

    setField('trigger', T['trigger_' + h.trigger] || h.trigger);
    setField('intent', s.intent || '');
    if (s.searches && s.searches.length) {
      var searches = el('ul', { class: 'plain' });
      s.searches.forEach(function (q) { searches.appendChild(el('li', {}, q)); });
      setField('searches', searches);
    } else setField('searches', '');
    if (s.articles && s.articles.length) {
      var articles = el('ul', { class: 'plain' });
      s.articles.forEach(function (a) {
        var li = el('li');
        var url = safeUrl(a.url);
        if (url) li.appendChild(el('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, a.title));
        else li.textContent = a.title;
        articles.appendChild(li);
      });
      setField('articles', articles);
    } else setField('articles', '');
    var number = h.requestNumber || s.requestNumber;
    setField('request', number || '');
    var verified = s.verified || (h.pin && h.pin.status === 'verified');
    setField('verified', verified ? T.yes : T.no);
    setField('organisation', s.organisation ? s.organisation.name : '');
    setField('locale', T['locale_' + (s.locale || h.locale)] || h.locale);
    setField('channel', s.channelId || '');

    var mineActive = isMineActive(h);
    $('controls').hidden = !mineActive;
    $('request-form').hidden = !mineActive || !number;
    $('request-title').textContent = number ? fmt(T.requestTitleNumber, { n: number }) : T.requestTitle;
    if (h.pin && h.pin.status !== 'sent') showPinStatus(h.pin.status);
    if (!mineActive) hideTyping();
  }

  function entryNode(entry) {
    var li = el('li', { 'data-testid': 'transcript-entry', 'data-role': entry.role, class: 'entry ' + entry.role });
    var head = el('span', { class: 'who' }, (entry.name ? entry.name + ' · ' : '') + (T['role_' + entry.role] || entry.role));
    var time = el('time', { datetime: entry.at }, new Date(entry.at).toLocaleTimeString());
    head.appendChild(document.createTextNode(' '));
    head.appendChild(time);
    li.appendChild(head);
    li.appendChild(el('p', { class: 'text' }, entry.text));
    (entry.attachments || []).forEach(function (a) {
      var url = safeUrl(a.url);
      var label = a.name || a.contentType;
      li.appendChild(url ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'attachment' }, label) : el('span', { class: 'attachment' }, label));
    });
    return li;
  }

  function renderTranscript() {
    var list = $('transcript');
    list.textContent = '';
    state.selected.transcript.forEach(function (entry) { list.appendChild(entryNode(entry)); });
    list.scrollTop = list.scrollHeight;
  }

  function appendEntry(entry, pending) {
    state.selected.transcript.push(entry);
    var node = entryNode(entry);
    if (pending) node.classList.add('pending');
    $('transcript').appendChild(node);
    $('transcript').scrollTop = $('transcript').scrollHeight;
    return node;
  }

  function hideTyping() {
    if (state.typingTimer) { clearTimeout(state.typingTimer); state.typingTimer = null; }
    $('typing-indicator').hidden = true;
  }
  function showTyping() {
    $('typing-indicator').hidden = false;
    if (state.typingTimer) clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(hideTyping, 6000);
  }

  function showPinStatus(status, destination) {
    // The stream's event and the HTTP answer arrive in either order; the masked destination must stay.
    if (status === 'sent' && !destination && state.pinSentTo && state.pinSentTo.id === currentId()) destination = state.pinSentTo.destination;
    $('pin-status').textContent =
      status === 'verified' ? T.pinVerified : status === 'not-verified' ? T.pinNotVerified : fmt(T.pinSent, { destination: destination || '' });
    $('pin-status').setAttribute('data-status', status);
  }

  function currentId() { return state.selected && state.selected.handoff.id; }
  function actionPath(action) { return 'handoffs/' + encodeURIComponent(currentId()) + '/' + action; }
  function refused(r) {
    return r.status === 403 ? T.notYours : r.status === 409 ? T.notActive : r.status === 404 ? T.gone : T.failed;
  }

  $('detail-accept').addEventListener('click', function () { if (currentId()) acceptHandoff(currentId()); });

  $('chat-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var text = $('chat-input').value.trim();
    if (!text || !currentId()) return;
    var id = currentId();
    // Shown at once; the stream's echo of it (which may arrive before this call returns) confirms it
    // rather than repeating it.
    var pending = { text: text, node: appendEntry({ at: new Date().toISOString(), role: 'agent', name: state.me.name, text: text }, true) };
    state.pending.push(pending);
    $('chat-input').value = '';
    state.lastTypingSent = 0;
    var unsent = function (message) {
      var index = state.pending.indexOf(pending);
      if (index >= 0) state.pending.splice(index, 1);
      if (pending.node.parentNode) pending.node.parentNode.removeChild(pending.node);
      if (currentId() === id) {
        var i = state.selected.transcript.indexOf(pending.entry);
        if (i >= 0) state.selected.transcript.splice(i, 1);
        if (!$('chat-input').value) $('chat-input').value = text;
      }
      notice(message);
    };
    pending.entry = state.selected.transcript[state.selected.transcript.length - 1];
    api(actionPath('messages'), { text: text }).then(function (r) {
      if (!r.ok) unsent(refused(r));
    }).catch(function () { unsent(T.failed); });
  });

  $('chat-input').addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      $('chat-form').requestSubmit();
    }
  });

  // Typing reaches the user at most every 3 seconds while the agent types.
  $('chat-input').addEventListener('input', function () {
    if (!currentId() || !$('chat-input').value) return;
    var now = Date.now();
    if (now - state.lastTypingSent < 3000) return;
    state.lastTypingSent = now;
    api(actionPath('typing'), {}).catch(function () { /* typing is best effort */ });
  });

  $('pin-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var id = currentId();
    api(actionPath('pin'), { organisation: $('pin-organisation').value, via: $('pin-via').value }).then(function (r) {
      if (!r.ok) { notice(refused(r)); return; }
      if (r.body.outcome === 'rate-limited') {
        $('pin-status').textContent = T.pinRateLimited;
        $('pin-status').setAttribute('data-status', 'rate-limited');
      } else {
        state.pinSentTo = { id: id, destination: r.body.destination };
        showPinStatus('sent', r.body.destination);
      }
    }).catch(function () { notice(T.failed); });
  });

  $('request-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var body = {};
    if ($('request-status').value) body.status = $('request-status').value;
    if ($('request-note').value.trim()) body.note = $('request-note').value.trim();
    if (!body.status && !body.note) return;
    api(actionPath('request'), body).then(function (r) {
      if (!r.ok) { $('request-result').textContent = r.status === 400 ? T.requestRefused : refused(r); return; }
      $('request-result').textContent = fmt(T.requestUpdated, { n: r.body.request.number, status: T['status_' + r.body.request.status] || r.body.request.status });
      $('request-note').value = '';
      $('request-status').value = '';
    }).catch(function () { notice(T.failed); });
  });

  // Ending takes two clicks: End, then End now.
  $('end').addEventListener('click', function () { $('end-ask').hidden = false; $('end').hidden = true; });
  function hideEndAsk() { $('end-ask').hidden = true; $('end').hidden = false; }
  $('end-cancel').addEventListener('click', hideEndAsk);
  $('end-confirm').addEventListener('click', function () {
    hideEndAsk();
    if (!currentId()) return;
    var id = currentId();
    api(actionPath('end'), {}).then(function (r) {
      if (!r.ok) { notice(refused(r)); return; }
      loadQueues();
      return select(id);
    }).catch(function () { notice(T.failed); });
  });

  // ---------- live events ----------
  function onEvent(event) {
    var current = currentId();
    switch (event.type) {
      case 'queues':
        queuesChanged();
        break;
      case 'handoff':
        queuesChanged();
        if (current === event.handoff.id) {
          state.selected.handoff = event.handoff;
          renderDetail();
        }
        break;
      case 'message':
        if (current !== event.handoffId) break;
        if (event.entry.role === 'agent') {
          // The server may have changed the text (markup removed): show what the user got, in
          // place of the oldest message still waiting for its echo.
          var index = event.entry.name === state.me.name && state.pending.length ? 0 : -1;
          if (index >= 0) {
            var sent = state.pending.splice(index, 1)[0];
            var stale = state.selected.transcript.indexOf(sent.entry);
            if (stale >= 0) state.selected.transcript.splice(stale, 1);
            var confirmed = appendEntry(event.entry, false);
            if (sent.node.parentNode) sent.node.parentNode.replaceChild(confirmed, sent.node);
            break;
          }
        }
        if (event.entry.role === 'user') hideTyping();
        appendEntry(event.entry, false);
        break;
      case 'typing':
        if (current === event.handoffId && isMineActive(state.selected.handoff)) showTyping();
        break;
      case 'pin':
        state.mine.forEach(function (h) {
          if (h.id === event.handoffId) h.pin = Object.assign({}, h.pin, { status: event.status });
        });
        renderQueues();
        if (current === event.handoffId) {
          state.selected.handoff.pin = Object.assign({}, state.selected.handoff.pin, { status: event.status });
          showPinStatus(event.status);
          renderDetail();
        }
        break;
    }
  }

  function openEvents() {
    if (state.events) state.events.close();
    var source = new EventSource('/agent/api/events');
    state.events = source;
    source.onopen = function () {
      if ($('notice').textContent === T.offlineStream) notice('');
      loadQueues();
    };
    source.onmessage = function (m) {
      try { onEvent(JSON.parse(m.data)); } catch (err) { /* a malformed event is ignored */ }
    };
    source.onerror = function () {
      if (state.events !== source) return;
      // EventSource retries by itself unless the server refused it (e.g. the session ended).
      if (source.readyState === EventSource.CLOSED) {
        api('session').then(function (r) {
          if (r.ok) { state.csrf = r.body.csrf; setTimeout(function () { if (state.me) openEvents(); }, 3000); }
        }).catch(function () { /* offline: try again later */ setTimeout(function () { if (state.me) openEvents(); }, 5000); });
      } else notice(T.offlineStream);
    };
  }

  // ---------- dashboard ----------
  function loadChartJs() {
    if (window.Chart) return Promise.resolve(window.Chart);
    if (!state.chartLoad) {
      state.chartLoad = new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = '/agent/chart.js';
        s.onload = function () { resolve(window.Chart); };
        s.onerror = function () { state.chartLoad = null; reject(new Error('chart.js')); };
        document.head.appendChild(s);
      });
    }
    return state.chartLoad;
  }

  function drawChart(id, config) {
    var existing = state.charts[id];
    if (existing) {
      existing.data = config.data;
      existing.update();
      return;
    }
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false, elements: { point: { radius: 2 } } }, config.options || {});
    state.charts[id] = new window.Chart($(id), config);
  }

  function hourLabel(iso) {
    var d = new Date(iso);
    return d.toLocaleDateString(undefined, { month: 'numeric', day: 'numeric' }) + ' ' + String(d.getHours()).padStart(2, '0') + ':00';
  }

  function loadDashboard() {
    var hours = $('dashboard-hours').value;
    return Promise.all([api('dashboard?hours=' + encodeURIComponent(hours)), loadChartJs()]).then(function (results) {
      var r = results[0];
      if (!r.ok) { notice(T.failed); return; }
      var d = r.body;
      var labels = d.hours.map(function (h) { return hourLabel(h.start); });
      var sum = function (key) { return d.hours.reduce(function (n, h) { return n + (h[key] || 0); }, 0); };
      var waits = d.hours.filter(function (h) { return h.averageWaitSeconds != null; });
      var meanWait = waits.length ? waits.reduce(function (n, h) { return n + h.averageWaitSeconds * h.handoffs; }, 0) / Math.max(1, waits.reduce(function (n, h) { return n + h.handoffs; }, 0)) : null;
      $('dashboard-summary').textContent = fmt(T.dashboardSummary, { handoffs: sum('handoffs'), self: sum('selfService'), notHelped: sum('notHelped'), wait: meanWait == null ? T.none : duration(meanWait) });

      drawChart('chart-handoffs', {
        type: 'bar',
        data: { labels: labels, datasets: [{ label: T.seriesHandoffs, data: d.hours.map(function (h) { return h.handoffs; }), backgroundColor: '#0f6cbd' }] },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
      drawChart('chart-outcomes', {
        type: 'line',
        data: {
          labels: labels,
          datasets: [
            { label: T.seriesSelfService, data: d.hours.map(function (h) { return h.selfService; }), borderColor: '#107c10', backgroundColor: '#107c10' },
            { label: T.seriesNotHelped, data: d.hours.map(function (h) { return h.notHelped; }), borderColor: '#c50f1f', backgroundColor: '#c50f1f' },
            { label: T.seriesHandoffs, data: d.hours.map(function (h) { return h.handoffs; }), borderColor: '#0f6cbd', backgroundColor: '#0f6cbd' },
          ],
        },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
      drawChart('chart-wait', {
        type: 'line',
        data: { labels: labels, datasets: [{ label: T.seriesWait, data: d.hours.map(function (h) { return h.averageWaitSeconds == null ? null : Math.round(h.averageWaitSeconds / 6) / 10; }), borderColor: '#8764b8', backgroundColor: '#8764b8', spanGaps: false }] },
        options: { scales: { y: { beginAtZero: true } } },
      });
      drawChart('chart-queues', {
        type: 'bar',
        data: {
          labels: d.queues.map(function (q) { return q.queue; }),
          datasets: [
            { label: T.seriesWaiting, data: d.queues.map(function (q) { return q.waiting; }), backgroundColor: '#0f6cbd', yAxisID: 'y' },
            { label: T.seriesExpected, data: d.queues.map(function (q) { return q.expectedWaitMinutes; }), backgroundColor: '#ca5010', yAxisID: 'y1' },
          ],
        },
        options: { scales: { y: { beginAtZero: true, position: 'left', ticks: { precision: 0 } }, y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false } } } },
      });
    }).catch(function () { notice(T.chartUnavailable); });
  }
  $('dashboard-hours').addEventListener('change', loadDashboard);
  setInterval(function () { if (state.me && state.view === 'dashboard') loadDashboard(); }, 60000);

  // ---------- start ----------
  // An invite link carries its token in the fragment (never sent to a server log); it is removed
  // from the address bar at once and traded for a session.
  function boot() {
    var invite = /^#invite=([A-Za-z0-9_-]+)$/.exec(location.hash);
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    var inviteRefused = false;
    var begin = invite
      ? api('invite', { token: invite[1] }).then(function (r) {
          inviteRefused = !r.ok;
          return api('session');
        })
      : api('session');
    return begin.then(function (r) {
      if (r.ok) start(r.body);
      else showView('login');
      if (inviteRefused) notice(T.badInvite);
    }).catch(function () { showView('login'); notice(T.failed); });
  }
  // An invite link opened in a tab that already shows the console only changes the fragment.
  window.addEventListener('hashchange', function () { if (/^#invite=/.test(location.hash)) boot(); });
  boot();
})();
