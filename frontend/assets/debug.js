// Hub debugger: subscribe to selectors (optionally with a token and a cursor) and publish test updates.

import { hubUrl, setState } from './common.js';

const $ = (id) => document.getElementById(id);
const statusEl = $('sub-status');
const HUB = '/.well-known/mercure';
const MAX_ROWS = 500;
const debug = { source: null, events: [] };
window.quicksilverDebug = debug;

$('hub-url').textContent = new URL(HUB, location.href).toString();

const lines = (text) => text.split('\n').map((s) => s.trim()).filter(Boolean);

function addRow(type, id, data) {
  debug.events.push({ type, id, data });
  const tr = document.createElement('tr');
  for (const [cls, value] of [['type', type], ['id mono', id], ['data', data]]) {
    const td = document.createElement('td');
    td.className = cls;
    td.textContent = value;
    tr.append(td);
  }
  $('sub-events').prepend(tr);
  while ($('sub-events').rows.length > MAX_ROWS) $('sub-events').deleteRow(-1);
  $('event-count').textContent = String(debug.events.length);
}

function unsubscribe() {
  debug.source?.close();
  debug.source = null;
  $('unsubscribe').disabled = true;
  setState(statusEl, 'closed', 'Not subscribed');
}

$('sub-form').addEventListener('submit', (e) => {
  e.preventDefault();
  unsubscribe();
  const topics = lines($('sub-topics').value);
  const url = hubUrl(HUB, topics, {
    authorization: $('sub-token').value.trim(),
    lastEventID: $('sub-last-event-id').value.trim(),
  });
  const source = new EventSource(url, { withCredentials: true });
  const types = $('sub-types').value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const type of new Set(types.length ? types : ['message'])) {
    source.addEventListener(type, (ev) => addRow(ev.type, ev.lastEventId, ev.data));
  }
  setState(statusEl, 'connecting');
  source.addEventListener('open', () => setState(statusEl, 'live'));
  source.addEventListener('error', () => {
    setState(statusEl, source.readyState === EventSource.CONNECTING ? 'reconnecting' : 'closed',
      source.readyState === EventSource.CONNECTING ? 'Reconnecting' : 'Refused (check the token)');
  });
  debug.source = source;
  $('unsubscribe').disabled = false;
});

$('unsubscribe').addEventListener('click', unsubscribe);
$('clear').addEventListener('click', () => {
  debug.events = [];
  $('sub-events').replaceChildren();
  $('event-count').textContent = '0';
});

$('pub-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = new URLSearchParams();
  for (const t of lines($('pub-topics').value)) body.append('topic', t);
  body.set('data', $('pub-data').value);
  if ($('pub-private').checked) body.set('private', 'on');
  for (const f of ['id', 'type', 'retry']) {
    const v = $(`pub-${f}`).value.trim();
    if (v) body.set(f, v);
  }
  const token = $('pub-token').value.trim();
  const result = $('pub-result');
  result.textContent = 'Publishing…';
  try {
    const res = await fetch(HUB, {
      method: 'POST',
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      body,
    });
    const text = (await res.text()).trim();
    result.dataset.status = String(res.status);
    result.textContent = res.ok ? `Published: ${text}` : `${res.status}: ${text}`;
  } catch (err) {
    result.dataset.status = '0';
    result.textContent = `Failed: ${err.message}`;
  }
});
