// Live ticker: one EventSource on the hub for every symbol's topic; a card and a chart per symbol.
// Reconnection is EventSource's own: it sends Last-Event-ID and the hub replays what was missed.
// If the stream fails for good (an HTTP error while the hub restarts), we open a new one from the
// last id we saw, so nothing is skipped either way.
//
// For tests and the curious, window.quicksilverTicker exposes the state:
//   state     'connecting' | 'live' | 'reconnecting'
//   series    { SYMBOL: [{ sequence, price, timestamp, id }] } (the last 2000 per symbol)
//   ids       every event id received, in order (the last 20000)
//   gaps      [{ symbol, after, next }] where a symbol's sequence jumped by more than one
//   restarts  [{ symbol, after, next }] where a symbol's sequence went back (a new simulator)

import { loadConfig, hubUrl, setState, formatPrice, formatTime } from './common.js';
import { LineChart } from './chart.js';

const MAX_SERIES = 2000;
const MAX_IDS = 20000;
const REOPEN_MS = 2000;

const statusEl = document.getElementById('status');
const grid = document.getElementById('tickers');
const ticker = { state: 'connecting', series: {}, ids: [], gaps: [], restarts: [], duplicates: 0, lastEventId: null };
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
  el.innerHTML = `
    <div class="head">
      <span class="symbol"></span>
      <span class="time note"></span>
    </div>
    <div class="head">
      <span class="price" aria-live="off">—</span>
      <span class="change"></span>
    </div>
    <canvas data-points="0" role="img"></canvas>`;
  el.querySelector('.symbol').textContent = symbol;
  el.querySelector('canvas').setAttribute('aria-label', `${symbol} price chart`);
  el.setAttribute('aria-label', symbol);
  grid.append(el);
  const chart = new LineChart(el.querySelector('canvas'));
  el.addEventListener('animationend', () => el.classList.remove('flash-up', 'flash-down'));
  return { el, chart, price: el.querySelector('.price'), change: el.querySelector('.change'), time: el.querySelector('.time') };
}

function onUpdate(event) {
  let tick;
  try {
    tick = JSON.parse(event.data);
  } catch {
    return;
  }
  const c = cards.get(tick.symbol);
  if (!c) return;
  if (event.lastEventId) {
    ticker.lastEventId = event.lastEventId;
    ticker.ids.push(event.lastEventId);
    if (ticker.ids.length > MAX_IDS) ticker.ids.shift();
  }

  const series = ticker.series[tick.symbol];
  const prev = series[series.length - 1];
  if (prev && typeof tick.sequence === 'number') {
    if (tick.sequence === prev.sequence) { ticker.duplicates++; return; }
    if (tick.sequence > prev.sequence + 1) ticker.gaps.push({ symbol: tick.symbol, after: prev.sequence, next: tick.sequence });
    if (tick.sequence < prev.sequence) ticker.restarts.push({ symbol: tick.symbol, after: prev.sequence, next: tick.sequence });
  }
  series.push({ sequence: tick.sequence, price: tick.price, timestamp: tick.timestamp, id: event.lastEventId });
  if (series.length > MAX_SERIES) series.shift();

  const up = prev ? tick.price >= prev.price : tick.change >= 0;
  c.el.dataset.sequence = String(tick.sequence);
  c.el.dataset.trend = up ? 'up' : 'down';
  c.el.dataset.gaps = String(ticker.gaps.filter((g) => g.symbol === tick.symbol).length);
  c.price.textContent = formatPrice(tick.price);
  const sign = tick.change > 0 ? '+' : '';
  c.change.textContent = `${sign}${formatPrice(tick.change)} (${sign}${Number(tick.changePercent).toFixed(2)}%)`;
  c.time.textContent = formatTime(tick.timestamp);
  if (prev && tick.price !== prev.price) {
    c.el.classList.remove('flash-up', 'flash-down');
    void c.el.offsetWidth; // restart the animation
    c.el.classList.add(tick.price > prev.price ? 'flash-up' : 'flash-down');
  }
  c.chart.push(tick.price);
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
  if (config.debugUi) document.getElementById('debug-link').hidden = false;
  for (const symbol of config.symbols) {
    ticker.series[symbol] = [];
    cards.set(symbol, card(symbol));
  }
  const topics = config.symbols.map((s) => config.stockTopicPrefix + s);
  // A page may be opened with ?lastEventID=<id> to start from a cursor (e.g. 'earliest').
  const cursor = new URLSearchParams(location.search).get('lastEventID');
  connect(config, topics, cursor);
}

main();
