// The app hosted under a base path (`trunk build --public-url /petitie/`, made by `make e2e` in
// target/dist-base), behind a static server that answers unknown paths under /petitie/ with
// index.html and sends the build's headers: deep links, internal links and signing (demo).
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { test as base, expect, fillForm, signButton, routes } from './fixtures.mjs';

const DIST = 'target/dist-base';
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml' };

function startStatic() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST} is missing: run make e2e`);
  const headers = readFileSync(join(DIST, '_headers'), 'utf8')
    .split('\n')
    .filter((l) => /^\s+\S/.test(l))
    .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]);
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!path.startsWith('/petitie/')) {
      res.writeHead(404).end('not here');
      return;
    }
    const below = path.slice('/petitie/'.length);
    let file = join(DIST, below);
    const page = /^en(\/|$)/.test(below) ? join(DIST, 'en', 'index.html') : join(DIST, 'index.html');
    if (!existsSync(file) || statSync(file).isDirectory()) file = page;
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...Object.fromEntries(headers) });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) }),
    ),
  );
}

const test = base.extend({
  site: async ({}, use) => {
    const site = await startStatic();
    await use(site);
    await site.close();
  },
});

test('deep links, internal links and signing all stay under /petitie/', async ({ page, site }) => {
  const failed = [];
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));

  await page.goto(`${site.url}/petitie${routes.municipalities}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Voor gemeenten en raadsleden' })).toBeVisible();
  await page.getByRole('contentinfo').getByRole('link', { name: 'Privacy', exact: true }).click();
  await expect(page).toHaveURL(`${site.url}/petitie/privacy`);
  await expect(page.getByRole('heading', { level: 1, name: 'Privacy' })).toBeVisible();
  await page.getByRole('contentinfo').getByRole('link', { name: 'Petitie', exact: true }).click();
  await expect(page).toHaveURL(`${site.url}/petitie/`);
  await expect(page.getByText('Demo: er wordt niets verstuurd').first()).toBeVisible();

  await fillForm(page, { email: 'anna@example.nl' });
  await signButton(page).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bedankt, Anna!' })).toBeVisible({ timeout: 10_000 });
  await expect(page).toHaveURL(`${site.url}/petitie${routes.thanks}`);

  await page.goto(`${site.url}/petitie/embed`);
  await expect(page.getByRole('link', { name: 'Lees meer over de petitie' })).toHaveAttribute('href', '/petitie/');
  await page.goto(`${site.url}/petitie/bestaat-niet`);
  await expect(page.getByRole('heading', { level: 1, name: 'Deze pagina bestaat niet' })).toBeVisible();
  expect(failed).toEqual([]);
});
