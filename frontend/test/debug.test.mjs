// The hub debugger page: subscribe with a token and a cursor, publish through the form, see what arrives.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PUBLISHER_KEY, SUBSCRIBER_KEY, jwt, launchBrowser, startHub, watchPage } from '../testing/support.mjs';

const exp = () => Math.floor(Date.now() / 1000) + 3600;
const rows = (page) => page.locator('#sub-events tr').evaluateAll((trs) => trs.map((tr) => ({
  type: tr.querySelector('.type').textContent, id: tr.querySelector('.id').textContent, data: tr.querySelector('.data').textContent,
})).reverse());

describe('hub debugger page', { timeout: 120_000 }, () => {
  let hub;
  let browser;
  let page;

  before(async () => {
    hub = await startHub({ label: 'debug' });
    browser = await launchBrowser();
    page = watchPage(await (await browser.newContext()).newPage(), 'debug');
    await page.goto(`${hub.base}/debug.html`);
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  async function subscribe({ topics, token = '', cursor = '' }) {
    await page.getByLabel(/Topic selectors/).fill(topics.join('\n'));
    await page.getByLabel(/Event types/).fill('message, book');
    await page.getByLabel(/Subscriber JWT/).fill(token);
    await page.getByLabel(/Last event ID/).fill(cursor);
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
    await page.locator('#sub-status[data-state="live"]').waitFor({ timeout: 5_000 });
  }

  async function publishForm({ topics, data, priv = false, id = '', type = '' }) {
    await page.getByLabel(/Topics, one per line/).fill(topics.join('\n'));
    await page.getByLabel('Data').fill(data);
    await page.getByRole('checkbox', { name: 'Private' }).setChecked(priv);
    await page.getByLabel(/^ID/).fill(id);
    await page.getByLabel(/^Type/).fill(type);
    await page.getByLabel('Publisher JWT').fill(jwt({ mercure: { publish: ['*'] }, exp: exp() }, PUBLISHER_KEY));
    const done = page.waitForResponse((r) => r.url().endsWith('/.well-known/mercure') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Publish' }).click();
    assert.equal((await done).status(), 200);
    await page.locator('#pub-result[data-status="200"]').filter({ hasText: 'Published' }).waitFor({ timeout: 5_000 });
    return (await page.locator('#pub-result').textContent()).replace('Published: ', '');
  }

  test('a subscriber with a token receives a private update published through the form; a cursor replays it', async () => {
    const token = jwt({ mercure: { subscribe: ['https://example.com/books/{id}'] }, exp: exp() }, SUBSCRIBER_KEY);
    await subscribe({ topics: ['https://example.com/books/{id}'], token });
    const id = await publishForm({ topics: ['https://example.com/books/1'], data: '{"title":"Dune"}', priv: true, id: 'book-1', type: 'book' });
    assert.equal(id, 'book-1');
    await page.locator('#sub-events tr').filter({ hasText: 'book-1' }).waitFor({ timeout: 5_000 });
    assert.deepEqual(await rows(page), [{ type: 'book', id: 'book-1', data: '{"title":"Dune"}' }]);

    // From the cursor `earliest`: the history holds it.
    await subscribe({ topics: ['https://example.com/books/{id}'], token, cursor: 'earliest' });
    await page.locator('#sub-events tr').filter({ hasText: 'book-1' }).waitFor({ timeout: 5_000 });
  });

  test('without a token, a private update is not shown; the public one after it is', async () => {
    await subscribe({ topics: ['https://example.com/books/{id}'] });
    await publishForm({ topics: ['https://example.com/books/2'], data: 'secret', priv: true, id: 'book-2' });
    await publishForm({ topics: ['https://example.com/books/3'], data: 'public', id: 'book-3' });
    await page.locator('#sub-events tr').filter({ hasText: 'book-3' }).waitFor({ timeout: 5_000 });
    assert.deepEqual(await rows(page), [{ type: 'message', id: 'book-3', data: 'public' }]);
  });
});
