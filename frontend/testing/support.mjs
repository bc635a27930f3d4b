// Support for the browser tests in test/ (kept outside test/, where `node --test test/` would run it as
// a test file): a real hub (java -jar ../target/quicksilver.jar) and a real redis-server, each on a free
// loopback port in a clean working directory and environment; Debian's Chromium driven by
// playwright-core; an SSE reader for Node; JWTs for publishing. Everything polls with a deadline.

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const FRONTEND = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PROJECT = path.resolve(FRONTEND, '..');
export const JAR = process.env.QS_JAR ?? path.join(PROJECT, 'target', 'quicksilver.jar');
export const RESULTS = path.join(FRONTEND, 'test-results');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const PUBLISHER_KEY = 'frontend-tests-publisher-key-0123456789abcdef';
export const SUBSCRIBER_KEY = 'frontend-tests-subscriber-key-0123456789abcdef';
export const SESSION_SECRET = 'frontend-tests-session-secret-0123456789abcdef';
export const PUBLIC_URL = 'http://localhost:8080';
export const USERS = { alice: 'alice-password', bob: 'bob-password' };

fs.mkdirSync(RESULTS, { recursive: true });

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `fn` until it returns a truthy value, or throws after `timeout` ms with `message` (a string or a function). */
export async function until(fn, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${typeof message === 'function' ? message() : message}${last ? `: ${last.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

// ---- demo users: PBKDF2 hashes in the format the hub reads from QS_DEMO_USERS ---------------

function hashPassword(password, iterations = 20_000) {
  const salt = crypto.randomBytes(16);
  const hash = crypto.pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const b64 = (b) => b.toString('base64').replace(/=+$/, '');
  return `pbkdf2-sha256:${iterations}:${b64(salt)}:${b64(hash)}`;
}

let demoUsers;
/** `alice:Alice:<hash> bob:Bob:<hash>`, as README documents QS_DEMO_USERS. */
export function demoUsersEnv() {
  demoUsers ??= Object.entries(USERS)
    .map(([id, pw]) => `${id}:${id[0].toUpperCase()}${id.slice(1)}:${hashPassword(pw)}`)
    .join(' ');
  return demoUsers;
}

// ---- processes ------------------------------------------------------------------------------

const children = new Set();
process.on('exit', () => {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* gone */ }
  }
});

function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('QS_') && !k.startsWith('MERCURE_')) env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * Starts a hub from the jar in an empty working directory (so no conf/ file is read), configured
 * only through the environment, and waits until it listens. `env` adds or overrides variables.
 */
export async function startHub({ port, env = {}, label = 'hub', timeout = 60_000 } = {}) {
  if (!fs.existsSync(JAR)) throw new Error(`${JAR} is missing: run "mvn -o -q package -DskipTests" first`);
  port ??= await freePort();
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'qs-frontend-hub-'));
  const logFile = path.join(RESULTS, `${label}-${port}-${Date.now()}.log`);
  const fullEnv = cleanEnv({
    QS_HTTP_HOST: '127.0.0.1',
    QS_HTTP_PORT: String(port),
    MERCURE_PUBLISHER_JWT_KEY: PUBLISHER_KEY,
    MERCURE_SUBSCRIBER_JWT_KEY: SUBSCRIBER_KEY,
    QS_ANONYMOUS: 'true',
    QS_WARM_UP: '0',
    QS_DEMO: 'true',
    QS_DEMO_INTERVAL: '200ms',
    QS_DEMO_USERS: demoUsersEnv(),
    QS_SESSION_SECRET: SESSION_SECRET,
    QS_PUBLIC_URL: PUBLIC_URL,
    QS_LOG_LEVEL: 'INFO',
    ...env,
  });
  const proc = spawn('java', ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar', JAR], {
    cwd, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  let output = '';
  const out = fs.createWriteStream(logFile);
  const listening = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      const s = chunk.toString();
      output += s;
      out.write(s);
      const m = /listening on https?:\/\/[^:/]+:(\d+)\//.exec(output);
      if (m) resolve(Number(m[1]));
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code, sig) => reject(new Error(`${label} exited (${code ?? sig}) before listening; log: ${logFile}\n${output.slice(-3000)}`)));
  });
  const exited = new Promise((resolve) => proc.on('exit', () => { children.delete(proc); out.end(); resolve(); }));
  let timer;
  const actualPort = await Promise.race([
    listening,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${label} did not listen within ${timeout} ms; log: ${logFile}`)), timeout); }),
  ]).catch((e) => { proc.kill('SIGKILL'); throw e; }).finally(() => clearTimeout(timer));
  const base = `${fullEnv.QS_TLS_CERT ? 'https' : 'http'}://127.0.0.1:${actualPort}`;
  return {
    port: actualPort,
    base,
    pid: proc.pid,
    logFile,
    log: () => output,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    /** SIGKILL, and wait until the process is gone. */
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
    /** SIGTERM, and wait (SIGKILL after 15 s). */
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
      fs.rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** A private redis-server on a free port, nothing on disk. */
export async function startRedis() {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qs-frontend-redis-'));
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  let output = '';
  proc.stdout.on('data', (c) => { output += c; });
  proc.stderr.on('data', (c) => { output += c; });
  const exited = new Promise((resolve) => proc.on('exit', () => { children.delete(proc); resolve(); }));
  await until(() => /Ready to accept connections/.test(output) || (proc.exitCode !== null && Promise.reject(new Error(output))),
    { timeout: 15_000, message: `redis-server on ${port}` });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- browser ----------------------------------------------------------------------------------

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Launches Debian's Chromium. Playwright makes a fresh profile (user-data-dir) in the temporary
 * directory, pointed here at test-results/ for the time of the launch.
 */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const tmp = fs.mkdtempSync(path.join(RESULTS, 'chromium-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const close = browser.close.bind(browser);
    browser.close = async (...args) => {
      await close(...args);
      fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    };
    return browser;
  } finally {
    if (saved === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = saved;
  }
}

/** Forwards a page's console errors and uncaught exceptions to the test log. */
export function watchPage(page, label) {
  page.on('pageerror', (e) => console.log(`[${label}] page error: ${e.message}`));
  page.on('console', (m) => {
    // A 401 from /api/me while signed out is expected; anything else is worth seeing.
    if (m.type() === 'error' && !/status of 401/.test(m.text())) console.log(`[${label}] console: ${m.text()}`);
  });
  return page;
}

// ---- HTTP, SSE and JWT from Node --------------------------------------------------------------

/** HS256 JWT. */
export function jwt(claims, key) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`;
  return `${body}.${crypto.createHmac('sha256', key).update(body).digest('base64url')}`;
}

export const publisherToken = () => jwt({ mercure: { publish: ['*'] }, exp: Math.floor(Date.now() / 1000) + 3600 }, PUBLISHER_KEY);

/** Publishes an update; returns its id. */
export async function publish(base, { topic, data, type, id, priv = false }) {
  const body = new URLSearchParams();
  for (const t of [].concat(topic)) body.append('topic', t);
  body.set('data', data);
  if (type) body.set('type', type);
  if (id) body.set('id', id);
  if (priv) body.set('private', 'on');
  const res = await fetch(`${base}/.well-known/mercure`, {
    method: 'POST', headers: { Authorization: `Bearer ${publisherToken()}` }, body,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`publish answered ${res.status}: ${text}`);
  return text.trim();
}

/** An incremental SSE parser (lines end at CR, LF or CRLF), calling onEvent({type, id, data}). */
export function sseParser(onEvent) {
  let buf = '';
  let ev = { type: 'message', id: '', data: [] };
  let lastId = '';
  return (chunk) => {
    buf += chunk;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(buf);
      if (!m) return;
      if (m[0] === '\r' && m.index === buf.length - 1) return; // maybe CRLF split across chunks
      const line = buf.slice(0, m.index);
      buf = buf.slice(m.index + m[0].length);
      if (line === '') {
        if (ev.data.length) onEvent({ type: ev.type, id: lastId, data: ev.data.join('\n') });
        ev = { type: 'message', data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      let value = i < 0 ? '' : line.slice(i + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') ev.type = value;
      else if (field === 'data') ev.data.push(value);
      else if (field === 'id' && !value.includes('\0')) lastId = value;
    }
  };
}

/**
 * Opens an SSE stream with node:http (its own connection, no keep-alive). Returns { events, status,
 * headers, ready, close }; `events` fills as they arrive.
 */
export function openStream(url, { headers = {}, onEvent } = {}) {
  const events = [];
  const stream = { events, status: 0, headers: {}, error: null, ended: false };
  let req;
  stream.ready = new Promise((resolve, reject) => {
    req = http.get(url, { agent: false, headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      stream.status = res.statusCode;
      stream.headers = res.headers;
      res.setEncoding('utf8');
      const feed = sseParser((e) => { events.push(e); onEvent?.(e); });
      res.on('data', feed);
      res.on('end', () => { stream.ended = true; });
      res.on('error', () => { stream.ended = true; });
      resolve(stream);
    });
    req.on('error', (e) => { stream.error = e; stream.ended = true; reject(e); });
  });
  stream.close = () => req.destroy();
  return stream;
}

/** GET a JSON resource. */
export async function getJson(url, init) {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}

/** Whether the hub answers /api/config. */
export async function hubConfig(base) {
  return getJson(`${base}/api/config`);
}

/**
 * A self-signed certificate for localhost and 127.0.0.1 (openssl), written as tls.crt and tls.key in a new
 * directory under test-results/: { cert, key } paths, for QS_TLS_CERT and QS_TLS_KEY.
 */
export function selfSignedCertificate() {
  const dir = fs.mkdtempSync(path.join(RESULTS, 'tls-'));
  const cert = path.join(dir, 'tls.crt');
  const key = path.join(dir, 'tls.key');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { cert, key, dir };
}

export function redisAvailable() {
  return spawnSync('redis-server', ['--version']).status === 0;
}
