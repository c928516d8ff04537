// Security as a property of the build: the strict policy written by `make build` is what the
// pages run under (the fixtures fail any test on a violation), and it really is enforced.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { test, expect, routes } from './fixtures.mjs';

// One policy fits both languages' pages: the inline code of each (their route scripts name
// their own addresses), each hash once, in order.
const [built, builtEnglish] = ['dist/index.html', 'dist/en/index.html'].map((f) => readFileSync(f, 'utf8'));
const sha = (body) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
// Inline code, not the data block that carries the page's texts (it does not run).
const hashesOf = (html) => [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
  .filter(([, attrs]) => !/\bsrc\s*=/.test(attrs) && !/application\/json/.test(attrs))
  .map(([, , body]) => sha(body));
const inlineHashes = [...new Set([...hashesOf(built), ...hashesOf(builtEnglish)])].sort();
const styleHashes = [...new Set([...built.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map(([, body]) => sha(body)))].sort();

test('every page is served with the strict policy, hashed for this build', async ({ page, server }) => {
  const checked = [];
  const { en, ...dutch } = routes;
  for (const path of [...Object.values(dutch), '/bestaat-niet', ...Object.values(en), '/en/does-not-exist']) {
    const response = await page.goto(server.url + path);
    const policy = response.headers()['content-security-policy'];
    const directives = Object.fromEntries(
      policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]),
    );
    expect(directives).toMatchObject({
      'default-src': "'none'",
      'script-src': ["'self'", "'wasm-unsafe-eval'", ...inlineHashes].join(' '),
      'style-src': ["'self'", ...styleHashes].join(' '),
      'img-src': "'self' data:",
      'font-src': "'self'",
      'connect-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
    });
    expect(directives['frame-ancestors']).toMatch(/^'self'/);
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
    await expect(page.locator('h1')).toHaveCount(1);
    checked.push(path);
  }
  // Each page's route script, the first screen's (index.html) and Trunk's loader, the last two
  // the same in both.
  expect(hashesOf(built)).toHaveLength(3);
  expect(hashesOf(builtEnglish)).toHaveLength(3);
  expect(inlineHashes).toHaveLength(4);
  expect(styleHashes.length).toBeGreaterThan(0);
  expect(await page.locator('[style]').count(), 'no inline style attributes').toBe(0);
  console.log(`csp: ${checked.length} routes served with the build's policy (${inlineHashes.length} inline script and ${styleHashes.length} style hashes)`);
});

for (const path of ['/', routes.en.petition]) {
  test(`the policy is enforced on ${path}: injected script and styles do not run`, async ({ page, server, cspGuard }) => {
    await page.goto(server.url + path);
    await expect(page.locator('#first-paint')).toHaveCount(0);
    const outcome = await page.evaluate(async () => {
      const seen = [];
      document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      const div = document.createElement('div');
      div.innerHTML = '<img src="x" onerror="window.__injected = true">';
      document.body.append(div);
      const style = document.createElement('style');
      style.textContent = 'body { display: none }';
      document.head.append(style);
      // The image's error (and so its blocked handler) comes when its request has failed.
      const all = () => ['script-src-elem', 'script-src-attr', 'style-src-elem'].every((d) => seen.includes(d));
      const deadline = performance.now() + 5000;
      while (!all() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return { injected: window.__injected === true, seen, bodyShown: getComputedStyle(document.body).display !== 'none' };
    });
    expect(outcome.injected).toBe(false);
    expect(outcome.bodyShown).toBe(true);
    expect(outcome.seen).toEqual(expect.arrayContaining(['script-src-elem', 'script-src-attr', 'style-src-elem']));
    // These violations were the point of this test: once the guard has heard of all three, clear them.
    await expect
      .poll(() => ['script-src-elem', 'script-src-attr', 'style-src-elem'].every((d) => cspGuard.some((v) => v.includes(`violation: ${d} `))))
      .toBe(true);
    cspGuard.splice(0);
  });
}

test('hashed files are cached for a year, the page and its configuration are revalidated', async ({ request, server }) => {
  // The glue and the wasm (the favicon is inline in index.html).
  const hashed = readdirSync('dist').filter((f) => /-[0-9a-f]{12,}(_bg)?\.(js|wasm)$/.test(f));
  expect(hashed.length).toBe(2);
  for (const file of hashed) {
    const response = await request.get(`${server.url}/${file}`);
    expect(response.headers()['cache-control'], file).toBe('public, max-age=31536000, immutable');
  }
  for (const path of ['/', '/index.html', '/config.json', '/embed.js', routes.privacy, routes.en.petition, routes.en.thanks]) {
    const response = await request.get(server.url + path);
    expect(response.headers()['cache-control'], path).toBe('no-cache');
  }
});
