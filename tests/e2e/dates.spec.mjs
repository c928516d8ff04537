// Dates live: a page left open across `opens_at` shows the form at that moment, and across
// `closes_at` the closed notice, without a reload; each state has its own title. The browser's
// clock is Playwright's, moved forward by the test; the app and the reference server are real.
import { test, expect, routes } from './fixtures.mjs';

const opensAt = '2027-01-12T09:00:00Z';
const closesAt = '2027-01-12T09:05:00Z';

// The reference server's config.json (its API address), with these dates.
async function withDates(page) {
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    const json = { ...(await response.json()), opens_at: opensAt, closes_at: closesAt };
    await route.fulfill({ response, json });
  });
}

for (const [name, path] of [['the petition page', routes.petition], ['the embed', routes.embed]]) {
  test(`${name}: the form appears at opens_at and gives way to the closed notice at closes_at, without a reload`, async ({ page, server }) => {
    await page.clock.install({ time: new Date('2027-01-12T08:59:30Z') });
    await withDates(page);
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(server.url + path);
    await expect(page.locator('#first-paint')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Deze petitie is nog niet geopend' })).toBeVisible();
    await expect(page).toHaveTitle('Deze petitie is nog niet geopend – Het Vergeten Kind');
    await expect(page.getByLabel('Voornaam')).toHaveCount(0);

    // Past opens_at: the form, ready to type into.
    await page.clock.fastForward('00:31');
    await expect(page.getByLabel('Voornaam')).toBeVisible();
    await expect(page).toHaveTitle('Teken de petitie: gezinshulp eerst! – Het Vergeten Kind');
    await page.getByLabel('Voornaam').fill('Anna');
    await page.getByLabel('Achternaam').fill('de Vries');

    // Four minutes on, still open: nothing typed is lost.
    await page.clock.fastForward('04:00');
    await expect(page.getByLabel('Voornaam')).toHaveValue('Anna');
    await expect(page.getByLabel('Achternaam')).toHaveValue('de Vries');

    // Past closes_at: the closed notice, no form.
    await page.clock.fastForward('01:00');
    await expect(page.getByRole('heading', { name: 'Deze petitie is gesloten' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Teken de petitie' })).toHaveCount(0);
    await expect(page).toHaveTitle('Deze petitie is gesloten – Het Vergeten Kind');
    expect(loads).toBe(1);
  });
}

test('every page has its own title and says whether search engines may index it', async ({ page, server }) => {
  for (const [path, title, indexed] of [
    [routes.petition, 'Teken de petitie: gezinshulp eerst! – Het Vergeten Kind', true],
    [routes.privacy, 'Privacy – Het Vergeten Kind', true],
    [routes.municipalities, 'Voor gemeenten en raadsleden – Het Vergeten Kind', true],
    ['/bestaat-niet', 'Deze pagina bestaat niet – Het Vergeten Kind', false],
    [routes.embed, 'Teken de petitie: gezinshulp eerst! – Het Vergeten Kind', false],
    [routes.en.privacy, 'Privacy – Het Vergeten Kind', true],
    [routes.en.municipalities, 'For municipalities and councillors – Het Vergeten Kind', true],
  ]) {
    await page.goto(server.url + path);
    await expect(page.locator('#first-paint')).toHaveCount(0);
    await expect(page).toHaveTitle(title);
    await expect(page.locator('meta[name=robots][content=noindex]')).toHaveCount(indexed ? 0 : 1);
  }
  await page.goto(server.url + routes.municipalities);
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await expect(page.locator('meta[name=description]')).toHaveAttribute('content', /kennis over wat werkt/);
});
