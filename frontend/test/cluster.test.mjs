// The price simulator is a cluster singleton: with two clustered nodes sharing one Redis, killing the
// node that runs it hands it to the other, and a ticker page on that other node keeps moving.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { freePort, hubConfig, launchBrowser, redisAvailable, startHub, startRedis, until, watchPage } from '../testing/support.mjs';

const LEASE_TAKEN = /took the \S*lease:simulator lease/;

describe('cluster singleton simulator', { timeout: 240_000, skip: !redisAvailable() && 'redis-server not installed' }, () => {
  let redis;
  let browser;
  let nodes = [];

  before(async () => {
    redis = await startRedis();
    browser = await launchBrowser();
    const clusterPorts = [await freePort(), await freePort()];
    const name = `qs-frontend-${crypto.randomUUID().slice(0, 8)}`;
    const shared = {
      QS_CLUSTER: 'true',
      QS_CLUSTER_HOST: '127.0.0.1',
      QS_CLUSTER_MEMBERS: clusterPorts.map((p) => `127.0.0.1:${p}`).join(' '),
      QS_CLUSTER_NAME: name,
      QS_REDIS_URL: redis.url,
      QS_REDIS_PREFIX: name,
    };
    nodes = await Promise.all(clusterPorts.map((p, i) =>
      startHub({ label: `cluster-${'ab'[i]}`, env: { ...shared, QS_CLUSTER_PORT: String(p) }, timeout: 90_000 })));
  });

  after(async () => {
    await browser?.close();
    await Promise.all(nodes.map((n) => n.stop()));
    await redis?.stop();
  });

  test('killing the node that runs the simulator: the ticker on the other node keeps moving', async () => {
    const leader = await until(() => nodes.find((n) => LEASE_TAKEN.test(n.log())), {
      timeout: 30_000, message: 'a node taking the simulator lease',
    });
    const other = nodes.find((n) => n !== leader);
    assert.doesNotMatch(other.log(), LEASE_TAKEN, 'one leader only');
    const config = await hubConfig(other.base);

    const context = await browser.newContext();
    const page = watchPage(await context.newPage(), 'cluster');
    await page.goto(`${other.base}/`);
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 10_000 });
    await page.waitForFunction((symbols) => symbols.every((s) => window.quicksilverTicker.series[s].length >= 3), config.symbols, { timeout: 15_000 });

    await leader.kill();
    const killedAt = Date.now();
    // The survivor takes the lease, runs the simulator, and the page (which never lost its stream) moves on.
    await until(() => LEASE_TAKEN.test(other.log()), { timeout: 45_000, message: 'the other node taking the lease' });
    await page.waitForFunction(([symbols, t]) => symbols.every((s) =>
      window.quicksilverTicker.series[s].filter((p) => p.timestamp > t).length >= 5), [config.symbols, killedAt], { timeout: 45_000 });
    assert.equal(await page.locator('#status').getAttribute('data-state'), 'live');
    const { gaps, restarts, duplicates, repeated, late } = await page.evaluate(() => {
      const t = window.quicksilverTicker;
      return { gaps: t.gaps, restarts: t.restarts, duplicates: t.duplicates, repeated: t.repeated, late: t.late };
    });
    if (late) console.log(`note: ${late} ticks arrived after a later tick of the same symbol`);
    assert.deepEqual(gaps, [], 'no tick skipped across the hand-over');
    assert.deepEqual(restarts, [], 'the new leader continues each symbol\'s sequence');
    assert.equal(duplicates, 0, `no tick repeated across the hand-over: ${JSON.stringify(repeated)}`);
    await context.close();
  });
});
