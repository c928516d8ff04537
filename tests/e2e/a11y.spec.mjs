// WCAG 2.2 AA, checked with axe-core in the real browser, in every route and state a
// supporter can meet, in the light and the dark colour scheme (the projects give the widths).
import { readFileSync } from 'node:fs';
import { test, expect, fillForm, signButton, LANGS } from './fixtures.mjs';

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Runs axe on the page as it is now, in both colour schemes; returns a short description. */
async function expectNoViolations(page, state) {
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    // Evaluated through the debugging protocol: the page's policy would refuse a script tag.
    await page.evaluate(AXE);
    const violations = await page.evaluate(async (tags) => {
      const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return result.violations.map((v) => ({
        id: v.id,
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
      }));
    }, TAGS);
    expect(violations, `${state} (${colorScheme})`).toEqual([]);
  }
  return state;
}

for (const [lang, t] of Object.entries(LANGS)) {
  const routes = t.paths;
  const thanks = (page) => page.getByRole('heading', { level: 1, name: t.thanks });

  test(`${lang}: every route and state has zero axe violations`, async ({ page, server }, testInfo) => {
    // Fourteen pages and states, one of them waiting out the form's retry schedule.
    test.setTimeout(60_000);
    const checked = [];
    const check = async (state) => checked.push(await expectNoViolations(page, state));

    await page.goto(server.url + routes.petition);
    await expect(page.getByTestId('count-value')).toHaveText('0');
    await check('petition');

    await signButton(page, lang).click();
    await expect(page.getByRole('alert').filter({ hasText: t.summary })).toBeVisible();
    await check('errors shown');

    // Sending: the answer is held until axe has looked.
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await page.route('**/signatures', async (route) => {
      await held;
      await route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"internal"}' });
    });
    await fillForm(page, { email: 'anna@example.nl', lang });
    await signButton(page, lang).click();
    await expect(page.getByRole('button', { name: t.sending })).toBeVisible();
    await check('sending');
    release();

    // Failed: the server keeps answering 500; the form says it retries.
    await expect(page.getByText(t.retrying)).toBeVisible();
    await check('failed');

    await page.unroute('**/signatures');
    await expect(thanks(page)).toBeVisible({ timeout: 15_000 });
    await check('thank-you');

    for (const [path, heading] of [
      [routes.privacy, t.privacy],
      [routes.municipalities, t.municipalities],
      [`${routes.petition}bestaat-niet`, t.notFound],
    ]) {
      await page.goto(server.url + path);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await check(path);
    }

    await page.goto(server.url + routes.embed);
    await expect(page.locator('#first-paint')).toHaveCount(0);
    await check('embed');

    console.log(`axe (${lang}, ${testInfo.project.name}): ${checked.length} states x light/dark, 0 violations: ${checked.join(', ')}`);
  });
}

test.describe('a closed petition', () => {
  test.use({ serverOptions: { petition: 'gezinshulp-eerst:closed' } });

  for (const [lang, t] of Object.entries(LANGS)) {
    test(`${lang}: has zero axe violations`, async ({ page, server }) => {
      await page.goto(server.url + t.paths.petition);
      await expect(page.getByText(t.closedCount)).toBeVisible();
      await expectNoViolations(page, 'closed');
    });
  }
});
