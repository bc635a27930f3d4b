// Helpers shared by the demo pages.

/** GET /api/config: hub URL, symbols, topic prefix. */
export async function loadConfig() {
  const res = await fetch('/api/config', { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`/api/config answered ${res.status}`);
  return res.json();
}

/** The hub URL with one `topic` parameter per selector, plus any extra parameters. */
export function hubUrl(base, topics, extra = {}) {
  const url = new URL(base, location.href);
  for (const t of topics) url.searchParams.append('topic', t);
  for (const [k, v] of Object.entries(extra)) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  return url.toString();
}

/** Shows a connection state on a badge element: connecting, live, reconnecting or closed. */
export function setState(el, state, text) {
  el.dataset.state = state;
  el.textContent = text ?? state[0].toUpperCase() + state.slice(1);
}

// One formatter each: toLocaleString() builds a new one on every call, which shows when a page replays
// thousands of updates.
const PRICE = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function formatPrice(n) {
  return PRICE.format(Number(n));
}

export function formatTime(ms) {
  return TIME.format(new Date(ms));
}

/** Epoch milliseconds from a number (seconds or ms) or an ISO string. */
export function toEpochMs(v) {
  if (typeof v === 'number') return v < 1e12 ? v * 1000 : v;
  const n = Number(v);
  if (Number.isFinite(n)) return toEpochMs(n);
  return Date.parse(v);
}

/** Whether the reader asked for less motion (prefers-reduced-motion): then nothing flashes or pulses. */
export function reducedMotion() {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}
