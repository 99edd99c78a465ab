// Tollgate's admin page: plain DOM and fetch, no framework and nothing loaded from elsewhere (the page's
// Content-Security-Policy allows its own origin only). Everything a client controls (authids, URIs, notes) is put in
// the page with textContent, never as HTML.
'use strict';

const REFRESH_MS = 2000;
const CHART_POINTS = 60;

/** Calls the admin API; the header is what the router requires of every API request (see AdminPage). */
async function api(method, call, body) {
  const response = await fetch('api/' + call, {
    method,
    headers: Object.assign({'X-Tollgate-Admin': '1'}, body ? {'Content-Type': 'application/json'} : {}),
    body: body ? JSON.stringify(body) : undefined,
    credentials: 'same-origin',
  });
  const answer = await response.json().catch(() => ({message: response.statusText}));
  if (response.status === 401 && call !== 'login') {
    showLogin();
  }
  if (!response.ok) {
    throw new Error(answer.message || ('HTTP ' + response.status));
  }
  return answer;
}

function $(id) {
  return document.getElementById(id);
}

/** A new element with text content and attributes. */
function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) {
    e.textContent = String(text);
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    e.setAttribute(k, v);
  }
  return e;
}

function row(cells) {
  const tr = el('tr');
  for (const c of cells) {
    const td = c instanceof Node ? el('td') : el('td', c);
    if (c instanceof Node) {
      td.appendChild(c);
    }
    tr.appendChild(td);
  }
  return tr;
}

/** A button that asks once more before it acts: the first click arms it for 3 s, the second acts. */
function confirmButton(label, action) {
  const b = el('button', label, {type: 'button', class: 'danger'});
  let armed = null;
  b.addEventListener('click', async () => {
    if (!armed) {
      b.textContent = 'Confirm ' + label.toLowerCase();
      b.className = 'confirm';
      armed = setTimeout(() => {
        armed = null;
        b.textContent = label;
        b.className = 'danger';
      }, 3000);
      return;
    }
    clearTimeout(armed);
    b.disabled = true;
    await action();
  });
  return b;
}

// ---- login ----

function showLogin() {
  stopRefresh();
  $('console').hidden = true;
  $('who').hidden = true;
  $('login').hidden = false;
}

function showConsole(admin) {
  $('login').hidden = true;
  $('who-name').textContent = admin;
  $('who').hidden = false;
  $('console').hidden = false;
  startRefresh();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').textContent = '';
  const ticket = $('login-ticket').value.trim();
  const body = ticket ? {ticket} : {username: $('login-username').value, password: $('login-password').value};
  try {
    const answer = await api('POST', 'login', body);
    $('login-password').value = '';
    $('login-ticket').value = '';
    showConsole(answer.admin);
  } catch (e) {
    $('login-error').textContent = e.message;
  }
});

$('logout').addEventListener('click', async () => {
  await api('POST', 'logout', {}).catch(() => {});
  showLogin();
});

// ---- tabs and refresh ----

let activeTab = 'sessions';
let timer = null;

for (const b of document.querySelectorAll('#tabs button')) {
  b.addEventListener('click', () => {
    activeTab = b.dataset.tab;
    for (const other of document.querySelectorAll('#tabs button')) {
      other.classList.toggle('active', other === b);
    }
    for (const s of document.querySelectorAll('.tab')) {
      s.hidden = s.id !== 'tab-' + activeTab;
    }
    refresh();
  });
}

function startRefresh() {
  stopRefresh();
  refresh();
  timer = setInterval(refresh, REFRESH_MS);
}

function stopRefresh() {
  if (timer) {
    clearInterval(timer);
    timer = null;
  }
}

async function refresh() {
  try {
    await Promise.all([loadMetrics(), loadTab()]);
  } catch (e) {
    console.warn('refresh failed: ' + e.message);
  }
}

function loadTab() {
  switch (activeTab) {
    case 'sessions': return loadSessions();
    case 'subscriptions': return loadEntries('subscriptions');
    case 'registrations': return loadEntries('registrations');
    case 'rules': return loadRules();
    default: return Promise.resolve();
  }
}

// ---- sessions ----

let sessions = [];

async function loadSessions() {
  sessions = (await api('GET', 'sessions')).sessions;
  renderSessions();
}

function renderSessions() {
  const filter = $('session-filter').value.trim().toLowerCase();
  const shown = sessions.filter((s) => !filter || [s.session, s.realm, s.authid, s.authrole, s.address, s.dialect]
      .some((v) => String(v).toLowerCase().includes(filter)));
  const body = $('sessions');
  body.replaceChildren(...shown.map((s) => {
    const kill = confirmButton('Kill', async () => {
      try {
        await api('POST', 'sessions/kill', {realm: s.realm, session: s.session});
      } catch (e) {
        alertIn(kill, e.message);
      }
      loadSessions();
    });
    const tr = row([s.session, s.realm, s.authid, s.authrole, s.authmethod, s.dialect, s.address, since(s.joined),
      s.subscriptions, s.registrations, kill]);
    tr.dataset.session = s.session;
    tr.dataset.authid = s.authid;
    return tr;
  }));
  $('session-count').textContent = shown.length + ' of ' + sessions.length + ' sessions';
}

$('session-filter').addEventListener('input', renderSessions);

function since(iso) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 120) {
    return seconds + ' s ago';
  }
  if (seconds < 7200) {
    return Math.round(seconds / 60) + ' min ago';
  }
  return Math.round(seconds / 3600) + ' h ago';
}

function alertIn(node, message) {
  node.replaceWith(el('span', message, {class: 'error'}));
}

// ---- subscriptions and registrations ----

async function loadEntries(kind) {
  const rows = (await api('GET', kind))[kind];
  $(kind).replaceChildren(...rows.map((e) => {
    const cells = [e.id, e.realm, el('span', e.uri), e.match];
    if (kind === 'registrations') {
      cells.push(e.invoke);
    }
    cells.push(e.sessions.join(', '));
    const tr = row(cells);
    tr.children[2].className = 'uri';
    return tr;
  }));
}

// ---- rules ----

async function loadRules() {
  const rules = (await api('GET', 'rules')).rules;
  $('rules').replaceChildren(...rules.map((r) => {
    const remove = confirmButton('Remove', async () => {
      try {
        await api('POST', 'rules/remove', {id: r.id});
      } catch (e) {
        $('rule-error').textContent = e.message;
      }
      loadRules();
    });
    const tr = row([r.id, r.realm, r.role, r.match, r.pattern === '' ? '""' : r.pattern,
      r.actions.length ? r.actions.join(',') : '(deny)', r.note || '', remove]);
    tr.children[4].className = 'uri';
    tr.dataset.rule = r.id;
    return tr;
  }));
}

$('rule-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('rule-error').textContent = '';
  const actions = [...document.querySelectorAll('.rule-action:checked')].map((c) => c.value).join(',');
  try {
    await api('POST', 'rules', {
      realm: $('rule-realm').value.trim() || '*',
      role: $('rule-role').value.trim(),
      pattern: $('rule-pattern').value.trim(),
      match: $('rule-match').value,
      actions,
      note: $('rule-note').value.trim(),
    });
    $('rule-pattern').value = '';
    $('rule-note').value = '';
  } catch (e) {
    $('rule-error').textContent = e.message;
  }
  loadRules();
});

// ---- ticket debugger ----

$('ticket-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const out = $('ticket-result');
  try {
    const t = await api('POST', 'ticket', {ticket: $('ticket-input').value});
    const dl = el('dl');
    const add = (term, value, cls) => {
      dl.appendChild(el('dt', term));
      dl.appendChild(el('dd', value, cls ? {class: cls} : {}));
    };
    add('verdict', t.verdict + (t.reason ? ' ' + t.reason : ''), 'verdict-' + t.verdict);
    add('detail', t.detail);
    if (t.fields) {
      add('username', t.fields.anonymous ? '(empty: anonymous ticket)' : t.fields.username);
      add('nonce', t.fields.nonce);
      add('created', t.fields.created);
      add('digest', t.fields.digest);
    } else {
      add('fields', t.fieldCount + " (';'-separated; 4 needed)");
    }
    add('used before', t.used === null ? 'not known' : (t.used ? 'yes' : 'no'));
    for (const note of t.notes) {
      add('note', note);
    }
    add('judged at', t.judgedAt);
    out.replaceChildren(dl);
  } catch (e) {
    out.replaceChildren(el('p', e.message, {class: 'error'}));
  }
});

// ---- live figures ----

const SVG = 'http://www.w3.org/2000/svg';
/** The charts: a gauge as it is, or a counter as its rate per second between two samples. */
const CHARTS = [
  {key: 'sessions', label: 'Sessions'},
  {key: 'messagesIn', label: 'Messages in /s', rate: true},
  {key: 'messagesOut', label: 'Messages out /s', rate: true},
  {key: 'eventsDelivered', label: 'Events delivered /s', rate: true},
  {key: 'calls', label: 'Calls /s', rate: true},
  {key: 'authenticationFailures', label: 'Refused logins /s', rate: true},
  {key: 'queuedBytes', label: 'Queued bytes'},
  {key: 'heapUsedBytes', label: 'Heap used (MB)', scale: 1 / (1024 * 1024)},
];
let previous = null;

function buildCharts() {
  for (const c of CHARTS) {
    const box = el('div', null, {class: 'chart', id: 'chart-' + c.key});
    box.appendChild(el('div', c.label, {class: 'label'}));
    c.valueNode = box.appendChild(el('div', '–', {class: 'value'}));
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('preserveAspectRatio', 'none');
    c.svg = svg;
    c.line = document.createElementNS(SVG, 'polyline');
    svg.appendChild(c.line);
    box.appendChild(svg);
    c.points = [];
    $('charts').appendChild(box);
  }
}

async function loadMetrics() {
  const now = Object.assign(await api('GET', 'metrics'), {at: performance.now()});
  for (const c of CHARTS) {
    let value;
    if (c.rate) {
      if (!previous) {
        continue;
      }
      value = (now[c.key] - previous[c.key]) / ((now.at - previous.at) / 1000);
    } else {
      value = now[c.key] * (c.scale || 1);
    }
    c.points.push(value);
    if (c.points.length > CHART_POINTS) {
      c.points.shift();
    }
    c.valueNode.textContent = value >= 100 || Number.isInteger(value)
      ? Math.round(value).toLocaleString('en') : value.toFixed(1);
    // the line spans the chart from the first sample on, and scrolls once CHART_POINTS are held
    const top = Math.max(1, ...c.points);
    c.svg.setAttribute('viewBox', '0 0 ' + Math.max(1, c.points.length - 1) + ' 40');
    c.line.setAttribute('points', c.points.map((v, i) => i + ',' + (38 - 36 * v / top).toFixed(2)).join(' '));
  }
  previous = now;
}

// ---- start: logged in already (the cookie), or the login form ----

buildCharts();
api('GET', 'whoami').then((a) => showConsole(a.admin), () => showLogin());
