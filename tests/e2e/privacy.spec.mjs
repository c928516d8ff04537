// Privacy as the supporter's browser sees it: a whole visit and signature, with every request,
// cookie, stored value, address and console line recorded and searched for what was typed.
import { test, expect, fillForm, signButton, signatureRows } from './fixtures.mjs';

const SUPPORTER = { first: 'Griselda', last: 'Vermeulen-Ozturk', email: 'griselda.vermeulen@example.nl', phone: '0612345678' };
const PERSONAL = ['Griselda', 'Vermeulen', 'Ozturk', 'griselda', 'vermeulen', 'example.nl', '612345678'];

const personalIn = (text) => PERSONAL.filter((p) => text.includes(p));

test('a visit and a signature talk only to the app and its API, and leave nothing personal behind', async ({ page, context, server }, testInfo) => {
  const requests = [];
  const addresses = [];
  const consoleLines = [];
  context.on('request', (r) => requests.push(r));
  page.on('framenavigated', (f) => addresses.push(f.url()));
  page.on('console', (m) => consoleLines.push(m.text()));

  await page.goto(server.url + '/?utm_source=nieuwsbrief');
  await expect(page.getByTestId('count-value')).toHaveText('0');
  await fillForm(page, SUPPORTER);
  await page.getByLabel('Telefoonnummer (optioneel)').fill(SUPPORTER.phone);
  await signButton(page).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bedankt, Griselda!' })).toBeVisible();
  addresses.push(page.url());
  for (const [link, heading] of [
    ['Privacy', 'Privacy'],
    ['Voor gemeenten', 'Voor gemeenten en raadsleden'],
  ]) {
    await page.getByRole('contentinfo').getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    addresses.push(page.url());
  }
  await page.goBack();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Bedankt, Griselda!' })).toBeVisible();

  // Every request went to the app's own origin (which is also the API's here).
  const origin = new URL(server.url).origin;
  const elsewhere = requests.map((r) => r.url()).filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
  expect(elsewhere, 'third-party requests').toEqual([]);
  // The only request carrying personal data is the signature itself, in its body.
  for (const r of requests) {
    expect(personalIn(r.url()), `personal data in ${r.method()} ${r.url()}`).toEqual([]);
    const isSignature = r.method() === 'POST' && r.url().endsWith('/signatures');
    if (!isSignature) expect(personalIn(r.postData() ?? ''), `personal data sent by ${r.url()}`).toEqual([]);
  }
  expect(requests.filter((r) => r.method() === 'POST')).toHaveLength(1);

  expect(await context.cookies(), 'cookies').toEqual([]);
  const stored = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie]));
  expect(personalIn(stored), `stored: ${stored}`).toEqual([]);
  for (const address of addresses) expect(personalIn(address), `address ${address}`).toEqual([]);
  for (const line of consoleLines) expect(personalIn(line), `console: ${line}`).toEqual([]);
  expect(personalIn(server.log.join('\n')), 'server log').toEqual([]);
  expect(signatureRows(server.db)).toHaveLength(1);

  console.log(
    `privacy (${testInfo.project.name}): ${requests.length} requests, all to ${origin}; 0 cookies; ` +
      `${addresses.length} addresses, ${consoleLines.length} console lines and the server log free of personal data`,
  );
});

test('after a reload the thank-you page has forgotten the name', async ({ page, server }) => {
  await page.goto(server.url + '/');
  await fillForm(page, SUPPORTER);
  await signButton(page).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bedankt, Griselda!' })).toBeVisible();
  await page.reload();
  await expect(page.locator('body')).not.toContainText('Griselda');
  await expect(page.locator('h1')).toHaveCount(1);
});

test('links to other sites open without handing over the page', async ({ page, server }) => {
  await page.goto(server.url + '/');
  await fillForm(page, SUPPORTER);
  await signButton(page).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bedankt, Griselda!' })).toBeVisible();
  const external = await page.locator('a[href^="http"]').evaluateAll((links) =>
    links
      .filter((a) => new URL(a.href).origin !== location.origin)
      .map((a) => ({ href: a.href, rel: (a.getAttribute('rel') ?? '').split(/\s+/) })),
  );
  expect(external.length).toBeGreaterThan(5);
  for (const link of external) {
    expect(link.rel, link.href).toEqual(expect.arrayContaining(['noopener', 'noreferrer']));
  }
});
