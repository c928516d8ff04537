// Confirmation by e-mail, end to end: the app against the reference server with
// --confirm-by-email and a real SMTP server on 127.0.0.1. A signature counts once its mailed
// link is opened and its one button tapped; opening the link alone changes nothing.
import { readFileSync } from 'node:fs';
import { test, expect, fillForm, signButton, signatureRows, tokenIn, routes, LANGS } from './fixtures.mjs';

test.use({ serverOptions: { confirm: true } });

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

async function expectNoAxeViolations(page, state) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, state).toEqual([]);
}

/** Signs on `path` and waits for the pending step; returns the mail. */
async function signAndGetMail(page, server, { email = 'Anna@Example.nl', lang = 'nl', n = 1 } = {}) {
  const t = LANGS[lang];
  await page.goto(server.url + t.paths.petition);
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await fillForm(page, { email, lang });
  await signButton(page, lang).click();
  return server.sink.mail(n);
}

const count = (server) => fetch(`${server.url}/api/v1/petitions/gezinshulp-eerst`).then((r) => r.json()).then((p) => p.count);

test('signs into one more step, and the mailed link counts the signature only once tapped', async ({ page, server }) => {
  const requested = [];
  page.on('request', (r) => requested.push({ url: r.url(), referer: r.headers().referer ?? '' }));
  await page.goto(server.url + routes.petition);
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await expect(page.getByText('Na het tekenen krijg je een e-mail om je handtekening te bevestigen.')).toBeVisible();
  await fillForm(page, { email: 'Anna@Example.nl' });
  await signButton(page).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Nog één stap' })).toBeVisible();
  // The address as typed, so a typo would show.
  await expect(page.getByText('We hebben een e-mail gestuurd naar Anna@Example.nl.', { exact: false })).toBeVisible();
  await expect(page).toHaveTitle('Nog één stap – Het Vergeten Kind');
  const mail = await server.sink.mail(1);
  expect(mail.subject).toBe('Bevestig je handtekening: gezinshulp eerst!');
  const token = tokenIn(mail, 'bevestigen');
  expect(await count(server)).toBe(0);

  // A mail scanner: a plain GET of the link, and a browser that opens it and runs its scripts.
  const fetched = await fetch(`${server.url}${routes.confirm}#${token}`);
  expect(fetched.status).toBe(200);
  const scanner = await page.context().newPage();
  await scanner.goto(`${server.url}${routes.confirm}#${token}`);
  await expect(scanner.getByRole('button', { name: 'Bevestig mijn handtekening' })).toBeVisible();
  await expect(scanner.locator('meta[name=robots]')).toHaveAttribute('content', 'noindex');
  // The token is out of the address bar at once.
  expect(new URL(scanner.url()).hash).toBe('');
  await expectNoAxeViolations(scanner, 'the confirm page');
  await scanner.close();
  expect(await count(server)).toBe(0);
  expect(signatureRows(server.db)[0].confirmed_at).toBeNull();

  // The signer opens it and taps.
  await page.goto(`${server.url}${routes.confirm}#${token}`);
  await expect(page).toHaveTitle('Bevestig je handtekening – Het Vergeten Kind');
  await page.getByRole('button', { name: 'Bevestig mijn handtekening' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bedankt, Anna!' })).toBeVisible();
  await expect(page.getByTestId('count-value')).toHaveText('1');
  await expect(page.getByRole('heading', { name: 'Vraag anderen ook te tekenen' })).toBeVisible();
  expect(await count(server)).toBe(1);
  expect(signatureRows(server.db)[0].confirmed_at).not.toBeNull();
  // No request line or Referer carried the token.
  for (const { url, referer } of requested) {
    expect(url).not.toContain(token);
    expect(referer).not.toContain(token);
  }
  for (const line of server.log) expect(line).not.toContain(token);
});

test('signing again: a pending address gets the same step and no second mail at once', async ({ page, server }) => {
  await signAndGetMail(page, server);
  await expect(page.getByRole('heading', { level: 1, name: 'Nog één stap' })).toBeVisible();
  await page.goto(server.url + routes.petition);
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await fillForm(page, { email: 'anna@example.nl' });
  await signButton(page).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nog één stap' })).toBeVisible();
  // A marker mail: everything before it has been sent.
  await signAndGetMail(page, server, { email: 'zoe@example.nl', n: 2 });
  expect(server.sink.mails.map((m) => m.to).sort()).toEqual(['Anna@example.nl', 'zoe@example.nl']);
  expect(signatureRows(server.db)).toHaveLength(2);
});

test('wrong address: back to the form with everything as typed; the mail again after 30 seconds', async ({ page, server }) => {
  await page.clock.install();
  await signAndGetMail(page, server, { email: 'anna@exampel.nl' });
  const resend = page.getByRole('button', { name: 'Geen e-mail gekregen? Stuur hem opnieuw' });
  await expect(resend).toBeDisabled();
  await expectNoAxeViolations(page, 'the pending step');
  await page.clock.fastForward('00:31');
  await expect(resend).toBeEnabled();
  await resend.click();
  await expect(page.getByText('Als dit adres heeft getekend, is er een nieuwe e-mail onderweg.')).toBeVisible();

  await page.getByRole('button', { name: 'Verkeerd adres? Verbeter het' }).click();
  await expect(page.getByLabel('E-mailadres')).toHaveValue('anna@exampel.nl');
  await expect(page.getByLabel('Voornaam')).toHaveValue('Anna');
  await expect(page.getByLabel('Achternaam')).toHaveValue('van der Berg');
  await page.getByLabel('E-mailadres').fill('anna@example.nl');
  await signButton(page).click();
  await expect(page.getByText('We hebben een e-mail gestuurd naar anna@example.nl.', { exact: false })).toBeVisible();
  const mail = await server.sink.mail(2);
  expect(mail.to).toBe('anna@example.nl');
});

test('withdraw: the signature and everything stored with it are deleted', async ({ page, server }) => {
  const mail = await signAndGetMail(page, server);
  await page.goto(`${server.url}${routes.confirm}#${tokenIn(mail, 'bevestigen')}`);
  await page.getByRole('button', { name: 'Bevestig mijn handtekening' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bedankt, Anna!' })).toBeVisible();

  await page.goto(`${server.url}${routes.withdraw}#${tokenIn(mail, 'intrekken')}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Trek je handtekening in' })).toBeVisible();
  expect(new URL(page.url()).hash).toBe('');
  await expectNoAxeViolations(page, 'the withdraw page');
  await page.getByRole('button', { name: 'Trek mijn handtekening in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Je handtekening is ingetrokken' })).toBeVisible();
  await expect(page.getByText('Je handtekening en de gegevens die erbij hoorden zijn verwijderd.')).toBeVisible();
  expect(signatureRows(server.db)).toHaveLength(0);
  expect(await count(server)).toBe(0);
});

test('an unknown or expired link says so clearly and a new link can be asked for', async ({ page, server }) => {
  await signAndGetMail(page, server, { email: 'anna@example.nl' });
  await page.goto(`${server.url}${routes.confirm}#AAAAAAAAAAAAAAAAAAAAAA`);
  await page.getByRole('button', { name: 'Bevestig mijn handtekening' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Deze link werkt niet meer' })).toBeVisible();
  await expect(page).toHaveTitle('Deze link werkt niet meer – Het Vergeten Kind');
  await expectNoAxeViolations(page, 'an expired link');
  // Checked like the form's field.
  await page.getByLabel('E-mailadres').fill('anna@');
  await page.getByRole('button', { name: 'Stuur een nieuwe link' }).click();
  await expect(page.getByText('Vul een e-mailadres in zoals naam@voorbeeld.nl, zonder spaties').first()).toBeVisible();
  await page.getByLabel('E-mailadres').fill('anna@example.nl');
  await page.getByRole('button', { name: 'Stuur een nieuwe link' }).click();
  await expect(page.getByText('Als dit adres heeft getekend, is er een nieuwe e-mail onderweg.')).toBeVisible();
  // Without a token at all: the same page.
  await page.goto(server.url + routes.withdraw);
  await expect(page.getByRole('heading', { level: 1, name: 'Deze link werkt niet meer' })).toBeVisible();
});

test('in English: the mail, the link and the page', async ({ page, server }) => {
  const mail = await signAndGetMail(page, server, { email: 'zoe@example.nl', lang: 'en' });
  await expect(page.getByRole('heading', { level: 1, name: 'One more step' })).toBeVisible();
  expect(mail.subject).toBe('Confirm your signature: family support first!');
  await page.goto(`${server.url}${routes.en.confirm}#${tokenIn(mail, 'en/confirm')}`);
  await expect(page.getByRole('button', { name: 'Confirm my signature' })).toBeVisible();
  await expectNoAxeViolations(page, 'the English confirm page');
  await page.getByRole('button', { name: 'Confirm my signature' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Thank you, Anna!' })).toBeVisible();
  expect(await count(server)).toBe(1);
});

test.describe('the demo backend', () => {
  test.use({ serverOptions: {} });
  test('plays the confirmation with ?demo=confirm and shows the mail\'s link', async ({ page, server }) => {
    const config = readFileSync('dist/config.json', 'utf8');
    await page.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body: config }));
    await page.goto(`${server.url}/?demo=confirm`);
    await expect(page.locator('#first-paint')).toHaveCount(0);
    await fillForm(page, { email: 'demi@example.nl' });
    await signButton(page).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Nog één stap' })).toBeVisible();
    await page.getByRole('link', { name: 'Demo: open de link uit de e-mail' }).click();
    await page.getByRole('button', { name: 'Bevestig mijn handtekening' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Bedankt, Anna!' })).toBeVisible();
  });
});

test.describe('with the mail server away', () => {
  test.use({ serverOptions: { confirm: true, sinkDown: true } });
  test('the signer sees the next step at once, and the mail arrives once the mail server is up', async ({ page, server }) => {
    await page.goto(server.url + routes.petition);
    await expect(page.locator('#first-paint')).toHaveCount(0);
    await fillForm(page, { email: 'anna@example.nl' });
    await signButton(page).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Nog één stap' })).toBeVisible();
    // Tried and not sent: waiting for the mail server.
    await expect.poll(() => server.log.some((line) => line.includes('not sent (no answer)'))).toBe(true);
    const sink = await server.startSink();
    const mail = await sink.mail(1);
    expect(mail.to).toBe('anna@example.nl');
    await page.goto(`${server.url}${routes.confirm}#${tokenIn(mail, 'bevestigen')}`);
    await page.getByRole('button', { name: 'Bevestig mijn handtekening' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Bedankt, Anna!' })).toBeVisible();
    expect(sink.mails).toHaveLength(1);
  });
});
