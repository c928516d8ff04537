// The petition in English under /en/, beside the Dutch one: labels, numbers, messages, signing
// with locale "en", the language switch both ways (attribution kept) and the embed's language.
import { test, expect, signatureRows, routes } from './fixtures.mjs';

test.use({ serverOptions: { extraArgs: ['--count-offset', '41229'] } });

const english = { button: /^(Sign the petition|Signing…)$/ };

async function fillEnglish(page, { first = 'Anna', last = 'van der Berg', email, phone = '' }) {
  await page.getByLabel('First name').fill(first);
  await page.getByLabel('Last name').fill(last);
  await page.getByLabel('Email address').fill(email);
  if (phone) await page.getByLabel('Phone number (optional)').fill(phone);
}

const signEnglish = (page) => page.getByRole('button', { name: english.button });

test('/en/ is the petition in English, with English labels, numbers and messages', async ({ page, server }) => {
  await page.goto(server.url + routes.en.petition);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign the petition: family support first!' })).toBeVisible();
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await expect(page).toHaveTitle(/^Sign the petition/);
  // The count, formatted the English way.
  await expect(page.getByTestId('count-value')).toHaveText('41,229');
  await expect(page.locator('.count-label')).toHaveText('people have signed');
  for (const label of ['First name', 'Last name', 'Email address', 'Phone number (optional)']) {
    await expect(page.getByLabel(label)).toBeVisible();
  }
  // Field errors and the summary, in English, next to the fields; nothing typed is lost.
  await page.getByLabel('Email address').fill('anna@');
  await signEnglish(page).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Something went wrong' })).toBeVisible();
  await expect(page.getByText('Enter your first name', { exact: true }).first()).toBeVisible();
  await expect(page.getByLabel('Email address')).toHaveValue('anna@');
  await expect(page.getByText('Enter an email address like name@example.com, without spaces').first()).toBeVisible();
  // A page that does not exist, in English.
  await page.goto(server.url + routes.en.petition + 'does-not-exist');
  await expect(page.getByRole('heading', { level: 1, name: 'This page does not exist' })).toBeVisible();
});

test('signing on /en/ sends locale "en" and ends on /en/thanks in English', async ({ page, server }) => {
  await page.goto(server.url + routes.en.petition + '?utm_source=pr');
  await expect(page.getByTestId('count-value')).toHaveText('41,229');
  await fillEnglish(page, { email: 'anna@example.nl' });
  await signEnglish(page).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Thank you, Anna!' })).toBeVisible();
  await expect(page).toHaveURL(server.url + routes.en.thanks);
  await expect(page.getByTestId('count-value')).toHaveText('41,230');
  await expect(page.getByRole('heading', { name: 'Ask others to sign too' })).toBeVisible();
  // Shared in English: the English page's public address, with the English text.
  const whatsapp = await page.getByRole('link', { name: /^Share on WhatsApp/ }).getAttribute('href');
  const shared = new URL(whatsapp).searchParams.get('text');
  expect(shared).toMatch(/^I signed /);
  expect(shared).toContain('/gezinshulp-eerst/en/?utm_source=whatsapp');
  const rows = signatureRows(server.db);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ first_name: 'Anna', locale: 'en' });
  expect(JSON.parse(rows[0].attribution)).toMatchObject({ utm_source: 'pr' });
});

test('Dutch pages show Dutch numbers and sign with locale "nl"', async ({ page, server }) => {
  await page.goto(server.url + routes.petition);
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  await expect(page.getByTestId('count-value')).toHaveText('41.229');
  await page.getByLabel('Voornaam').fill('Anna');
  await page.getByLabel('Achternaam').fill('Jansen');
  await page.getByLabel('E-mailadres').fill('anna@example.nl');
  await page.getByRole('button', { name: 'Teken de petitie' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bedankt, Anna!' })).toBeVisible();
  await expect(page.getByTestId('count-value')).toHaveText('41.230');
  expect(signatureRows(server.db)[0]).toMatchObject({ locale: 'nl' });
});

test('the language switch leads to the same page in the other language, both ways, keeping the attribution', async ({ page, server }) => {
  const query = '?sfc=701P400000kF7Q7IAK&utm_source=pr';
  await page.goto(server.url + routes.privacy + query);
  await expect(page.locator('#first-paint')).toHaveCount(0);
  const toEnglish = page.getByRole('link', { name: 'English', exact: true });
  await expect(toEnglish).toHaveAttribute('lang', 'en');
  await toEnglish.click();
  await expect(page).toHaveURL(server.url + routes.en.privacy + query);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Privacy' })).toBeVisible();

  // Within the English app, to the municipalities page; then back to Dutch.
  await page.goto(server.url + routes.en.municipalities + query);
  await expect(page.getByRole('heading', { level: 1, name: 'For municipalities and councillors' })).toBeVisible();
  await page.getByRole('link', { name: 'Nederlands', exact: true }).click();
  await expect(page).toHaveURL(server.url + routes.municipalities + query);
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  await expect(page.getByRole('heading', { level: 1, name: 'Voor gemeenten en raadsleden' })).toBeVisible();

  // From the petition: the English petition, and the attribution still travels with a signature.
  await page.goto(server.url + routes.petition + query);
  await page.getByRole('link', { name: 'English', exact: true }).click();
  await expect(page).toHaveURL(server.url + routes.en.petition + query);
  await fillEnglish(page, { email: 'anna@example.nl' });
  await signEnglish(page).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Thank you, Anna!' })).toBeVisible();
  expect(JSON.parse(signatureRows(server.db)[0].attribution)).toMatchObject({ sfc: '701P400000kF7Q7IAK', utm_source: 'pr' });
});

test('the embed speaks English at /en/embed and with ?lang=en on /embed', async ({ page, server }) => {
  await page.goto(server.url + routes.embed + '?lang=en&utm_source=nieuwsbrief');
  await expect(page).toHaveURL(server.url + routes.en.embed + '?lang=en&utm_source=nieuwsbrief');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByLabel('First name')).toBeVisible();
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await expect(page.getByRole('button', { name: english.button })).toBeVisible();
  // And back: ?lang=nl on the English embed.
  await page.goto(server.url + routes.en.embed + '?lang=nl');
  await expect(page).toHaveURL(server.url + routes.embed + '?lang=nl');
  await expect(page.getByLabel('Voornaam')).toBeVisible();
});
