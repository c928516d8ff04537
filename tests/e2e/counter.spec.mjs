// The live count: how it counts up, that nothing moves while it does, and how it stays fresh
// (and quiet) while the page is open. The server starts at 41 234 signatures gathered elsewhere.
import { test, expect } from './fixtures.mjs';

test.use({ serverOptions: { extraArgs: ['--count-offset', '41234'] } });

/** Records every number the counter shows and every layout shift, from before the app starts. */
async function watch(page) {
  await page.addInitScript(() => {
    window.__shown = [];
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__shift += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid=count-value]');
      const text = el?.textContent;
      if (text && text !== window.__shown.at(-1)) window.__shown.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

/** Adds a signature straight through the API, as another supporter would. */
async function signElsewhere(server, email) {
  const response = await fetch(`${server.url}/api/v1/petitions/gezinshulp-eerst/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ first_name: 'Bea', last_name: 'de Vries', email, locale: 'nl', attribution: {}, website: '', elapsed_ms: 9000 }),
  });
  expect(response.status).toBe(201);
}

test('counts up from zero to exactly the server count, formatted at every step, without moving anything', async ({ page, server }) => {
  await watch(page);
  await page.goto(server.url + '/');
  await expect(page.getByTestId('count-value')).toHaveText('41.234');
  const shown = await page.evaluate(() => window.__shown);
  for (const text of shown) expect(text, 'Dutch thousands separator').toMatch(/^\d{1,3}(\.\d{3})*$/);
  const numbers = shown.map((t) => Number(t.replace(/\./g, '')));
  expect(numbers.length, 'several frames').toBeGreaterThan(5);
  expect(numbers[0]).toBeLessThan(41_234 / 2);
  numbers.slice(1).forEach((n, i) => expect(n, `frame ${i + 1} does not go down`).toBeGreaterThanOrEqual(numbers[i]));
  expect(numbers.at(-1)).toBe(41_234);
  expect(await page.evaluate(() => window.__shift), 'cumulative layout shift').toBe(0);
  // Screen readers get the final value only, never the moving number.
  await expect(page.locator('.count-number')).toHaveAttribute('aria-hidden', 'true');
  await expect(page.locator('.counter .visually-hidden')).toHaveText('41.234 mensen tekenden al');
  // The next milestone, with the ones passed shown as reached.
  await expect(page.getByText('Nog 8.766 handtekeningen tot het volgende doel van 50.000')).toBeVisible();
  await expect(page.getByText('25.000 gehaald')).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Voortgang naar 50.000 handtekeningen' })).toHaveAttribute('value', '41234');
});

test('with reduced motion it shows the final number at once', async ({ page, server }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await watch(page);
  await page.goto(server.url + '/');
  await expect(page.getByTestId('count-value')).toHaveText('41.234');
  expect(await page.evaluate(() => window.__shown)).toEqual(['41.234']);
});

test('refreshes while visible, asks nothing while hidden, and catches up when visible again', async ({ page, server }) => {
  // The shortest poll the configuration allows (5 s, with up to 20% jitter) instead of 30 s.
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...(await response.json()), count_poll_seconds: 5 } });
  });
  // The page's visibility, switchable from the test (headless pages are always visible).
  await page.addInitScript(() => {
    window.__hidden = false;
    Object.defineProperty(Document.prototype, 'hidden', { get: () => window.__hidden });
    Object.defineProperty(Document.prototype, 'visibilityState', { get: () => (window.__hidden ? 'hidden' : 'visible') });
  });
  const reads = [];
  page.on('request', (r) => r.method() === 'GET' && r.url().endsWith('/petitions/gezinshulp-eerst') && reads.push(Date.now()));
  await page.goto(server.url + '/');
  await expect(page.getByTestId('count-value')).toHaveText('41.234');

  // Someone is typing when the refresh comes in: nothing they typed may be lost.
  await page.getByLabel('Voornaam').fill('Anna');
  await page.getByLabel('E-mailadres').fill('anna@exa');
  await signElsewhere(server, 'bea@example.nl');
  await expect(page.getByTestId('count-value')).toHaveText('41.235', { timeout: 8_000 });
  await expect(page.getByLabel('Voornaam')).toHaveValue('Anna');
  await expect(page.getByLabel('E-mailadres')).toHaveValue('anna@exa');
  // Refreshes are not announced: no live region holds the count.
  expect(await page.locator('[aria-live] .count-value, [role=status] .count-value').count()).toBe(0);

  await page.evaluate(() => {
    window.__hidden = true;
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
  const hiddenAt = Date.now();
  await signElsewhere(server, 'cor@example.nl');
  // Longer than the longest poll interval (6 s) with the page hidden: no request at all.
  await page.waitForTimeout(7_000);
  expect(reads.filter((t) => t > hiddenAt + 100), 'requests while hidden').toEqual([]);
  await expect(page.getByTestId('count-value')).toHaveText('41.235');

  await page.evaluate(() => {
    window.__hidden = false;
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
  await expect(page.getByTestId('count-value')).toHaveText('41.236', { timeout: 2_000 });
});
