// Live ticker: one EventSource on the hub for every symbol's topic; a card and a chart per symbol.
// On load the charts are filled from the hub's history (GET /api/ticks: the recent ticks and the id of
// the newest update looked at), then the stream opens from that id as its cursor, so the page continues
// exactly where the history stopped. Reconnection is EventSource's own: it sends Last-Event-ID and the
// hub replays what was missed. If the stream fails for good (an HTTP error while the hub restarts), we
// open a new one from the last id we saw, so nothing is skipped either way.
//
// Each card shows the change since the session's open (the tick's `open`), coloured like its chart, and
// the delivery latency of the last tick (now minus the tick's publish time: same clock on a laptop; across
// machines it includes their clock difference). Motion follows prefers-reduced-motion; a polite live region
// tells screen readers about prices now and then, not on every tick.
//
// For tests and the curious, window.quicksilverTicker exposes the state:
//   state     'connecting' | 'live' | 'reconnecting'
//   fromHistory how many ticks came from /api/ticks (their ids are in `ids` too)
//   latency   { SYMBOL: ms } of the last live tick
//   announcements the texts given to screen readers
//   series    { SYMBOL: [{ sequence, price, timestamp, id }] } (the last 2000 per symbol)
//   ids       every event id received, in order (the last 20000)
//   gaps      [{ symbol, sequence }]: ticks skipped in a symbol's sequence and not (yet) arrived
//   late      ticks that arrived after a later one of their symbol (they fill a gap; not charted)
//   duplicates ticks whose sequence was already seen (ignored); repeated: the first 100 of them
//   restarts  [{ symbol, after, next }] where a symbol's series started again from an earlier sequence
//             (a newer tick with a sequence already passed: a new simulator, or one resuming from older state)

import { loadConfig, hubUrl, setState, formatPrice, formatTime, reducedMotion } from './common.js';
import { LineChart } from './chart.js';

const MAX_SERIES = 2000;
const MAX_IDS = 20000;
const MAX_GAPS = 1000;
const REOPEN_MS = 2000;
/** Screen readers hear about prices at most this often. */
const ANNOUNCE_MS = 20_000;
const FIRST_ANNOUNCE_MS = 5_000;
/** A tick older than this when it arrives was replayed, not delivered live. */
const REPLAYED_MS = 10_000;

const statusEl = document.getElementById('status');
const grid = document.getElementById('tickers');
const ticker = {
  state: 'connecting', series: {}, ids: [], gaps: [], late: 0, duplicates: 0, repeated: [], restarts: [], lastEventId: null,
  fromHistory: 0, latency: {}, announcements: [],
};
const highest = {}; // symbol -> highest sequence seen
window.quicksilverTicker = ticker;

const cards = new Map();

function state(s) {
  ticker.state = s;
  setState(statusEl, s);
}

function card(symbol) {
  const el = document.createElement('article');
  el.className = 'card';
  el.dataset.symbol = symbol;
  el.dataset.sequence = '';
  el.dataset.gaps = '0';
  el.innerHTML = `
    <div class="head">
      <span class="symbol"></span>
      <span class="time note"></span>
    </div>
    <div class="head">
      <span class="price" aria-live="off">—</span>
      <span class="change" title="since the session's open"></span>
    </div>
    <canvas data-points="0" role="img"></canvas>
    <div class="foot note"><span class="open"></span><span class="latency" title="publish to display"></span></div>`;
  el.querySelector('.symbol').textContent = symbol;
  el.querySelector('canvas').setAttribute('aria-label', `${symbol} price chart`);
  el.setAttribute('aria-label', symbol);
  grid.append(el);
  const chart = new LineChart(el.querySelector('canvas'));
  el.addEventListener('animationend', () => el.classList.remove('flash-up', 'flash-down'));
  return {
    el, chart, price: el.querySelector('.price'), change: el.querySelector('.change'), time: el.querySelector('.time'),
    open: el.querySelector('.open'), latency: el.querySelector('.latency'),
  };
}

function onUpdate(event) {
  let tick;
  try {
    tick = JSON.parse(event.data);
  } catch {
    return;
  }
  if (event.lastEventId) {
    ticker.lastEventId = event.lastEventId;
    ticker.ids.push(event.lastEventId);
    if (ticker.ids.length > MAX_IDS) ticker.ids.shift();
  }
  // A tick replayed from the history (a cursor far back) is shown like one from /api/ticks: no flash, no latency.
  show(tick, event.lastEventId, Date.now() - tick.timestamp < REPLAYED_MS);
}

/** Shows a tick: from the stream (live: latency shown, the card may flash) or from the history. */
function show(tick, id, live) {
  const c = cards.get(tick.symbol);
  if (!c || !inSequence(tick)) return;
  const series = ticker.series[tick.symbol];
  const prev = series[series.length - 1];
  series.push({ sequence: tick.sequence, price: tick.price, timestamp: tick.timestamp, id });
  if (series.length > MAX_SERIES) series.shift();

  // Headline and chart follow one rule: the change since the session's open.
  const open = typeof tick.open === 'number' ? tick.open : tick.price - tick.change;
  const up = tick.price >= open;
  c.el.dataset.sequence = String(tick.sequence);
  c.el.dataset.trend = up ? 'up' : 'down';
  c.price.textContent = formatPrice(tick.price);
  const sign = tick.change > 0 ? '+' : '';
  c.change.textContent = `${sign}${formatPrice(tick.change)} (${sign}${Number(tick.changePercent).toFixed(2)}%)`;
  c.time.textContent = formatTime(tick.timestamp);
  c.open.textContent = `open ${formatPrice(open)}`;
  c.chart.setOpen(open);
  c.chart.push(tick.timestamp, tick.price);
  if (!live) return;
  const latency = Math.max(0, Date.now() - tick.timestamp);
  ticker.latency[tick.symbol] = latency;
  c.el.dataset.latency = String(latency);
  c.latency.textContent = `delivered in ${latency} ms`;
  if (prev && tick.price !== prev.price && !reducedMotion()) {
    c.el.classList.remove('flash-up', 'flash-down');
    void c.el.offsetWidth; // restart the animation
    c.el.classList.add(tick.price > prev.price ? 'flash-up' : 'flash-down');
  }
}

/**
 * Now and then (5 s after the page opened, then every ANNOUNCE_MS), the symbol that moved most since it was last announced is told to
 * screen readers through the polite live region: never on every tick of every symbol.
 */
function announce() {
  const last = ticker.lastAnnounced ?? (ticker.lastAnnounced = {});
  let best = null;
  for (const [symbol, series] of Object.entries(ticker.series)) {
    const p = series.at(-1);
    if (!p) continue;
    const move = Math.abs(p.price - (last[symbol] ?? 0));
    if (!best || move > best.move) best = { symbol, price: p.price, move };
  }
  if (!best) return;
  last[best.symbol] = best.price;
  const c = cards.get(best.symbol);
  const text = `${best.symbol} ${formatPrice(best.price)}, ${c.el.dataset.trend === 'up' ? 'up' : 'down'} ${c.change.textContent} since the open`;
  ticker.announcements.push(text);
  document.getElementById('announcer').textContent = text;
}

/** Fills the charts from the hub's recent history; returns the cursor to continue from. */
async function loadHistory() {
  try {
    const res = await fetch('/api/ticks', { headers: { Accept: 'application/json' } });
    if (!res.ok) return null;
    const { ticks, lastEventId } = await res.json();
    for (const t of ticks) {
      ticker.ids.push(t.id);
      show(t, t.id, false);
    }
    ticker.fromHistory = ticks.length;
    if (lastEventId !== 'earliest') ticker.lastEventId = lastEventId; // where the stream continues
    return lastEventId;
  } catch {
    return null;
  }
}

/**
 * Tracks the symbol's sequence; true when the tick is the newest of its symbol (to show and chart).
 * A tick older than the newest either fills a gap (late) or repeats one already seen (duplicate).
 */
function inSequence(tick) {
  const { symbol, sequence } = tick;
  const high = highest[symbol];
  if (typeof sequence !== 'number' || high === undefined) {
    highest[symbol] = sequence;
    return true;
  }
  if (sequence > high) {
    for (let s = high + 1; s < sequence && ticker.gaps.length < MAX_GAPS; s++) ticker.gaps.push({ symbol, sequence: s });
    highest[symbol] = sequence;
    markGaps(symbol);
    return true;
  }
  const i = ticker.gaps.findIndex((g) => g.symbol === symbol && g.sequence === sequence);
  if (i >= 0) {
    ticker.gaps.splice(i, 1);
    ticker.late++;
    markGaps(symbol);
    return false;
  }
  const newest = ticker.series[symbol].at(-1);
  if (newest && tick.timestamp > newest.timestamp) {
    // Newer than what we show, yet not a newer sequence: the simulator started (or resumed) its series
    // again from an earlier point. Follow it.
    ticker.restarts.push({ symbol, after: high, next: sequence });
    ticker.gaps = ticker.gaps.filter((g) => g.symbol !== symbol);
    highest[symbol] = sequence;
    markGaps(symbol);
    return true;
  }
  ticker.duplicates++;
  if (ticker.repeated.length < 100) ticker.repeated.push({ symbol, sequence, high });
  return false;
}

function markGaps(symbol) {
  cards.get(symbol).el.dataset.gaps = String(ticker.gaps.filter((g) => g.symbol === symbol).length);
}

function connect(config, topics, cursor) {
  const source = new EventSource(hubUrl(config.hubUrl, topics, { lastEventID: cursor }));
  source.addEventListener('open', () => state('live'));
  source.addEventListener('stock_update', onUpdate);
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CONNECTING) {
      state('reconnecting'); // the browser retries by itself, with Last-Event-ID
    } else {
      // Closed for good (e.g. an HTTP error while the hub restarts): open a new stream from our cursor.
      state('reconnecting');
      source.close();
      setTimeout(() => connect(config, topics, ticker.lastEventId ?? cursor), REOPEN_MS);
    }
  });
  ticker.source = source;
}

async function main() {
  state('connecting');
  let config;
  for (let attempt = 0; !config; attempt++) {
    try {
      config = await loadConfig();
    } catch {
      state('reconnecting');
      await new Promise((r) => setTimeout(r, Math.min(5000, 500 * 2 ** attempt)));
    }
  }
  ticker.config = config;
  if (config.hubUi) {
    const link = document.getElementById('ui-link');
    link.href = config.hubUi;
    link.hidden = false;
  }
  for (const symbol of config.symbols) {
    ticker.series[symbol] = [];
    cards.set(symbol, card(symbol));
  }
  const topics = config.symbols.map((s) => config.stockTopicPrefix + s);
  // A page may be opened with ?lastEventID=<id> to start from that cursor (e.g. 'earliest'); otherwise
  // the charts are filled from the history and the stream continues from where it stopped.
  const cursor = new URLSearchParams(location.search).get('lastEventID') ?? await loadHistory();
  connect(config, topics, cursor);
  setTimeout(() => { announce(); setInterval(announce, ANNOUNCE_MS); }, FIRST_ANNOUNCE_MS);
}

main();
