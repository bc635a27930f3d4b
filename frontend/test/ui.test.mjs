// The hub UI (/.well-known/mercure/ui/, QS_UI) against a hub without the demo and without anonymous
// access: subscribe with a token sent in a header (never in a URL), topic / match / match_urlpattern
// selectors and a cursor, publish with every field, see the events with their ids and types, list the
// active subscriptions; the page's strict CSP holds (no violation), and the UI is off unless configured.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT, PUBLISHER_KEY, RESULTS, SUBSCRIBER_KEY, jwt, launchBrowser, publish, startHub, watchPage } from '../testing/support.mjs';

const exp = () => Math.floor(Date.now() / 1000) + 3600;
const rows = (page) => page.locator('#events tr').evaluateAll((trs) => trs.map((tr) => ({
  type: tr.dataset.type, id: tr.dataset.id, data: tr.querySelector('.data').textContent,
})).reverse());

describe('hub UI', { timeout: 120_000 }, () => {
  let hub;
  let browser;
  let page;
  const hubRequests = [];
  const violations = [];

  before(async () => {
    hub = await startHub({
      label: 'ui',
      env: { QS_UI: 'true', QS_DEMO: 'false', QS_ANONYMOUS: 'false', QS_SUBSCRIPTIONS: 'true', QS_DRAIN_WINDOW: '0' },
    });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = watchPage(await context.newPage(), 'ui');
    page.on('request', (r) => {
      if (r.url().includes('/.well-known/mercure') && !r.url().includes('/ui/')) {
        hubRequests.push({ url: r.url(), method: r.method(), headers: r.headers() });
      }
    });
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    await page.goto(`${hub.base}/.well-known/mercure/ui/`);
    await page.locator('body[data-ready="true"]').waitFor({ timeout: 10_000 });
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  async function selectors(list) {
    while (await page.locator('.selector').count() < list.length) await page.getByRole('button', { name: 'Add a selector' }).click();
    while (await page.locator('.selector').count() > list.length) await page.locator('.selector .remove').last().click();
    for (const [i, [kind, value]] of list.entries()) {
      await page.locator('.selector .kind').nth(i).selectOption(kind);
      await page.locator('.selector .value').nth(i).fill(value);
    }
  }

  async function subscribe({ token = '', cursor = '' } = {}) {
    await page.getByLabel(/Subscriber token/).fill(token);
    await page.getByLabel(/Cursor/).fill(cursor);
    await page.getByRole('button', { name: 'Clear events' }).click();
    await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
  }

  async function publishForm({ topics, data, priv = false, id = '', type = '', retry = '', token }) {
    await page.getByLabel(/Topics, one per line/).fill(topics.join('\n'));
    await page.getByLabel('Data').fill(data);
    await page.getByLabel('Private').setChecked(priv);
    await page.getByLabel('ID (optional)').fill(id);
    await page.getByLabel('Type (optional)').fill(type);
    await page.getByLabel(/Retry/).fill(retry);
    await page.getByLabel('Publisher token').fill(token);
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/.well-known/mercure'));
    await page.getByRole('button', { name: 'Publish' }).click();
    const res = await answered;
    return { status: res.status(), body: (await res.text()).trim() };
  }

  test('subscribes with a header token, publishes a private update with every field, and shows the event', async () => {
    const topic = `https://example.com/ui/${Date.now()}/secret`;
    const subscriber = jwt({ mercure: { subscribe: [topic] }, exp: exp() }, SUBSCRIBER_KEY);
    const publisher = jwt({ mercure: { publish: ['*'] }, exp: exp() }, PUBLISHER_KEY);
    await selectors([['topic', topic]]);
    await subscribe({ token: subscriber });
    await page.locator('#sub-status[data-state="live"]').waitFor({ timeout: 5_000 });

    const sent = await publishForm({ topics: [topic, 'https://example.com/ui/alternate'], data: 'line one\nline two', priv: true,
      id: `urn:ui:${Date.now()}`, type: 'book', retry: '2500', token: publisher });
    assert.equal(sent.status, 200, sent.body);
    await page.locator(`#events tr[data-id="${sent.body}"]`).waitFor({ timeout: 5_000 });
    const [event] = await rows(page);
    assert.deepEqual(event, { type: 'book', id: sent.body, data: 'line one\nline two' });
    assert.match(await page.locator('#pub-result').textContent(), /Published: urn:ui:/);
    assert.equal(await page.locator('#last-id').textContent(), sent.body);
    assert.equal(await page.evaluate(() => window.quicksilverUi.events.at(-1).retry), 2500);

    // The token went in the Authorization header of the stream and of the publish, never in a URL.
    const stream = hubRequests.find((r) => r.method === 'GET' && r.url.includes('topic='));
    assert.equal(stream.headers.authorization, `Bearer ${subscriber}`);
    const post = hubRequests.find((r) => r.method === 'POST');
    assert.equal(post.headers.authorization, `Bearer ${publisher}`);
    for (const r of hubRequests) {
      assert.ok(!r.url.includes(subscriber) && !r.url.includes(publisher) && !/authorization=/i.test(r.url), `no token in ${r.url}`);
    }

    await page.screenshot({ path: path.join(RESULTS, 'ui.png'), animations: 'disabled' });
    const docs = path.join(PROJECT, 'docs', 'images', 'ui.png');
    if (process.env.QS_UPDATE_SCREENSHOTS === '1' || !fs.existsSync(docs)) fs.copyFileSync(path.join(RESULTS, 'ui.png'), docs);
  });

  test('match and match_urlpattern selectors, a cursor, and refusals shown as the hub words them', async () => {
    const base = `https://example.com/ui-match/${Date.now()}`;
    const early = await publish(hub.base, { topic: `${base}/1`, data: 'before the subscription', type: 'early' });
    await publish(hub.base, { topic: `${base}/2`, data: 'second, before too' });
    // draft-08 selectors with the cursor of the first update: the second is replayed, then the live one arrives.
    const subscriber = jwt({ mercure: { subscribe: ['*'] }, exp: exp() }, SUBSCRIBER_KEY);
    await selectors([['match', `${base}/2`], ['match_urlpattern', `${base}/:n`]]);
    await subscribe({ token: subscriber, cursor: early });
    await page.locator('#sub-status[data-state="live"]').waitFor({ timeout: 5_000 });
    await page.locator('#events tr[data-type="message"]').first().waitFor({ timeout: 5_000 });
    const live = await publish(hub.base, { topic: `${base}/3`, data: 'live', type: 'later' });
    await page.locator(`#events tr[data-id="${live}"]`).waitFor({ timeout: 5_000 });
    const got = await rows(page);
    assert.deepEqual(got.map((e) => e.data), ['second, before too', 'live'], 'replayed after the cursor, then live, once each');
    assert.match(await page.locator('#sub-result').textContent(), new RegExp(early.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const stream = hubRequests.filter((r) => r.method === 'GET' && r.url.includes('match')).at(-1);
    assert.equal(stream.headers['last-event-id'], early);

    // No token, no anonymous access: the hub's 401 and reason are shown.
    await subscribe({ token: '' });
    await page.locator('#sub-status[data-state="closed"]').waitFor({ timeout: 5_000 });
    assert.match(await page.locator('#sub-result').textContent(), /^401/);
    const refused = await publishForm({ topics: [`${base}/x`], data: 'x', token: jwt({ mercure: { publish: ['https://other.example/*'] }, exp: exp() }, PUBLISHER_KEY) });
    assert.equal(refused.status, 403);
    assert.match(await page.locator('#pub-result').textContent(), /^403/);
  });

  test('lists the active subscriptions', async () => {
    const topic = `https://example.com/ui-subs/${Date.now()}`;
    const token = jwt({ mercure: { subscribe: [topic, '/.well-known/mercure/subscriptions{/topic}{/subscriber}'] }, exp: exp() }, SUBSCRIBER_KEY);
    await selectors([['topic', topic]]);
    await subscribe({ token });
    await page.locator('#sub-status[data-state="live"]').waitFor({ timeout: 5_000 });
    assert.equal(await page.locator('#subscriptions-panel').isVisible(), true);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('#subscriptions tr', { hasText: topic }).waitFor({ timeout: 5_000 });
    assert.match(await page.locator('#subs-result').textContent(), /\d+ subscriptions?/);
    assert.deepEqual(violations, [], 'no Content Security Policy violation');
  });

  test('the page is served with a strict CSP, and not at all unless configured', async () => {
    const res = await fetch(`${hub.base}/.well-known/mercure/ui/`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp), csp);
    const other = await startHub({ label: 'ui-off', env: { QS_DEMO: 'false', QS_DRAIN_WINDOW: '0' } });
    try {
      assert.equal((await fetch(`${other.base}/.well-known/mercure/ui/`)).status, 404);
    } finally {
      await other.stop();
    }
  });
});
