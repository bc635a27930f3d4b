// The ticker page against a real hub: live prices for every symbol, charts, a phone-sized layout,
// and a start from a cursor (?lastEventID=earliest).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT, RESULTS, hubConfig, launchBrowser, startHub, watchPage } from '../testing/support.mjs';

describe('ticker page', { timeout: 120_000 }, () => {
  let hub;
  let browser;
  let config;

  before(async () => {
    hub = await startHub({ label: 'ticker' });
    browser = await launchBrowser();
    config = await hubConfig(hub.base);
  });

  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  /** The page's state for every symbol: price text, chart points, series length and distinct prices. */
  const snapshot = (page) => page.evaluate((symbols) => symbols.map((s) => {
    const card = document.querySelector(`[data-symbol="${s}"]`);
    const series = window.quicksilverTicker.series[s] ?? [];
    return {
      symbol: s,
      price: card?.querySelector('.price')?.textContent ?? null,
      points: Number(card?.querySelector('canvas')?.dataset.points ?? 0),
      received: series.length,
      distinct: new Set(series.map((p) => p.price)).size,
      last: series.at(-1)?.price,
    };
  }), config.symbols);

  test('every symbol shows a price that changes within 5 s, and its chart draws', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = watchPage(await context.newPage(), 'ticker');
    const start = Date.now();
    await page.goto(`${hub.base}/`);
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 5_000 });
    const left = () => Math.max(1, 5_000 - (Date.now() - start));
    // Every card's price text changes at least once: two distinct prices received and shown.
    await page.waitForFunction((symbols) => symbols.every((s) => {
      const series = window.quicksilverTicker.series[s];
      const shown = document.querySelector(`[data-symbol="${s}"] .price`).textContent;
      return new Set(series.map((p) => p.price)).size >= 2 && shown !== '—';
    }), config.symbols, { timeout: left(), polling: 50 });
    await page.waitForFunction((symbols) => symbols.every((s) =>
      Number(document.querySelector(`[data-symbol="${s}"] canvas`).dataset.points) > 1), config.symbols, { timeout: left(), polling: 50 });
    const snap = await snapshot(page);
    for (const s of snap) {
      assert.ok(s.distinct >= 2, `${s.symbol}: price changed`);
      assert.ok(s.points > 1, `${s.symbol}: chart drew ${s.points} points`);
      assert.equal(s.price.replace(/,/g, ''), Number(s.last).toFixed(2), `${s.symbol}: the card shows the last price`);
    }
    // The chart really painted: some pixel of the canvas is not transparent.
    const painted = await page.evaluate(() => {
      const c = document.querySelector('[data-symbol] canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    assert.ok(painted > 50, `the chart painted ${painted} pixels`);
    assert.equal(await page.locator('[data-symbol]').count(), config.symbols.length);

    // A few more ticks so the charts show a line, then the screenshot.
    await page.waitForFunction((symbols) => symbols.every((s) => window.quicksilverTicker.series[s].length >= 25), config.symbols, { timeout: 15_000 });
    const shot = path.join(RESULTS, 'ticker.png');
    await page.screenshot({ path: shot, animations: 'disabled' });
    const docs = path.join(PROJECT, 'docs', 'images', 'ticker.png');
    if (process.env.QS_UPDATE_SCREENSHOTS === '1' || !fs.existsSync(docs)) {
      fs.mkdirSync(path.dirname(docs), { recursive: true });
      fs.copyFileSync(shot, docs);
    }
    assert.ok(fs.statSync(shot).size > 10_000, 'screenshot has content');

    // Sequences are continuous while nothing disturbs the stream.
    const { gaps, duplicates, restarts } = await page.evaluate(() => {
      const t = window.quicksilverTicker;
      return { gaps: t.gaps, duplicates: t.duplicates, restarts: t.restarts };
    });
    assert.deepEqual(gaps, []);
    assert.deepEqual(restarts, []);
    assert.equal(duplicates, 0);
    await context.close();
  });

  test('first load: charts filled from the history, a time axis, colours that agree with the headline, latency, polite announcements', async () => {
    // The hub has been publishing for a while (5 ticks a second per symbol): the page must not start empty.
    await new Promise((r) => setTimeout(r, 3_000));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    const page = watchPage(await context.newPage(), 'history');
    // Count the card flashes, from the first script on.
    await page.addInitScript(() => {
      window.flashes = 0;
      new MutationObserver((records) => {
        for (const r of records) if (r.target.classList?.contains('flash-up') || r.target.classList?.contains('flash-down')) window.flashes++;
      }).observe(document, { attributes: true, attributeFilter: ['class'], subtree: true });
    });
    await page.goto(`${hub.base}/`);
    // Before the first live tick could draw them, the charts hold the history.
    const first = await page.waitForFunction((symbols) => {
      const t = window.quicksilverTicker;
      return t.fromHistory > 0 && symbols.every((s) => Number(document.querySelector(`[data-symbol="${s}"] canvas`).dataset.points) >= 10)
        && { fromHistory: t.fromHistory, live: Object.keys(t.latency).length };
    }, config.symbols, { timeout: 3_000, polling: 20 }).then((h) => h.jsonValue());
    assert.ok(first.fromHistory >= 10 * config.symbols.length, `history gave ${first.fromHistory} ticks`);
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 5_000 });

    // Live ticks continue the history without a gap or a repeat: the cursor is where the history stopped.
    await page.waitForFunction((symbols) => symbols.every((s) => window.quicksilverTicker.latency[s] !== undefined), config.symbols, { timeout: 5_000 });
    const state = await page.evaluate((symbols) => symbols.map((s) => {
      const card = document.querySelector(`[data-symbol="${s}"]`);
      const canvas = card.querySelector('canvas');
      return {
        symbol: s,
        trend: card.dataset.trend,
        chartTrend: canvas.dataset.trend,
        change: card.querySelector('.change').textContent,
        latency: card.querySelector('.latency').textContent,
        timeLabels: Number(canvas.dataset.timeLabels),
        span: Number(canvas.dataset.span),
        series: window.quicksilverTicker.series[s].map((p) => p.sequence),
      };
    }), config.symbols);
    for (const s of state) {
      assert.equal(s.trend, s.chartTrend, `${s.symbol}: headline and chart agree`);
      assert.equal(s.trend === 'up', !s.change.startsWith('-'), `${s.symbol}: "${s.change}" is ${s.trend}`);
      assert.match(s.latency, /^delivered in \d+ ms$/, s.symbol);
      assert.ok(s.timeLabels >= 2 && s.span > 1_000, `${s.symbol}: time axis over ${s.span} ms`);
      for (let i = 1; i < s.series.length; i++) assert.equal(s.series[i], s.series[i - 1] + 1, `${s.symbol}: sequences continue`);
    }
    assert.deepEqual(await page.evaluate(() => [window.quicksilverTicker.gaps, window.quicksilverTicker.duplicates]), [[], 0]);

    // Reduced motion: no card flashed; screen readers get a polite summary now and then, not every tick.
    await page.waitForFunction(() => window.quicksilverTicker.announcements.length > 0, null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.flashes), 0);
    assert.equal(await page.locator('#announcer').getAttribute('aria-live'), 'polite');
    assert.match(await page.locator('#announcer').textContent(), /^[A-Z]+ [\d,.]+, (up|down) /);
    assert.equal(await page.locator('[data-symbol] [aria-live="polite"]').count(), 0, 'no price is a live region of its own');
    const ticks = await page.evaluate(() => Object.values(window.quicksilverTicker.series).reduce((n, s) => n + s.length, 0));
    assert.ok(await page.evaluate(() => window.quicksilverTicker.announcements.length) <= 1, `one announcement for ${ticks} ticks`);
    await context.close();
  });

  test('on a phone-sized screen the cards stack in one column without horizontal scrolling', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = watchPage(await context.newPage(), 'phone');
    await page.goto(`${hub.base}/`);
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 5_000 });
    await page.waitForFunction((symbols) => symbols.every((s) =>
      Number(document.querySelector(`[data-symbol="${s}"] canvas`).dataset.points) > 1), config.symbols, { timeout: 5_000 });
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      cards: [...document.querySelectorAll('[data-symbol]')].map((c) => {
        const r = c.getBoundingClientRect();
        return { x: Math.round(r.x), right: Math.round(r.right), width: Math.round(r.width) };
      }),
    }));
    assert.ok(layout.scrollWidth <= layout.innerWidth, `no horizontal scroll (${layout.scrollWidth} > ${layout.innerWidth})`);
    assert.equal(new Set(layout.cards.map((c) => c.x)).size, 1, 'one column');
    for (const c of layout.cards) {
      assert.ok(c.right <= layout.innerWidth && c.width >= layout.innerWidth * 0.8, `card spans the screen: ${JSON.stringify(c)}`);
    }
    await page.screenshot({ path: path.join(RESULTS, 'ticker-phone.png'), fullPage: true, animations: 'disabled' });
    await context.close();
  });

  test('?lastEventID=earliest starts the page from the hub history', async () => {
    const context = await browser.newContext();
    const page = watchPage(await context.newPage(), 'earliest');
    const opened = Date.now();
    await page.goto(`${hub.base}/?lastEventID=earliest`);
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 5_000 });
    // Updates published before the page opened arrive first (the hub started well before this test).
    const firstTimestamps = await page.waitForFunction((symbols) => {
      const t = window.quicksilverTicker.series;
      return symbols.every((s) => t[s].length > 0) && symbols.map((s) => t[s][0].timestamp);
    }, config.symbols, { timeout: 5_000 }).then((h) => h.jsonValue());
    for (const ts of firstTimestamps) assert.ok(ts < opened - 1_000, `replayed an update from before the page opened (${opened - ts} ms)`);
    assert.deepEqual(await page.evaluate(() => window.quicksilverTicker.gaps), []);
    await context.close();
  });
});
