// Hostile input, typed into every field and put into every query parameter the app reads.
// Nothing may execute (a payload that ran would set window.__xss, open a dialog, or, being
// inline, trip the policy that fails every test), nothing may break the layout, and each
// value is either refused with a message next to its field or stored as inert text.
import { test, expect, fillForm, signButton, signatureRows, LANGS } from './fixtures.mjs';

const PAYLOADS = [
  '<script>window.__xss = 1</script>',
  '"><img src=x onerror="window.__xss = 1">',
  "'><svg onload=window.__xss=1>",
  '<svg><script>window.__xss=1</script></svg>',
  'javascript:window.__xss=1',
  '<a href="javascript:window.__xss=1">klik</a>',
  '{{7*7}}${7*7}<%= 7*7 %>',
  '"; DROP TABLE signatures; --',
  'Anna\u202Egreb reD nav',
  'An\u200Bna\u200D\uFEFF',
  '=HYPERLINK("http://x.example")',
  'x'.repeat(10_000),
];
const PARAMS = ['sfc', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'accent', 'text', 'background', 'radius', 'bg', 'demo', 'parent_origin', 'lang'];

async function expectUnharmed(page, what) {
  const state = await page.evaluate(() => ({
    xss: window.__xss ?? null,
    sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
    injected: document.querySelectorAll('main script, main img[src="x"], main svg script, main [onerror], main [onload]').length,
  }));
  expect(state, what).toEqual({ xss: null, sideways: false, injected: 0 });
}

for (const [lang, t] of Object.entries(LANGS)) {
  const routes = t.paths;
  const FIELDS = [t.first, t.last, t.email, t.phone];

  test(`${lang}: payloads typed into every field are refused next to the field, kept as typed, and never run`, async ({ page, server }, testInfo) => {
    test.slow();
    page.on('dialog', (d) => {
      throw new Error(`a dialog opened: ${d.message()}`);
    });
    await page.goto(server.url + routes.petition);
    await expect(page.getByTestId('count-value')).toHaveText('0');
    let tried = 0;
    for (const payload of PAYLOADS) {
      for (const label of FIELDS) await page.getByLabel(label).fill(payload);
      await signButton(page, lang).click();
      await expect(page.getByRole('alert').filter({ hasText: t.summary })).toBeVisible();
      for (const label of FIELDS) {
        const field = page.getByLabel(label);
        await expect(field, `${label}: ${payload.slice(0, 40)}`).toHaveAttribute('aria-invalid', 'true');
        await expect(field).toHaveValue(payload);
        const message = await field.evaluate((el) =>
          (el.getAttribute('aria-describedby') ?? '')
            .split(' ')
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' '),
        );
        expect(message, `${label} explains what is wrong`).toMatch(/\w{3,}/);
        tried++;
      }
      await expectUnharmed(page, payload.slice(0, 40));
    }
    expect(signatureRows(server.db)).toHaveLength(0);
    console.log(`hostile input (${lang}, ${testInfo.project.name}): ${PAYLOADS.length} payloads x ${FIELDS.length} fields = ${tried} tries, all refused with a message, none ran`);
  });

  test(`${lang}: payloads in every query parameter are ignored or sent as inert text`, async ({ page, server }, testInfo) => {
    // 25 page loads and 12 signatures: three times the usual time limit.
    test.slow();
    page.on('dialog', (d) => {
      throw new Error(`a dialog opened: ${d.message()}`);
    });
    let tried = 0;
    for (const [i, payload] of PAYLOADS.entries()) {
      const route = i % 2 ? routes.embed : routes.petition;
      // All parameters at once, except for the longest payload: thirteen 10 000-character values
      // make an address no server takes, so that one goes into each parameter in turn.
      const queries =
        payload.length > 2000
          ? PARAMS.map((p) => new URLSearchParams([[p, payload]]).toString())
          : [new URLSearchParams(PARAMS.map((p) => [p, payload])).toString()];
      for (const query of queries) {
        await page.goto(`${server.url}${route}?${query}`);
        await expect(page.locator('#first-paint')).toHaveCount(0);
        await expectUnharmed(page, `query ${query.slice(0, 60)}`);
      }
      // Theme parameters never reach the styles.
      const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--color-accent'));
      expect(accent).not.toContain('window');
      await fillForm(page, { first: 'Anna', email: `anna${i}@example.nl`, lang });
      await signButton(page, lang).click();
      await expect(page.getByRole('heading', { level: 1, name: t.thanks })).toBeVisible();
      await expectUnharmed(page, `thank-you after ${payload.slice(0, 40)}`);
      tried += PARAMS.length;
    }
    const rows = signatureRows(server.db);
    expect(rows).toHaveLength(PAYLOADS.length);
    for (const row of rows) {
      const attribution = JSON.parse(row.attribution);
      expect(Object.keys(attribution).every((k) => k === 'sfc' || k.startsWith('utm_') || k === 'referrer')).toBe(true);
      for (const value of Object.values(attribution)) {
        expect(typeof value).toBe('string');
        expect(value.length).toBeLessThanOrEqual(500);
        expect(value).not.toMatch(/[\u202A-\u202E\u200B-\u200F\uFEFF]/);
      }
    }
    // The first payload arrives as the same, inert, text.
    expect(JSON.parse(rows[0].attribution).utm_campaign).toBe(PAYLOADS[0]);
    console.log(`hostile input (${lang}, ${testInfo.project.name}): ${PAYLOADS.length} payloads x ${PARAMS.length} query parameters = ${tried} tries; stored as inert text or ignored`);
  });
}
