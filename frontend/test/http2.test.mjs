// The hub's own TLS listener with HTTP/2: a page opens more than six EventSources to one origin (the HTTP/1.1
// limit per host in browsers) and every one of them is live, multiplexed on one connection.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { jwt, launchBrowser, PUBLISHER_KEY, selfSignedCertificate, startHub, watchPage } from '../testing/support.mjs';

const SOURCES = 10;

describe('EventSources over HTTP/2', { timeout: 120_000 }, () => {
  let hub;
  let browser;
  let tls;

  before(async () => {
    tls = selfSignedCertificate();
    hub = await startHub({ label: 'http2', env: { QS_TLS_CERT: tls.cert, QS_TLS_KEY: tls.key } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
    if (tls) fs.rmSync(tls.dir, { recursive: true, force: true });
  });

  test(`${SOURCES} EventSources to one origin are all live`, async () => {
    assert.match(hub.base, /^https:/);
    // the test's certificate is self-signed: this browser context accepts it
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = watchPage(await context.newPage(), 'http2');
    await page.goto(`${hub.base}/`);
    const protocol = await page.evaluate(() => performance.getEntriesByType('navigation')[0].nextHopProtocol);
    assert.equal(protocol, 'h2', 'the page came over HTTP/2');

    await page.evaluate((n) => {
      window.received = Array.from({ length: n }, () => []);
      window.opened = 0;
      window.sources = Array.from({ length: n }, (_, i) => {
        const es = new EventSource(`/.well-known/mercure?topic=${encodeURIComponent(`https://example.com/h2/${i}`)}`);
        es.onopen = () => { window.opened += 1; };
        es.onmessage = (e) => window.received[i].push(e.data);
        return es;
      });
    }, SOURCES);
    // over HTTP/1.1 the seventh would wait for a free connection; over HTTP/2 all open at once
    await page.waitForFunction((n) => window.opened >= n, SOURCES, { timeout: 15_000 });

    const token = jwt({ mercure: { publish: ['*'] }, exp: Math.floor(Date.now() / 1000) + 600 }, PUBLISHER_KEY);
    const statuses = await page.evaluate(async ({ n, token }) => {
      const out = [];
      for (let i = 0; i < n; i++) {
        const body = new URLSearchParams({ topic: `https://example.com/h2/${i}`, data: `to source ${i}` });
        const res = await fetch('/.well-known/mercure', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body });
        out.push(res.status);
      }
      return out;
    }, { n: SOURCES, token });
    assert.deepEqual(statuses, Array(SOURCES).fill(200), 'publishes from the same page, while the streams are open');

    await page.waitForFunction((n) => window.received.every((r, i) => r.includes(`to source ${i}`)), SOURCES, { timeout: 15_000 });
    const states = await page.evaluate(() => window.sources.map((es) => es.readyState));
    assert.deepEqual(states, Array(SOURCES).fill(1), 'every EventSource is OPEN');
    await context.close();
  });
});
