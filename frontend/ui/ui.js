// The hub UI: subscribe with topic, match or match_urlpattern selectors, a token and a cursor; see the
// events as they arrive; publish with every field; list the active subscriptions.
//
// The stream is read with fetch() and a streaming SSE parser instead of EventSource, so that the token
// travels in the Authorization header (EventSource cannot set headers: a token would have to go in the URL,
// where proxy and access logs keep it). Tokens live in this page's memory only.
//
// For tests: window.quicksilverUi = { state, events, lastEventId, requests }.

const $ = (id) => document.getElementById(id);
const MAX_EVENTS = 500;
const ui = { state: 'closed', events: [], lastEventId: null, config: null, controller: null };
window.quicksilverUi = ui;

/**
 * An incremental parser of text/event-stream (HTML Living Standard, "Event stream interpretation"):
 * lines end at CR, LF or CRLF; a leading BOM is skipped; `data` lines are joined with LF; an `id` with
 * NUL is ignored; `retry` is ASCII digits; an event is dispatched at an empty line when it has data.
 */
export function sseParser(onEvent) {
  let buffer = '';
  let first = true;
  let type = '';
  let data = [];
  let id = null;
  let lastId = '';
  let retry = null;
  const line = (text) => {
    if (text === '') {
      if (data.length > 0) {
        if (id !== null) lastId = id;
        onEvent({ type: type || 'message', data: data.join('\n'), id: lastId, retry });
      } else if (id !== null) {
        lastId = id;
      }
      type = '';
      data = [];
      id = null;
      retry = null;
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'retry' && /^[0-9]+$/.test(value)) retry = Number(value);
  };
  return (chunk) => {
    buffer += chunk;
    if (first && buffer.length > 0) {
      if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
      first = false;
    }
    for (;;) {
      const m = /\r\n|\r|\n/.exec(buffer);
      if (!m) return;
      // a CR at the very end may be the first half of a CRLF: wait for the next chunk
      if (m[0] === '\r' && m.index === buffer.length - 1) return;
      line(buffer.slice(0, m.index));
      buffer = buffer.slice(m.index + m[0].length);
    }
  };
}

function setState(state, text) {
  ui.state = state;
  const el = $('sub-status');
  el.dataset.state = state;
  el.textContent = text;
}

// ---- selectors -------------------------------------------------------------------------------

function addSelector(kind = 'topic', value = '') {
  const row = $('selector-row').content.firstElementChild.cloneNode(true);
  row.querySelector('.kind').value = kind;
  row.querySelector('.value').value = value;
  row.querySelector('.remove').addEventListener('click', () => {
    if ($('selectors').children.length > 1) row.remove();
  });
  $('selectors').append(row);
  return row;
}

function selectors() {
  return [...$('selectors').querySelectorAll('.selector')]
    .map((row) => ({ kind: row.querySelector('.kind').value, value: row.querySelector('.value').value.trim() }))
    .filter((s) => s.value !== '');
}

// ---- subscribing -----------------------------------------------------------------------------

function bearer(token) {
  const t = token.trim();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

async function subscribe() {
  unsubscribe();
  const url = new URL(ui.config.hubUrl, location.href);
  for (const s of selectors()) url.searchParams.append(s.kind, s.value);
  const headers = { Accept: 'text/event-stream', ...bearer($('sub-token').value) };
  const cursor = $('sub-cursor').value.trim();
  if (cursor) headers['Last-Event-ID'] = cursor;
  const controller = new AbortController();
  ui.controller = controller;
  setState('connecting', 'Connecting');
  $('sub-result').textContent = '';
  let response;
  try {
    response = await fetch(url, { headers, signal: controller.signal, cache: 'no-store', credentials: 'same-origin' });
  } catch (e) {
    if (ui.controller === controller) fail(`network error: ${e.message}`);
    return;
  }
  if (!response.ok) {
    const text = (await response.text()).trim();
    fail(`${response.status} ${response.statusText}${text ? `: ${text}` : ''}`);
    return;
  }
  const resumed = response.headers.get('Mercure-Last-Event-ID') ?? response.headers.get('Last-Event-ID');
  setState('live', 'Live');
  $('unsubscribe').disabled = false;
  $('sub-result').textContent = resumed ? `Subscribed; the hub resumed from ${resumed}` : 'Subscribed';
  const feed = sseParser(onEvent);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      feed(value);
    }
    if (ui.controller === controller) {
      setState('closed', 'Stream ended');
      $('sub-result').textContent = 'The hub ended the stream; subscribe again to resume from the cursor.';
      $('sub-cursor').value = ui.lastEventId ?? cursor;
    }
  } catch (e) {
    if (ui.controller === controller) fail(`stream error: ${e.message}`);
  }
}

function fail(message) {
  setState('closed', 'Failed');
  $('sub-result').textContent = message;
  $('unsubscribe').disabled = true;
}

function unsubscribe() {
  if (ui.controller) {
    const c = ui.controller;
    ui.controller = null;
    c.abort();
    setState('closed', 'Not subscribed');
    $('unsubscribe').disabled = true;
  }
}

function onEvent(event) {
  ui.events.push(event);
  if (ui.events.length > MAX_EVENTS) ui.events.shift();
  if (event.id) {
    ui.lastEventId = event.id;
    $('last-id').textContent = event.id;
  }
  const tr = document.createElement('tr');
  tr.dataset.id = event.id;
  tr.dataset.type = event.type;
  for (const [cls, text] of [['when', new Date().toLocaleTimeString('en-GB')], ['type', event.type], ['id', event.id], ['data', event.data]]) {
    const td = document.createElement('td');
    td.className = cls;
    td.textContent = text;
    tr.append(td);
  }
  const body = $('events');
  body.prepend(tr);
  while (body.children.length > MAX_EVENTS) body.lastElementChild.remove();
  $('event-count').textContent = String(ui.events.length);
}

// ---- publishing ------------------------------------------------------------------------------

async function publish() {
  const body = new URLSearchParams();
  for (const t of $('pub-topics').value.split('\n').map((s) => s.trim()).filter(Boolean)) body.append('topic', t);
  body.set('data', $('pub-data').value);
  if ($('pub-private').checked) body.set('private', 'on');
  for (const field of ['id', 'type', 'retry']) {
    const v = $(`pub-${field}`).value.trim();
    if (v) body.set(field, v);
  }
  $('pub-result').textContent = 'Publishing…';
  try {
    const res = await fetch(ui.config.hubUrl, {
      method: 'POST', body, credentials: 'omit', headers: bearer($('pub-token').value),
    });
    const text = (await res.text()).trim();
    $('pub-result').dataset.status = String(res.status);
    $('pub-result').textContent = res.ok ? `Published: ${text}` : `${res.status} ${res.statusText}${text ? `: ${text}` : ''}`;
  } catch (e) {
    $('pub-result').textContent = `network error: ${e.message}`;
  }
}

// ---- active subscriptions --------------------------------------------------------------------

async function loadSubscriptions() {
  $('subs-result').textContent = 'Loading…';
  try {
    const res = await fetch(`${ui.config.hubUrl}/subscriptions`, {
      headers: { Accept: 'application/ld+json, application/json', ...bearer($('sub-token').value) },
      cache: 'no-store',
    });
    const text = await res.text();
    if (!res.ok) {
      $('subs-result').textContent = `${res.status} ${res.statusText}: ${text.trim()}`;
      return;
    }
    const list = JSON.parse(text).subscriptions ?? [];
    $('subscriptions').replaceChildren(...list.map((s) => {
      const tr = document.createElement('tr');
      for (const text of [s.topic ?? `${s.match_type ?? 'exact'} ${s.match}`, s.subscriber, s.payload === undefined ? '' : JSON.stringify(s.payload)]) {
        const td = document.createElement('td');
        td.textContent = text ?? '';
        tr.append(td);
      }
      return tr;
    }));
    $('subs-result').textContent = `${list.length} subscription${list.length === 1 ? '' : 's'}`;
  } catch (e) {
    $('subs-result').textContent = `error: ${e.message}`;
  }
}

// ---- start -----------------------------------------------------------------------------------

async function main() {
  const res = await fetch('config.json', { cache: 'no-store' });
  ui.config = await res.json();
  $('hub-url').textContent = ui.config.hubUrl;
  $('hub-protocol').textContent = ui.config.protocol;
  $('subscriptions-panel').hidden = !ui.config.subscriptions;
  addSelector('topic', 'https://example.com/books/{id}');
  $('add-selector').addEventListener('click', () => addSelector().querySelector('.value').focus());
  $('sub-form').addEventListener('submit', (e) => { e.preventDefault(); subscribe(); });
  $('unsubscribe').addEventListener('click', unsubscribe);
  $('clear').addEventListener('click', () => {
    ui.events = [];
    $('events').replaceChildren();
    $('event-count').textContent = '0';
  });
  $('pub-form').addEventListener('submit', (e) => { e.preventDefault(); publish(); });
  $('load-subscriptions').addEventListener('click', loadSubscriptions);
  document.body.dataset.ready = 'true';
}

main().catch((e) => { $('sub-result').textContent = `Could not load the UI's configuration: ${e.message}`; });
