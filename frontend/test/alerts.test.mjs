// The alerts dashboard against a real hub: two users in two browser contexts each see only their own
// alerts fire; an anonymous page and a plain HTTP client subscribed to their private topics get nothing
// of them (proved by a later public control event); sign-in errors, deleting, signing out; token renewal.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT, PUBLIC_URL, RESULTS, USERS, hubConfig, launchBrowser, openStream, publish, startHub, until, watchPage } from '../testing/support.mjs';

const alertsTopic = (user) => `${PUBLIC_URL}/users/${user}/alerts`;

/** Opens the dashboard in a new context and signs in through the form. */
async function signIn(browser, base, user) {
  const context = await browser.newContext();
  const page = watchPage(await context.newPage(), user);
  // Counts the streams the page opens.
  await page.addInitScript(() => {
    const Native = window.EventSource;
    window.eventSources = 0;
    window.EventSource = class extends Native {
      constructor(...args) {
        super(...args);
        window.eventSources++;
      }
    };
  });
  await page.goto(`${base}/dashboard.html`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(USERS[user]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#app:not([hidden])').waitFor({ timeout: 10_000 });
  await page.locator('#alerts-status[data-state="live"]').waitFor({ timeout: 10_000 });
  return { context, page };
}

/** Adds "SYMBOL above <current price − 2 %>" through the form: it fires at the symbol's next tick. */
async function addFiringAlert(page, symbol) {
  await page.getByLabel('Symbol').selectOption(symbol);
  await page.waitForFunction((s) => window.quicksilverDashboard.latest?.[s] !== undefined, symbol, { timeout: 5_000 });
  const current = await page.evaluate((s) => window.quicksilverDashboard.latest[s], symbol);
  const before = await page.locator('#alerts li').count();
  const firedBefore = await page.locator('#fired li').count();
  await page.getByLabel('goes').selectOption('above');
  await page.getByLabel('Price').fill((current * 0.98).toFixed(2));
  // The alert may fire before the list is reloaded: wait for either.
  const created = page.waitForResponse((r) => r.url().endsWith('/api/alerts') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Add alert' }).click();
  const res = await created;
  assert.equal(res.status(), 201);
  const alert = await res.json();
  assert.equal(alert.symbol, symbol);
  assert.equal(alert.direction, 'above');
  await page.waitForFunction(([b, f]) => document.querySelectorAll('#alerts li').length > b || document.querySelectorAll('#fired li').length > f,
    [before, firedBefore], { timeout: 5_000 });
  return alert;
}

const firedIds = (page) => page.locator('#fired li').evaluateAll((lis) => lis.map((li) => li.dataset.alertId));
const receivedAlerts = (page) => page.evaluate(() => window.quicksilverDashboard.fired.map((a) => String(a.alertId)));

describe('alerts dashboard', { timeout: 180_000 }, () => {
  let hub;
  let browser;

  before(async () => {
    hub = await startHub({ label: 'alerts' });
    browser = await launchBrowser();
    await hubConfig(hub.base);
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  test('two users each see only their own alerts fire; anonymous subscribers to their topics get nothing', async () => {
    const alice = await signIn(browser, hub.base, 'alice');
    const bob = await signIn(browser, hub.base, 'bob');
    assert.equal(await alice.page.locator('#user').getAttribute('data-user-id'), 'alice');
    assert.equal(await bob.page.locator('#user').getAttribute('data-user-id'), 'bob');

    // An anonymous browser context listening on both private topics (exactly, and by template) and a
    // public control topic, with EventSource as a page would.
    const control = `${PUBLIC_URL}/frontend-tests/control/${Date.now()}`;
    const anon = await browser.newContext();
    const spy = watchPage(await anon.newPage(), 'anonymous');
    await spy.goto(`${hub.base}/`);
    await spy.evaluate((topics) => new Promise((resolve) => {
      window.spied = [];
      const url = new URL('/.well-known/mercure', location.href);
      for (const t of topics) url.searchParams.append('topic', t);
      const es = new EventSource(url, { withCredentials: true });
      for (const type of ['message', 'price_alert', 'control']) {
        es.addEventListener(type, (e) => window.spied.push({ type: e.type, id: e.lastEventId, data: e.data }));
      }
      es.onopen = resolve;
    }), [alertsTopic('alice'), alertsTopic('bob'), `${PUBLIC_URL}/users/{id}/alerts`, control]);

    // And a plain HTTP client, no cookie, live.
    const plain = openStream(`${hub.base}/.well-known/mercure?${new URLSearchParams([
      ['topic', alertsTopic('alice')], ['topic', alertsTopic('bob')], ['topic', control]])}`);
    await plain.ready;
    assert.equal(plain.status, 200);

    // First round: alice on AAPL, bob on MSFT.
    const a1 = await addFiringAlert(alice.page, 'AAPL');
    const b1 = await addFiringAlert(bob.page, 'MSFT');
    await alice.page.locator(`#fired li[data-alert-id="${a1.id}"]`).waitFor({ timeout: 10_000 });
    await bob.page.locator(`#fired li[data-alert-id="${b1.id}"]`).waitFor({ timeout: 10_000 });
    // One-shot: the fired alert leaves the active list.
    await alice.page.locator(`#alerts li[data-alert-id="${a1.id}"]`).waitFor({ state: 'detached', timeout: 5_000 });

    // Second round, crossed symbols: each user's stream carries a later alert of theirs, so anything
    // of the other user's first round would have arrived before it.
    const a2 = await addFiringAlert(alice.page, 'MSFT');
    const b2 = await addFiringAlert(bob.page, 'AAPL');
    await alice.page.locator(`#fired li[data-alert-id="${a2.id}"]`).waitFor({ timeout: 10_000 });
    await bob.page.locator(`#fired li[data-alert-id="${b2.id}"]`).waitFor({ timeout: 10_000 });

    assert.deepEqual((await receivedAlerts(alice.page)).sort(), [String(a1.id), String(a2.id)].sort());
    assert.deepEqual((await receivedAlerts(bob.page)).sort(), [String(b1.id), String(b2.id)].sort());
    assert.deepEqual((await firedIds(alice.page)).sort(), [String(a1.id), String(a2.id)].sort());
    assert.deepEqual((await firedIds(bob.page)).sort(), [String(b1.id), String(b2.id)].sort());
    const shown = await alice.page.locator(`#fired li[data-alert-id="${a1.id}"]`).textContent();
    assert.match(shown, /AAPL/);
    assert.match(shown, /above/);
    // One stream per tab carried the prices and the alerts.
    assert.equal(await alice.page.evaluate(() => window.eventSources), 1);
    assert.equal(await bob.page.evaluate(() => window.eventSources), 1);

    // Fired alerts are kept: after a reload the page shows them again, newest first, and only one stream.
    await alice.page.reload();
    await alice.page.locator('#alerts-status[data-state="live"]').waitFor({ timeout: 10_000 });
    await alice.page.locator(`#fired li[data-alert-id="${a1.id}"]`).waitFor({ timeout: 5_000 });
    assert.deepEqual(await firedIds(alice.page), [String(a2.id), String(a1.id)]);
    assert.equal(await alice.page.evaluate(() => window.eventSources), 1);
    await alice.page.screenshot({ path: path.join(RESULTS, 'dashboard.png'), animations: 'disabled' });
    const docs = path.join(PROJECT, 'docs', 'images', 'dashboard.png');
    if (process.env.QS_UPDATE_SCREENSHOTS === '1' || !fs.existsSync(docs)) fs.copyFileSync(path.join(RESULTS, 'dashboard.png'), docs);

    // The public control event reaches the anonymous subscribers, after every alert was published.
    const controlId = await publish(hub.base, { topic: control, data: 'control', type: 'control' });
    await spy.waitForFunction((id) => window.spied.some((e) => e.id === id), controlId, { timeout: 5_000 });
    await until(() => plain.events.some((e) => e.id === controlId), { timeout: 5_000, message: 'control event on the plain stream' });
    assert.deepEqual(await spy.evaluate(() => window.spied.map((e) => e.type)), ['control']);
    assert.deepEqual(plain.events.map((e) => e.type), ['control']);
    plain.close();

    // Replaying the whole history without a cookie yields none of the private alerts either.
    const replay = openStream(`${hub.base}/.well-known/mercure?${new URLSearchParams([
      ['topic', alertsTopic('alice')], ['topic', alertsTopic('bob')], ['topic', `${PUBLIC_URL}/users/{id}/alerts`],
      ['topic', control], ['lastEventID', 'earliest']])}`);
    await replay.ready;
    await until(() => replay.events.some((e) => e.id === controlId), { timeout: 5_000, message: 'control event in the replay' });
    assert.deepEqual(replay.events.map((e) => e.type), ['control']);
    replay.close();

    // Each user's alerts API lists only their own alerts (all fired, so none left).
    const listed = async (page) => page.evaluate(() => fetch('/api/alerts').then((r) => r.json()));
    assert.deepEqual(await listed(alice.page), []);
    assert.deepEqual(await listed(bob.page), []);

    await Promise.all([alice.context.close(), bob.context.close(), anon.close()]);
  });

  test('wrong password is refused; an alert can be deleted; sign-out ends the session', async () => {
    const context = await browser.newContext();
    const page = watchPage(await context.newPage(), 'alice-2');
    await page.goto(`${hub.base}/dashboard.html`);
    await page.locator('#login:not([hidden])').waitFor();
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill('not-her-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#login-error').filter({ hasText: /wrong/i }).waitFor({ timeout: 5_000 });
    assert.equal(await page.locator('#app').isHidden(), true);

    await page.getByLabel('Password').fill(USERS.alice);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#app:not([hidden])').waitFor({ timeout: 10_000 });

    // An alert that cannot fire: TSLA below 0.01.
    await page.getByLabel('Symbol').selectOption('TSLA');
    await page.getByLabel('goes').selectOption('below');
    await page.getByLabel('Price').fill('0.01');
    await page.getByRole('button', { name: 'Add alert' }).click();
    const item = page.locator('#alerts li[data-symbol="TSLA"]');
    await item.waitFor({ timeout: 5_000 });
    assert.match(await item.textContent(), /TSLA below 0\.01/);
    await item.getByRole('button', { name: /Delete/ }).click();
    await item.waitFor({ state: 'detached', timeout: 5_000 });
    assert.deepEqual(await page.evaluate(() => fetch('/api/alerts').then((r) => r.json())), []);

    // A reload keeps the session; sign-out ends it.
    await page.reload();
    await page.locator('#app:not([hidden])').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#login:not([hidden])').waitFor({ timeout: 5_000 });
    assert.equal(await page.evaluate(() => fetch('/api/me').then((r) => r.status)), 401);
    assert.equal(await page.evaluate(() => fetch('/api/alerts').then((r) => r.status)), 401);
    await context.close();
  });
});

describe('alerts dashboard with a short-lived token', { timeout: 120_000 }, () => {
  let hub;
  let browser;

  before(async () => {
    hub = await startHub({ label: 'alerts-ttl', env: { QS_DEMO_TOKEN_TTL: '6s' } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  test('the page renews the token before it expires and keeps receiving alerts', async () => {
    const { context, page } = await signIn(browser, hub.base, 'alice');
    const signedIn = Date.now();
    // Renewed at least twice: well past the first token's lifetime.
    await page.waitForFunction(() => (window.quicksilverDashboard.refreshes ?? 0) >= 2, null, { timeout: 20_000 });
    const expiresAt = await page.evaluate(() => window.quicksilverDashboard.tokenExpiresAt);
    assert.ok(expiresAt > Date.now(), 'the current token is still valid');
    assert.ok(Date.now() - signedIn > 6_000, 'the first token has expired by now');
    // The stream (closed by the hub when a token expired, reopened with the renewed cookie) still
    // delivers the private alert.
    await page.locator('#alerts-status[data-state="live"]').waitFor({ timeout: 10_000 });
    const alert = await addFiringAlert(page, 'NVDA');
    await page.locator(`#fired li[data-alert-id="${alert.id}"]`).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('#login').isHidden(), true);
    await context.close();
  });
});
