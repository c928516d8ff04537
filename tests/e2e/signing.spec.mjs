// The whole signing path against the reference server, including when things go wrong.
// Every scenario checks what the supporter sees and what the database holds afterwards.
import { test, expect, fillForm, signButton, signatureRows, routes } from './fixtures.mjs';

const thanks = (page) => page.getByRole('heading', { level: 1, name: /^Bedankt, / });
const attributionQuery = '?sfc=701P400000kF7Q7IAK&utm_medium=link&utm_source=pr&utm_campaign=2026_c1&utm_content=pr&utm_term=';

test('signs once with normalised fields and the attribution from the landing URL', async ({ page, server }) => {
  await page.goto(server.url + '/' + attributionQuery);
  await expect(page.getByTestId('count-value')).toHaveText('0');
  await fillForm(page, { first: '  Anna ', last: 'van  der Berg', email: ' Anna@Example.NL ', phone: '06-1234 5678' });
  await signButton(page).click();
  await expect(thanks(page)).toHaveText('Bedankt, Anna!');
  await expect(page).toHaveURL(server.url + routes.thanks);
  await expect(page.getByTestId('count-value')).toHaveText('1');
  // One is singular, in what is shown and what is announced.
  await expect(page.locator('.count-label')).toHaveText('persoon tekende al');
  await expect(page.getByText('Je handtekening is geteld. Nu 1 handtekening.')).toBeAttached();
  const rows = signatureRows(server.db);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ first_name: 'Anna', last_name: 'van der Berg', email: 'Anna@example.nl', phone: '+31612345678', flagged: 0 });
  expect(JSON.parse(rows[0].attribution)).toEqual({
    sfc: '701P400000kF7Q7IAK', utm_medium: 'link', utm_source: 'pr', utm_campaign: '2026_c1', utm_content: 'pr', utm_term: '',
  });
});

test('sends the domain lower-cased; an international one as the e-mail field gives it (punycode)', async ({ page, server }) => {
  const sent = [];
  page.on('request', (r) => r.method() === 'POST' && sent.push(JSON.parse(r.postData()).email));
  await page.goto(server.url + '/');
  await fillForm(page, { email: 'Anna@ÖRN.Example.NL' });
  await signButton(page).click();
  await expect(thanks(page)).toHaveText('Bedankt, Anna!');
  expect(sent).toEqual(['Anna@xn--rn-eka.example.nl']);
  expect(signatureRows(server.db)[0]).toMatchObject({ email: 'Anna@xn--rn-eka.example.nl' });
});

test('answers a second signature with the same email like the first, without counting it', async ({ page, server }) => {
  for (const first of ['Anna', 'Annie']) {
    await page.goto(server.url + '/');
    await fillForm(page, { first, email: 'anna@example.nl' });
    await signButton(page).click();
    await expect(thanks(page)).toHaveText(`Bedankt, ${first}!`);
    await expect(page.getByTestId('count-value')).toHaveText('1');
  }
  expect(signatureRows(server.db)).toHaveLength(1);
});

test('records one signature when submit is double-clicked and Enter is mashed', async ({ page, server }) => {
  const posts = [];
  page.on('request', (r) => r.method() === 'POST' && posts.push(r.headers()['idempotency-key']));
  // Hold the first answer until all the extra clicks and key presses have landed.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route('**/signatures', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(server.url + '/');
  // The app's form (typing into the first screen while the app takes it over is
  // first-screen.spec's subject).
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await fillForm(page, { email: 'dubbel@example.nl' });
  await signButton(page).dblclick();
  await page.getByLabel('E-mailadres').press('Enter');
  await page.getByLabel('E-mailadres').press('Enter');
  // The button says it is busy (aria-disabled); a supporter can still hit it.
  await expect(signButton(page)).toHaveAttribute('aria-disabled', 'true');
  await signButton(page).click({ force: true });
  release();
  await expect(thanks(page)).toBeVisible();
  expect(new Set(posts).size).toBe(1);
  expect(posts).toHaveLength(1);
  expect(signatureRows(server.db)).toHaveLength(1);
});

test('a double-click and Enter twice in the e-mail field while sending end on the thanks, alive and counted once', async ({ page, server }) => {
  // An API that answers after about 800 ms, as on a slow connection.
  await page.route('**/signatures', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue();
  });
  await page.goto(server.url + '/');
  await expect(page.getByTestId('count-value')).toHaveText('0');
  await fillForm(page, { first: 'Daan', email: 'daan@example.nl' });
  await signButton(page).dblclick();
  const email = page.getByLabel('E-mailadres');
  await email.press('Enter');
  await email.press('Enter');
  // The focus stays in the e-mail field until the form is replaced by the thanks.
  await expect(thanks(page)).toHaveText('Bedankt, Daan!');
  await expect(page.getByTestId('count-value')).toHaveText('1');
  expect(signatureRows(server.db)).toHaveLength(1);
  // The app still runs: an internal link changes the page without loading it again (a
  // page load would lose this mark).
  await page.evaluate(() => { window.samePage = true; });
  await page.getByRole('contentinfo').getByRole('link', { name: 'Privacy', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Privacy' })).toBeVisible();
  expect(await page.evaluate(() => window.samePage)).toBe(true);
});

test('retries a failing server with the same idempotency key until it succeeds', async ({ page, server }) => {
  const keys = [];
  let calls = 0;
  await page.route('**/signatures', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    calls += 1;
    if (calls <= 2) return route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"internal"}' });
    return route.continue();
  });
  await page.goto(server.url + '/');
  await fillForm(page, { email: 'volhouden@example.nl' });
  await signButton(page).click();
  await expect(page.getByText('We proberen het automatisch opnieuw')).toBeVisible();
  await expect(thanks(page)).toBeVisible({ timeout: 15_000 });
  expect(keys).toHaveLength(3);
  expect(new Set(keys).size).toBe(1);
  expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(signatureRows(server.db)).toHaveLength(1);
});

test('keeps what was typed while offline and sends it once the connection is back', async ({ page, context, server }) => {
  await page.goto(server.url + '/');
  await expect(page.getByTestId('count-value')).toHaveText('0');
  await fillForm(page, { first: 'Olaf', last: 'Offline', email: 'olaf@example.nl', phone: '+31 6 1234 5678' });
  await context.setOffline(true);
  await signButton(page).click();
  await expect(page.getByText('Je bent offline.')).toBeVisible();
  await expect(page.getByLabel('Voornaam')).toHaveValue('Olaf');
  await expect(page.getByLabel('Telefoonnummer (optioneel)')).toHaveValue('+31 6 1234 5678');
  expect(signatureRows(server.db)).toHaveLength(0);
  await context.setOffline(false);
  await expect(thanks(page)).toHaveText('Bedankt, Olaf!');
  const rows = signatureRows(server.db);
  expect(rows).toHaveLength(1);
  expect(rows[0].email).toBe('olaf@example.nl');
});

test('waits out a 429 with a message and a disabled button, then signs', async ({ page, server }) => {
  let calls = 0;
  await page.route('**/signatures', async (route) => {
    calls += 1;
    if (calls === 1) {
      return route.fulfill({ status: 429, headers: { 'Retry-After': '2' }, contentType: 'application/json', body: '{"error":"rate_limited"}' });
    }
    return route.continue();
  });
  await page.goto(server.url + '/');
  await fillForm(page, { email: 'geduld@example.nl' });
  await signButton(page).click();
  await expect(page.getByText('Probeer het over 2 seconden opnieuw.')).toBeVisible();
  await expect(signButton(page)).toBeDisabled();
  await expect(page.getByText('Je kunt het nu opnieuw proberen.')).toBeVisible({ timeout: 6_000 });
  await expect(signButton(page)).toBeEnabled();
  await signButton(page).click();
  await expect(thanks(page)).toBeVisible();
  expect(signatureRows(server.db)).toHaveLength(1);
});

test('shows every field error and the summary, and sends nothing', async ({ page, server }) => {
  const posts = [];
  page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
  await page.goto(server.url + '/');
  await fillForm(page, { first: '=SUM(A1)', last: '   ', email: 'anna@@example', phone: '06-12ab' });
  await signButton(page).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Er ging iets mis' });
  await expect(summary).toBeVisible();
  await expect(summary.getByRole('link')).toHaveCount(4);
  for (const label of ['Voornaam', 'Achternaam', 'E-mailadres', 'Telefoonnummer (optioneel)']) {
    await expect(page.getByLabel(label)).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(page).toHaveTitle(/^Fout: /);
  // Nothing typed is lost.
  await expect(page.getByLabel('E-mailadres')).toHaveValue('anna@@example');
  expect(posts).toEqual([]);
  expect(signatureRows(server.db)).toHaveLength(0);
});

test('stays usable when the count endpoint answers malformed JSON', async ({ page, server }) => {
  await page.route('**/petitions/gezinshulp-eerst', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{"count": 12,' }));
  await page.goto(server.url + '/');
  await expect(page.getByRole('heading', { level: 1, name: 'Teken de petitie: gezinshulp eerst!' })).toBeVisible();
  await fillForm(page, { email: 'kapot@example.nl' });
  await signButton(page).click();
  await expect(thanks(page)).toBeVisible();
  expect(signatureRows(server.db)).toHaveLength(1);
});

test.describe('a closed petition', () => {
  test.use({ serverOptions: { petition: 'gezinshulp-eerst:closed' } });
  test('shows no form but the final count and what happened', async ({ page, server }) => {
    await page.goto(server.url + '/');
    await expect(page.getByRole('heading', { name: 'Deze petitie is gesloten' })).toBeVisible();
    await expect(page.getByText('0 mensen tekenden de petitie')).toBeVisible();
    await expect(signButton(page)).toHaveCount(0);
    await expect(page.getByLabel('Voornaam')).toHaveCount(0);
  });
});

test('suggests a fix for a mistyped e-mail domain, and signs with the fix when asked', async ({ page, server }) => {
  await page.goto(server.url + '/');
  await fillForm(page, { email: 'anna@gmial.com' });
  await page.getByLabel('Voornaam').focus();
  await page.getByRole('button', { name: 'Bedoelde je anna@gmail.com?' }).click();
  await expect(page.getByLabel('E-mailadres')).toHaveValue('anna@gmail.com');
  await signButton(page).click();
  await expect(thanks(page)).toHaveText('Bedankt, Anna!');
  expect(signatureRows(server.db)[0].email).toBe('anna@gmail.com');
});

test('share links on the thank-you step say which channel they came from', async ({ page, server }) => {
  await page.goto(server.url + '/');
  await fillForm(page, { email: 'anna@example.nl' });
  await signButton(page).click();
  await expect(thanks(page)).toBeVisible();
  const shared = 'https://www.hetvergetenkind.nl/gezinshulp-eerst/';
  for (const [name, channel] of [
    ['Deel via WhatsApp', 'whatsapp'],
    ['Deel op Facebook', 'facebook'],
    ['Deel op X', 'x'],
    ['Deel op LinkedIn', 'linkedin'],
    ['Deel via e-mail', 'email'],
  ]) {
    const link = page.getByRole('link', { name: new RegExp(`^${name}`) });
    const href = decodeURIComponent(await link.getAttribute('href'));
    expect(href, name).toContain(`${shared}?utm_source=${channel}&utm_medium=share`);
    if (channel !== 'email') {
      await expect(link).toHaveAttribute('target', '_blank');
      await expect(link).toHaveAttribute('rel', /noopener/);
    }
  }
});
