// Test fixtures: a fresh reference server (real HTTP, real SQLite file) for every test, and
// helpers that read the database the way an auditor would.
import { test as base, expect } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';

const SERVER = process.env.PETITIE_SERVER ?? 'target/debug/petitie-server';

/** Each page's path, as the app's routes have it (`cargo test` checks routes.json against them). */
export const routes = JSON.parse(readFileSync(new URL('./routes.json', import.meta.url), 'utf8'));

/** The public address the confirmation mails' links point below, in the tests. */
export const PUBLIC_URL = 'https://www.hetvergetenkind.nl/gezinshulp-eerst/';

/**
 * A real SMTP server on 127.0.0.1 (tests/smtp/sink.mjs, npm `smtp-server`) and the mails it
 * took, parsed. `mail(n)` waits for mail number n (from 1).
 */
export async function startSink(port = 0) {
  const child = spawn('node', ['tests/smtp/sink.mjs', String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const mails = [];
  const waiting = [];
  const listening = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line);
      if (message.listening) return resolve(message.listening);
      mails.push(message);
      waiting.splice(0).forEach((wake) => wake());
    });
    child.on('exit', (code) => reject(new Error(`the SMTP sink exited (${code})`)));
  });
  return {
    port: listening,
    url: `smtp://127.0.0.1:${listening}`,
    mails,
    async mail(n) {
      const deadline = Date.now() + 10_000;
      while (mails.length < n) {
        if (Date.now() > deadline) throw new Error(`mail ${n} did not arrive (${mails.length} did)`);
        await new Promise((wake) => {
          waiting.push(wake);
          setTimeout(wake, 500);
        });
      }
      return mails[n - 1];
    },
    async stop() {
      const exited = new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      child.stdin.end();
      child.kill();
      await exited;
    },
  };
}

/** The token of a mail's link to `path` (`bevestigen`, `intrekken`, `en/confirm`, …). */
export function tokenIn(mail, path) {
  const match = mail.text.match(new RegExp(`${PUBLIC_URL.replace(/[./]/g, '\\$&')}${path}#([A-Za-z0-9_-]+)`));
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[1];
}

/** Starts the server on a free loopback port; resolves once it says it is listening. With
 * `confirm`, it confirms signatures by e-mail through a real SMTP server of its own
 * (`server.sink`). */
export async function startServer({ petition = 'gezinshulp-eerst', extraArgs = [], confirm = false, sinkDown = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'petitie-e2e-'));
  const db = join(dir, 'petitie.sqlite');
  let sink = confirm ? await startSink() : null;
  // The mail server away: its port known, nothing listening (`server.startSink()` starts it).
  if (sink && sinkDown) await sink.stop();
  if (sink) {
    extraArgs = [
      ...extraArgs, '--confirm-by-email', '--smtp-url', sink.url,
      '--mail-from', 'Het Vergeten Kind <petitie@hetvergetenkind.nl>', '--public-url', PUBLIC_URL,
    ];
  }
  const child = spawn(SERVER, [
    '--listen', '127.0.0.1:0', '--db', db, '--static', 'dist', '--petition', petition,
    '--min-elapsed-ms', '0', '--rate-limit-per-minute', '1000', ...extraArgs,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const log = [];
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stderr });
    lines.on('line', (line) => {
      log.push(line);
      const m = line.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${log.join('\n')}`)));
  });
  return {
    url,
    db,
    log,
    get sink() {
      return sink;
    },
    async startSink() {
      sink = await startSink(sink.port);
      return sink;
    },
    async stop() {
      await sink?.stop();
      // A graceful stop waits for the browser's open connections; after 3 s, stop it anyway.
      const exited = new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows of the signatures table, read with SQLite itself. */
export function signatureRows(db) {
  const script = `
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.row_factory = sqlite3.Row
print(json.dumps([dict(r) for r in conn.execute("SELECT * FROM signatures ORDER BY id")]))`;
  return JSON.parse(execFileSync('python3', ['-c', script, db], { encoding: 'utf8' }));
}

export const test = base.extend({
  // Every page of every test runs under the build's Content-Security-Policy (sent by the
  // reference server from dist/_headers); any violation, in any frame, fails the test.
  cspGuard: [
    async ({ context }, use, testInfo) => {
      const violations = [];
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
        });
      });
      context.on('console', (message) => {
        const text = message.text();
        if (text.startsWith('CSP violation') || text.includes('Content Security Policy')) violations.push(text);
      });
      await use(violations);
      expect(violations, `CSP violations in ${testInfo.title}`).toEqual([]);
    },
    { auto: true },
  ],
  // An uncaught error in any page or frame (a panic in the app among them) fails the test.
  pageErrors: [
    async ({ context }, use, testInfo) => {
      const errors = [];
      context.on('weberror', (e) => errors.push(String(e.error()?.stack ?? e.error())));
      await use(errors);
      expect(errors, `uncaught page errors in ${testInfo.title}`).toEqual([]);
    },
    { auto: true },
  ],
  serverOptions: [{}, { option: true }],
  server: async ({ serverOptions }, use) => {
    const server = await startServer(serverOptions);
    await use(server);
    await server.stop();
  },
});

export { expect };

/** What the tests look for, per language: the form's labels, button and messages. */
export const LANGS = {
  nl: {
    paths: routes,
    first: 'Voornaam', last: 'Achternaam', email: 'E-mailadres', phone: 'Telefoonnummer (optioneel)',
    sign: 'Teken de petitie', sending: 'Bezig met tekenen…', summary: 'Er ging iets mis',
    retrying: 'We proberen het automatisch opnieuw', thanks: /^Bedankt, /,
    privacy: 'Privacy', municipalities: 'Voor gemeenten en raadsleden', notFound: 'Deze pagina bestaat niet',
    closedCount: '0 mensen tekenden de petitie',
  },
  en: {
    paths: routes.en,
    first: 'First name', last: 'Last name', email: 'Email address', phone: 'Phone number (optional)',
    sign: 'Sign the petition', sending: 'Signing…', summary: 'Something went wrong',
    retrying: 'We are trying again automatically', thanks: /^Thank you, /,
    privacy: 'Privacy', municipalities: 'For municipalities and councillors', notFound: 'This page does not exist',
    closedCount: '0 people signed the petition',
  },
};

/** Fills the form as a supporter would, by the visible labels (Dutch unless `lang` says). */
export async function fillForm(page, { first = 'Anna', last = 'van der Berg', email, phone = '', lang = 'nl' }) {
  const t = LANGS[lang];
  // The app's form: a fill that straddles the app's takeover of the first screen goes into a
  // field that is then gone (a person's keys go on into the app's field, which gets the focus
  // back; first-screen.spec.mjs types during the takeover key by key).
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await page.getByLabel(t.first).fill(first);
  await page.getByLabel(t.last).fill(last);
  await page.getByLabel(t.email).fill(email);
  if (phone) await page.getByLabel(t.phone).fill(phone);
}

/** The number shown by the counter, as an integer. */
export async function shownCount(page) {
  const text = await page.getByTestId('count-value').innerText();
  return Number(text.replace(/\D/g, ''));
}

/** The submit button; while a signature is on its way it reads "Bezig met tekenen…". */
export const signButton = (page, lang = 'nl') =>
  page.getByRole('button', { name: new RegExp(`^(${LANGS[lang].sign}|${LANGS[lang].sending})$`) });
