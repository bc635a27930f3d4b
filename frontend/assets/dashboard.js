// Alerts dashboard: sign in, manage price alerts, see them fire in real time.
// One EventSource per tab carries both the prices (public updates) and the user's alerts (PRIVATE updates
// on the user's own topic); the hub authorizes it with the HttpOnly mercureAuthorization cookie set at
// login, which this page renews before it expires (POST /api/session/refresh). Alerts that fired while
// the page was closed come from GET /api/alerts/fired, merged with the stream by alert id.

import { loadConfig, hubUrl, setState, formatPrice, formatTime, toEpochMs } from './common.js';

const $ = (id) => document.getElementById(id);
const statusEl = $('alerts-status');
const page = { config: null, me: null, stream: null, refreshTimer: 0, fired: [], latest: {} };
window.quicksilverDashboard = page;

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  return { status: res.status, ok: res.ok, data };
}

// ---- session -------------------------------------------------------------------------------

function showLogin(message = '') {
  stopStreams();
  clearTimeout(page.refreshTimer);
  page.me = null;
  $('app').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  setState(statusEl, 'closed', 'Signed out');
  $('username').focus();
}

function showApp(me) {
  page.me = me;
  $('login').hidden = true;
  $('app').hidden = false;
  $('user').textContent = me.name;
  $('user').dataset.userId = me.id;
  $('fired').replaceChildren();
  page.fired = [];
  scheduleRefresh(me.tokenExpiresAt);
  listen(me.alertsTopic);
  loadAlerts();
}

function scheduleRefresh(expiresAt) {
  clearTimeout(page.refreshTimer);
  if (expiresAt === undefined || expiresAt === null) return;
  const at = toEpochMs(expiresAt);
  page.tokenExpiresAt = at;
  $('token-expiry').textContent = formatTime(at);
  // Renew one minute before expiry, or at three quarters of a lifetime shorter than four minutes.
  const left = at - Date.now();
  const delay = Math.max(1000, left > 240_000 ? left - 60_000 : left * 0.75);
  page.refreshTimer = setTimeout(refresh, delay);
}

async function refresh() {
  const res = await api('POST', '/api/session/refresh');
  if (res.status === 401) return showLogin('Your session ended; please sign in again.');
  if (!res.ok) { // transient: try again soon
    page.refreshTimer = setTimeout(refresh, 5000);
    return;
  }
  page.refreshes = (page.refreshes ?? 0) + 1;
  scheduleRefresh(res.data.tokenExpiresAt);
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('login-error').textContent = '';
  const res = await api('POST', '/api/login', { username: $('username').value.trim(), password: $('password').value });
  if (res.status === 401) { $('login-error').textContent = 'Wrong user name or password.'; return; }
  if (!res.ok) { $('login-error').textContent = `Sign-in failed (${res.status}).`; return; }
  $('password').value = '';
  const me = await api('GET', '/api/me');
  showApp(me.ok ? me.data : res.data);
});

$('logout').addEventListener('click', async () => {
  await api('POST', '/api/logout');
  showLogin();
});

// ---- alerts --------------------------------------------------------------------------------

async function loadAlerts() {
  const res = await api('GET', '/api/alerts');
  if (res.status === 401) return showLogin('Your session ended; please sign in again.');
  if (res.ok) renderAlerts(res.data);
}

function renderAlerts(alerts) {
  const list = $('alerts');
  list.replaceChildren(...alerts.map((a) => {
    const li = document.createElement('li');
    li.dataset.alertId = a.id;
    li.dataset.symbol = a.symbol;
    const text = document.createElement('span');
    text.textContent = `${a.symbol} ${a.direction} ${formatPrice(a.threshold)}`;
    const del = document.createElement('button');
    del.type = 'button';
    del.className = 'secondary delete';
    del.textContent = 'Delete';
    del.setAttribute('aria-label', `Delete alert ${a.symbol} ${a.direction} ${formatPrice(a.threshold)}`);
    del.addEventListener('click', () => deleteAlert(a.id));
    li.append(text, del);
    return li;
  }));
  $('no-alerts').hidden = alerts.length > 0;
}

async function deleteAlert(id) {
  const res = await api('DELETE', `/api/alerts/${encodeURIComponent(id)}`);
  if (res.status === 401) return showLogin('Your session ended; please sign in again.');
  loadAlerts();
}

$('alert-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('alert-error').textContent = '';
  const body = {
    symbol: $('alert-symbol').value,
    direction: $('alert-direction').value,
    threshold: Number($('alert-threshold').value),
  };
  const res = await api('POST', '/api/alerts', body);
  if (res.status === 401) return showLogin('Your session ended; please sign in again.');
  if (!res.ok) {
    $('alert-error').textContent = `Could not add the alert (${res.status}${typeof res.data === 'string' && res.data ? ': ' + res.data : ''}).`;
    return;
  }
  loadAlerts();
});

/** Shows a fired alert once (by alert id), keeping the list newest first. */
function addFired(a) {
  if (!a || page.fired.some((f) => f.alertId === a.alertId)) return false;
  page.fired.push(a);
  page.fired.sort((x, y) => (y.timestamp ?? 0) - (x.timestamp ?? 0));
  const li = document.createElement('li');
  li.dataset.alertId = a.alertId;
  li.dataset.symbol = a.symbol;
  li.innerHTML = '<span><strong></strong> <span class="what"></span></span> <span class="note when"></span>';
  li.querySelector('strong').textContent = a.symbol;
  li.querySelector('.what').textContent =
    `went ${a.direction} ${formatPrice(a.threshold)}: now ${formatPrice(a.price)}`;
  li.querySelector('.when').textContent = formatTime(a.timestamp ?? Date.now());
  const index = page.fired.indexOf(a);
  const list = $('fired');
  list.insertBefore(li, list.children[index] ?? null);
  return true;
}

function onAlert(event) {
  let a;
  try { a = JSON.parse(event.data); } catch { return; }
  if (addFired(a)) loadAlerts(); // alerts are one-shot: the fired one is gone
}

/** The alerts that fired before this page listened (kept by the hub), merged with those the stream brings. */
async function loadFired() {
  const res = await api('GET', '/api/alerts/fired');
  if (res.ok && Array.isArray(res.data)) {
    // earlier alerts are shown, not read out one by one (the list is a polite live region for new ones)
    $('fired').setAttribute('aria-busy', 'true');
    for (const a of res.data) addFired(a);
    $('fired').removeAttribute('aria-busy');
    page.firedLoaded = true;
  }
}

// ---- the stream ------------------------------------------------------------------------------

/** One stream for the tab: the user's alerts topic and every price topic, authorized by the cookie. */
function listen(alertsTopic) {
  page.stream?.close();
  setState(statusEl, 'connecting');
  const { symbols, stockTopicPrefix } = page.config;
  const topics = [alertsTopic, ...symbols.map((s) => stockTopicPrefix + s)];
  const source = new EventSource(hubUrl(page.config.hubUrl, topics), { withCredentials: true });
  source.addEventListener('open', () => {
    setState(statusEl, 'live');
    loadFired(); // after the stream is open: an alert firing now arrives on one or the other (or both: merged)
  });
  source.addEventListener('price_alert', onAlert);
  source.addEventListener('stock_update', onPrice);
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CONNECTING) {
      setState(statusEl, 'reconnecting');
    } else if (page.stream === source && page.me) {
      // Refused for good (e.g. the token had expired): check the session, then listen again.
      setState(statusEl, 'reconnecting');
      setTimeout(async () => {
        if (page.stream !== source) return;
        const me = await api('GET', '/api/me');
        if (me.status === 401) return showLogin('Your session ended; please sign in again.');
        if (me.ok) scheduleRefresh(me.data.tokenExpiresAt);
        listen(alertsTopic);
      }, 2000);
    }
  });
  page.stream = source;
}

function showPrice() {
  const s = $('alert-symbol').value;
  $('current-price').dataset.symbol = s;
  $('current-price').textContent = page.latest[s] === undefined ? '—' : `${s} ${formatPrice(page.latest[s])}`;
}

function onPrice(event) {
  try {
    const t = JSON.parse(event.data);
    page.latest[t.symbol] = t.price;
    if (t.symbol === $('alert-symbol').value) showPrice();
  } catch { /* ignore */ }
}

function stopStreams() {
  page.stream?.close();
  page.stream = null;
}

// ---- start ---------------------------------------------------------------------------------

async function main() {
  page.config = await loadConfig();
  $('alert-symbol').replaceChildren(...page.config.symbols.map((s) => new Option(s, s)));
  $('alert-symbol').addEventListener('change', showPrice);
  const me = await api('GET', '/api/me');
  if (me.ok) showApp(me.data); else showLogin();
}

main().catch((e) => showLogin(`Could not reach the hub: ${e.message}`));
