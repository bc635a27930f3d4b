// The ticker page across a hub restart (SIGKILL, then a new process on the same port): it shows
// "reconnecting", then "live" again; with Redis history nothing is missed — every update the hub holds
// between the page's first and last received ids reached the page, in order, and the per-symbol
// sequence has no gap.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hubConfig, launchBrowser, openStream, redisAvailable, startHub, startRedis, until, watchPage } from '../testing/support.mjs';

describe('ticker across a hub restart', { timeout: 240_000 }, () => {
  let browser;
  const cleanup = [];

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    for (const c of cleanup.reverse()) await c();
  });

  /** Waits until every symbol has received `n` more updates than in `counts`. */
  const moreUpdates = (page, counts, n, timeout) => page.waitForFunction(([c, k]) =>
    Object.entries(c).every(([s, len]) => window.quicksilverTicker.series[s].length >= len + k), [counts, n], { timeout });
  const counts = (page) => page.evaluate(() => Object.fromEntries(
    Object.entries(window.quicksilverTicker.series).map(([s, v]) => [s, v.length])));

  test('with Redis: reconnecting, then live, and no update missed', { skip: !redisAvailable() && 'redis-server not installed' }, async () => {
    const redis = await startRedis();
    cleanup.push(() => redis.stop());
    const env = { QS_REDIS_URL: redis.url };
    let hub = await startHub({ label: 'restart-redis-1', env });
    cleanup.push(() => hub.stop());
    const port = hub.port;
    const config = await hubConfig(hub.base);

    const context = await browser.newContext();
    const page = watchPage(await context.newPage(), 'restart');
    await page.goto(`${hub.base}/`);
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 10_000 });
    await moreUpdates(page, Object.fromEntries(config.symbols.map((s) => [s, 0])), 5, 15_000);

    await hub.kill();
    await page.locator('#status[data-state="reconnecting"]').waitFor({ timeout: 15_000 });
    const before = await counts(page);
    const lastBefore = await page.evaluate(() => window.quicksilverTicker.lastEventId);

    hub = await startHub({ port, label: 'restart-redis-2', env });
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 30_000 });
    // The simulator resumes (possibly after the dead node's lease expires), and the page follows.
    await moreUpdates(page, before, 5, 45_000);

    const seen = await page.evaluate(() => ({
      ids: window.quicksilverTicker.ids,
      gaps: window.quicksilverTicker.gaps,
      restarts: window.quicksilverTicker.restarts,
      duplicates: window.quicksilverTicker.duplicates,
      late: window.quicksilverTicker.late,
      repeated: window.quicksilverTicker.repeated,
      lastEventId: window.quicksilverTicker.lastEventId,
    }));
    assert.ok(seen.ids.includes(lastBefore));

    // The hub's own record: replay from `earliest` up to the page's last id.
    const topics = config.symbols.map((s) => config.stockTopicPrefix + s);
    const replay = openStream(`${hub.base}/.well-known/mercure?${new URLSearchParams([...topics.map((t) => ['topic', t]), ['lastEventID', 'earliest']])}`);
    await replay.ready;
    await until(() => replay.events.some((e) => e.id === seen.lastEventId), { timeout: 15_000, message: "the page's last id in the replay" });
    replay.close();
    const history = replay.events.map((e) => e.id);
    const from = history.indexOf(seen.ids[0]);
    const to = history.indexOf(seen.lastEventId);
    assert.ok(from >= 0, "the page's first id is in the hub's history");
    const expected = history.slice(from, to + 1);
    const missed = expected.filter((id) => !seen.ids.includes(id));
    assert.deepEqual(missed, [], `updates in the hub's history that the page missed (${missed.length} of ${expected.length})`);
    assert.deepEqual(seen.ids, expected, 'the page received the history in order, each once');

    // And the price series per symbol: the simulator continued each sequence (from Redis) with no tick
    // missing and none repeated.
    if (seen.late) console.log(`note: ${seen.late} ticks arrived after a later tick of the same symbol`);
    assert.deepEqual(seen.gaps, [], 'ticks missing from a symbol\'s sequence');
    assert.deepEqual(seen.restarts, [], 'a symbol\'s sequence went back');
    assert.equal(seen.duplicates, 0, `ticks repeated: ${JSON.stringify(seen.repeated)}`);
    await context.close();
  });

  test('in memory: reconnecting, then live again with new prices', async () => {
    let hub = await startHub({ label: 'restart-mem-1' });
    cleanup.push(() => hub.stop());
    const port = hub.port;
    const config = await hubConfig(hub.base);
    const context = await browser.newContext();
    const page = watchPage(await context.newPage(), 'restart-mem');
    await page.goto(`${hub.base}/`);
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 10_000 });
    await moreUpdates(page, Object.fromEntries(config.symbols.map((s) => [s, 0])), 3, 15_000);
    await hub.kill();
    await page.locator('#status[data-state="reconnecting"]').waitFor({ timeout: 15_000 });
    const before = await counts(page);
    hub = await startHub({ port, label: 'restart-mem-2' });
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 30_000 });
    await moreUpdates(page, before, 3, 30_000);
    await context.close();
  });
});
