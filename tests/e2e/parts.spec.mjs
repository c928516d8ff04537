// The release wasm's second part (the pages other than the petition's, and the checking and
// sending of a signature): when a first visit fetches it, what waits for it, and what happens
// when it cannot be fetched.
import { test, expect, fillForm, signButton, signatureRows } from './fixtures.mjs';

const part = /\/part-[0-9a-f]{16}\.wasm$/;
const thanks = (page) => page.getByRole('heading', { level: 1, name: /^Bedankt, / });

test('a first visit to the petition fetches the second part only once the form is used', async ({ page, server }) => {
  const fetched = [];
  page.on('request', (request) => part.test(request.url()) && fetched.push(request.url()));
  await page.goto(server.url + '/');
  // Started up: the form is the app's and the count has arrived.
  await expect(page.getByLabel('Voornaam')).toBeVisible();
  await expect(page.getByTestId('count-value')).toHaveText('0');
  expect(fetched).toHaveLength(0);
  await page.getByLabel('Voornaam').focus();
  await expect.poll(() => fetched.length).toBe(1);
});

test('a page whose part cannot be fetched says so, and shows when asked again', async ({ page, server }) => {
  await page.route(part, (route) => route.abort());
  await page.goto(server.url + '/privacy');
  await expect(page.getByRole('alert')).toContainText('Deze pagina kon niet worden geladen');
  await page.unroute(part);
  await page.getByRole('button', { name: 'Opnieuw proberen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Privacy/ })).toBeVisible();
});

test('a signature waits while its sending part cannot be fetched, then is sent once', async ({ page, server }) => {
  await page.route(part, (route) => route.abort());
  await page.goto(server.url + '/');
  await fillForm(page, { first: 'Pim', email: 'pim@example.nl' });
  await signButton(page).click();
  await expect(page.getByText('We proberen het automatisch opnieuw')).toBeVisible();
  expect(signatureRows(server.db)).toHaveLength(0);
  await page.unroute(part);
  await expect(thanks(page)).toHaveText('Bedankt, Pim!', { timeout: 15_000 });
  expect(signatureRows(server.db)).toHaveLength(1);
  await expect(page.getByLabel('Voornaam')).toHaveCount(0);
});

test('a field left while the second part is still on its way is checked once it arrives', async ({ page, server }) => {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let asked = 0;
  await page.route(part, async (route) => {
    asked += 1;
    await released;
    await route.continue();
  });
  await page.goto(server.url + '/');
  const email = page.getByLabel('E-mailadres');
  await email.fill('pim@voorbeeld');
  await page.getByLabel('Voornaam').focus();
  await expect.poll(() => asked).toBe(1);
  await expect(email).not.toHaveAttribute('aria-invalid', 'true');
  release();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Vul een e-mailadres in zoals naam@voorbeeld.nl, zonder spaties')).toBeVisible();
  // Nothing typed is lost while waiting.
  await expect(email).toHaveValue('pim@voorbeeld');
});

test('a broken configuration is reported even when the part that describes it cannot be fetched', async ({ page, server }) => {
  await page.route(part, (route) => route.abort());
  await page.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body: '{"api_base_url": ' }));
  await page.goto(server.url + '/');
  const panel = page.getByRole('alert');
  await expect(panel).toContainText('De petitie kan nu niet worden geladen');
  await expect(panel).toContainText('Probeer het later nog eens.');
  // What exactly is wrong is in the part; the panel leaves out the line that would announce it.
  await expect(panel).not.toContainText('Dit is het probleem');
  await page.unroute(part);
  await page.reload();
  await expect(panel).toContainText(/Dit is het probleem:\s*config\.json is geen geldige JSON/);
});
