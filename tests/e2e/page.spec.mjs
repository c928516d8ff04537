// The petition page, its routes, the demo backend and the configuration error panel.
import { readFileSync } from 'node:fs';
import { test, expect, routes } from './fixtures.mjs';

const distConfig = readFileSync('dist/config.json', 'utf8');

test('shows the title, the count, the three sections and the privacy notice', async ({ page, server }, info) => {
  await page.goto(server.url + '/');
  // The app, not the static first screen (which also holds the embed's, hidden).
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Teken de petitie: gezinshulp eerst!' })).toBeVisible();
  await expect(page.getByText('mensen tekenden al', { exact: true })).toBeVisible();
  for (const name of ['Waar teken ik voor?', 'Wat gebeurt er met mijn handtekening?', 'Wat doet Het Vergeten Kind nog meer?']) {
    const heading = page.getByRole('heading', { level: 2, name });
    await heading.scrollIntoViewIfNeeded();
    await expect(heading).toBeVisible();
  }
  await expect(page.getByText('We gaan vertrouwelijk om met je gegevens', { exact: false }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: /privacyverklaring/ }).first()).toBeVisible();
  await page.screenshot({ path: `tests/e2e/artifacts/screenshots/${info.project.name}-petition.png`, fullPage: true });
});

test('puts the form within the first screen on a phone', async ({ page, server }, info) => {
  test.skip(info.project.name !== 'phone', 'phone layout');
  await page.goto(server.url + '/');
  // The app's field (the first screen's sits in the same place: first-screen.spec.mjs).
  await expect(page.locator('#first-paint')).toHaveCount(0);
  const field = page.getByLabel('Voornaam');
  await expect(field).toBeVisible();
  const box = await field.boundingBox();
  expect(box.y + box.height).toBeLessThan(780);
});

test('labels the demo backend and signs in the browser without a server', async ({ page, server }) => {
  const posts = [];
  page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
  await page.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body: distConfig }));
  await page.goto(server.url + '/');
  await expect(page.getByText('Demo: er wordt niets verstuurd')).toBeVisible();
  await expect(page.getByTestId('count-value')).toHaveText(/^\d{2}\.\d{3}$/);
  await page.getByLabel('Voornaam').fill('Demi');
  await page.getByLabel('Achternaam').fill('de Vries');
  await page.getByLabel('E-mailadres').fill('demi@example.nl');
  await page.getByRole('button', { name: 'Teken de petitie' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Bedankt, Demi!/ })).toBeVisible();
  expect(posts).toEqual([]);
});

test('serves the privacy statement, the municipalities page and a Dutch 404 on deep links', async ({ page, server }) => {
  await page.goto(server.url + routes.privacy);
  await expect(page.getByRole('heading', { level: 1, name: /Privacy/ })).toBeVisible();
  await page.goto(server.url + routes.municipalities);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/gemeente/i);
  await expect(page.getByText('wereldvanaandacht@hetvergetenkind.nl').first()).toBeVisible();
  await page.goto(server.url + '/bestaat-niet');
  await expect(page.getByRole('heading', { level: 1, name: /bestaat niet/ })).toBeVisible();
  await page.getByRole('link', { name: /petitie/i }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Teken de petitie: gezinshulp eerst!' })).toBeVisible();
});

for (const [name, body, problem] of [
  ['bad JSON', '{"api_base_url": ', /geen geldige JSON/],
  ['a wrong type', '{"goal_milestones": "veel"}', /"goal_milestones"/],
  ['an insecure API address', '{"api_base_url": "http://api.example.nl/api/v1"}', /https:\/\//],
]) {
  test(`shows the configuration error panel for ${name}`, async ({ page, server }) => {
    await page.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body }));
    await page.goto(server.url + '/');
    const panel = page.getByRole('alert');
    await expect(panel).toBeVisible();
    await expect(panel).toContainText(problem);
    await expect(page.getByRole('button', { name: 'Teken de petitie' })).toHaveCount(0);
  });
}

test('shows the configuration error panel when config.json is missing', async ({ page, server }) => {
  await page.route('**/config.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(server.url + '/');
  await expect(page.getByRole('alert')).toContainText(/config\.json/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('shows the petition text from the static first screen, and says how to sign', async ({ page, server }) => {
    await page.goto(server.url + '/');
    await expect(page.getByRole('heading', { level: 1, name: 'Teken de petitie: gezinshulp eerst!' })).toBeVisible();
    await expect(page.getByText(/^In Nederland wonen 41\.000 kinderen niet meer bij hun ouders/)).toBeVisible();
    for (const name of ['Waar teken ik voor?', 'Wat gebeurt er met mijn handtekening?', 'Wat doet Het Vergeten Kind nog meer?']) {
      await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
    }
    await expect(page.locator('#teken').getByText('Om te tekenen heb je JavaScript nodig.')).toBeVisible();
    // The whole form is there, and does not pretend to work.
    for (const label of ['Voornaam', 'Achternaam', 'E-mailadres', 'Telefoonnummer (optioneel)']) {
      await expect(page.getByLabel(label, { exact: true })).toBeDisabled();
    }
    await expect(page.getByRole('button', { name: 'Teken de petitie' })).toBeDisabled();
  });
});

test('the static first screen is the same text in the same place as the app', async ({ browser, server }, info) => {
  // What the page shows before the wasm has arrived, and after the app took over.
  const measure = async (javaScriptEnabled) => {
    const context = await browser.newContext({ javaScriptEnabled, viewport: info.project.use.viewport });
    const page = await context.newPage();
    await page.goto(server.url + '/');
    if (javaScriptEnabled) await expect(page.locator('#first-paint')).toHaveCount(0);
    const boxes = await page.locator('h1, .intro p, .petition-body h2, .petition-body p').evaluateAll((els) =>
      els
        .filter((e) => e.getClientRects().length > 0)
        .map((e) => ({ text: e.textContent.trim(), top: Math.round(e.getBoundingClientRect().top) })),
    );
    await context.close();
    return boxes;
  };
  const before = await measure(false);
  const after = await measure(true);
  expect(after.map((b) => b.text)).toEqual(before.map((b) => b.text));
  // Above the sign card (whose height the outline only estimates) nothing moves.
  expect(after[0]).toEqual(before[0]);
});

test('asks for the app once the first screen is on screen: glue, config and wasm, each once', async ({ page, server }) => {
  const messages = [];
  page.on('console', (m) => messages.push(m.text()));
  await page.goto(server.url + '/');
  await expect(page.locator('#first-paint')).toHaveCount(0);
  const { painted, files } = await page.evaluate(() => ({
    painted: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
    files: performance.getEntriesByType('resource').map((e) => ({ path: new URL(e.name).pathname, start: e.startTime })),
  }));
  expect(painted).toBeGreaterThan(0);
  for (const pattern of [/\/petitie-[0-9a-f]+\.js$/, /\/config\.json$/, /_bg\.wasm$/]) {
    const found = files.filter((f) => pattern.test(f.path));
    expect(found, `${pattern} requested once`).toHaveLength(1);
    // Nothing of the app competes with the page's own bytes before the first paint.
    expect(found[0].start, `${pattern} after the first paint`).toBeGreaterThanOrEqual(painted);
  }
  // A preload that is not used is reported in the console.
  expect(messages.filter((m) => /preload/i.test(m))).toEqual([]);
});
