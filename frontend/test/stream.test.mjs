// /api/stream/stock/{symbol}, the plain SSE feed of one symbol, from Node (no browser): one event per
// tick, and 1 000 concurrent clients served.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hubConfig, openStream, sseParser, startHub, until } from '../testing/support.mjs';

describe('plain SSE stock stream', { timeout: 180_000 }, () => {
  let hub;

  before(async () => {
    hub = await startHub({ label: 'stream' });
    await hubConfig(hub.base);
  });

  after(async () => {
    await hub?.stop();
  });

  test('prints one stock_update event per tick', async () => {
    const res = await fetch(`${hub.base}/api/stream/stock/AAPL`, { headers: { Accept: 'text/event-stream' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/event-stream/);
    const events = [];
    const feed = sseParser((e) => events.push(e));
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const deadline = Date.now() + 15_000;
    while (events.length < 10) {
      assert.ok(Date.now() < deadline, `only ${events.length} events within 15 s`);
      const { value, done } = await reader.read();
      assert.ok(!done, 'stream ended early');
      feed(value);
    }
    await reader.cancel();

    const ticks = events.map((e) => ({ ...e, json: JSON.parse(e.data) }));
    for (const t of ticks) {
      assert.equal(t.type, 'stock_update');
      assert.ok(t.id, 'each event has an id');
      assert.equal(t.json.symbol, 'AAPL');
      for (const k of ['price', 'change', 'changePercent', 'timestamp', 'sequence']) assert.equal(typeof t.json[k], 'number', k);
    }
    // One event per tick: consecutive sequences, increasing timestamps about one interval (200 ms) apart.
    for (let i = 1; i < ticks.length; i++) {
      assert.equal(ticks[i].json.sequence, ticks[i - 1].json.sequence + 1, 'consecutive sequence');
      assert.ok(ticks[i].json.timestamp > ticks[i - 1].json.timestamp, 'increasing timestamp');
    }
    const span = ticks.at(-1).json.timestamp - ticks[0].json.timestamp;
    assert.ok(span >= 9 * 200 * 0.5 && span <= 9 * 200 * 3, `9 ticks took ${span} ms`);
    assert.equal(new Set(ticks.map((t) => t.id)).size, ticks.length, 'distinct ids');
  });

  test('serves 1 000 concurrent clients', async () => {
    const N = 1000;
    const streams = [];
    try {
      // Each client on its own connection (no keep-alive agent); opened in batches of 100.
      for (let i = 0; i < N; i += 100) {
        const batch = Array.from({ length: 100 }, () => openStream(`${hub.base}/api/stream/stock/AAPL`));
        streams.push(...batch);
        await Promise.all(batch.map((s) => s.ready));
      }
      assert.equal(streams.filter((s) => s.status === 200).length, N, 'all answered 200');
      // Every client gets events — at least two each, so delivery goes on for all of them at once.
      await until(() => streams.every((s) => s.events.length >= 2), {
        timeout: 60_000,
        interval: 200,
        message: () => `every client receiving 2 events (${streams.filter((s) => s.events.length >= 2).length}/${N} did)`,
      });
      assert.equal(streams.filter((s) => s.ended).length, 0, 'no stream ended');
      // They all saw the same updates: the most recent sequence reached is shared.
      const last = streams.map((s) => JSON.parse(s.events.at(-1).data).sequence);
      assert.ok(Math.max(...last) - Math.min(...last) <= 25, `clients are within a few ticks of each other (${Math.min(...last)}..${Math.max(...last)})`);
    } finally {
      for (const s of streams) s.close();
    }
    // The hub is still responsive afterwards.
    assert.ok((await hubConfig(hub.base)).symbols.length > 0);
  });
});
