// The first screen is the app's own markup (rendered by its components at build time), so the
// app takes over without anything moving; its form takes typing at once, and the app keeps
// what was typed, the focus and its selection, and sends a submit pressed before it ran, once.
// The wasm is held back to see the first screen alone.
import { test, expect, routes, signatureRows } from './fixtures.mjs';

// A count as wide as a real one (at 0 the number is narrower than its placeholder, and the
// count's label joins its line when it arrives: the count's change, not the takeover's).
test.use({ serverOptions: { extraArgs: ['--count-offset', '41234'] } });

/** Holds back the wasm until the returned function is called. */
async function holdWasm(page) {
  let release;
  const held = new Promise((r) => (release = r));
  await page.route('**/*_bg.wasm', async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** The form as structure (tags, sorted attributes, text), and where the things a supporter
 *  looks at sit. The first screen's own additions (`disabled`, the note for readers without
 *  JavaScript, hidden by the page's script) are left out. */
const snapshot = (page) =>
  page.evaluate(() => {
    const canonical = (node) => {
      if (node.nodeType === Node.TEXT_NODE) return node.textContent.trim() ? JSON.stringify(node.textContent) : '';
      if (node.nodeType !== Node.ELEMENT_NODE || node.classList.contains('no-js-note')) return '';
      const attributes = [...node.attributes]
        .filter((a) => a.name !== 'disabled')
        .map((a) => `${a.name}="${a.value}"`)
        .sort()
        .join(' ');
      // Adjacent text nodes are one text, however they were made.
      node.normalize();
      return `<${node.localName} ${attributes}>${[...node.childNodes].map(canonical).join('')}</${node.localName}>`;
    };
    const boxes = [...document.querySelectorAll('h1, .intro, .sign-title, label, input, button[type=submit], .privacy-notice')]
      .filter((e) => e.getClientRects().length > 0)
      .map((e) => {
        const r = e.getBoundingClientRect();
        return `${e.localName}.${e.className} ${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}x${Math.round(r.height)}`;
      });
    return {
      firstScreen: document.getElementById('first-paint') !== null,
      form: canonical(document.querySelector('form.sign-form')),
      boxes,
    };
  });

for (const [name, path] of [['the petition page', routes.petition], ['the embed', routes.embed]]) {
  test(`${name}: the first screen is the components' markup and nothing moves when the app takes over`, async ({ page, server }) => {
    const release = await holdWasm(page);
    await page.goto(server.url + path);
    await expect(page.locator('#first-paint form')).toHaveCount(1);
    const before = await snapshot(page);
    expect(before.firstScreen).toBe(true);
    // The complete form is there, and takes typing at once.
    for (const label of ['Voornaam', 'Achternaam', 'E-mailadres', 'Telefoonnummer (optioneel)']) {
      await expect(page.getByLabel(label, { exact: true })).toBeEditable();
    }
    await expect(page.getByRole('button', { name: 'Teken de petitie' })).toBeEnabled();
    await page.evaluate(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__shift += entry.value;
      }).observe({ type: 'layout-shift' });
    });

    release();
    await expect(page.locator('#first-paint')).toHaveCount(0);
    const after = await snapshot(page);
    expect(after.firstScreen).toBe(false);
    expect(after.form).toBe(before.form);
    expect(after.boxes).toEqual(before.boxes);
    // A frame for any shift to be reported.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await page.evaluate(() => window.__shift)).toBe(0);
  });
}

/** Records layout shifts from now on (`window.__shift`). */
const watchShifts = (page) =>
  page.evaluate(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__shift += entry.value;
    }).observe({ type: 'layout-shift' });
  });
const shifted = async (page) => {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => window.__shift);
};
const field = (page, label) => page.getByLabel(label, { exact: true });

for (const [name, path] of [['the petition page', routes.petition], ['the embed', routes.embed]]) {
  test(`${name}: what is typed before the app runs stays, with the focus and its selection`, async ({ page, server }) => {
    const release = await holdWasm(page);
    await page.goto(server.url + path);
    await expect(page.locator('#first-paint form')).toHaveCount(1);
    // Typed key by key, into every field of the first screen.
    await field(page, 'Voornaam').pressSequentially('Zoë');
    await page.keyboard.press('Tab');
    await page.keyboard.type('van der Berg');
    await field(page, 'E-mailadres').pressSequentially('zoe@example.nl');
    await field(page, 'Telefoonnummer (optioneel)').pressSequentially('06 1234 5678');
    // Back to Achternaam, "der" selected (from 4 to 7).
    await field(page, 'Achternaam').click();
    await page.keyboard.press('Home');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await expect(page.locator('#first-paint')).toHaveCount(1);
    await watchShifts(page);

    release();
    await expect(page.locator('#first-paint')).toHaveCount(0);
    await expect(field(page, 'Voornaam')).toHaveValue('Zoë');
    await expect(field(page, 'Achternaam')).toHaveValue('van der Berg');
    await expect(field(page, 'E-mailadres')).toHaveValue('zoe@example.nl');
    await expect(field(page, 'Telefoonnummer (optioneel)')).toHaveValue('06 1234 5678');
    await expect(field(page, 'Achternaam')).toBeFocused();
    expect(await field(page, 'Achternaam').evaluate((e) => [e.selectionStart, e.selectionEnd])).toEqual([4, 7]);
    expect(await shifted(page)).toBe(0);

    // Typing goes on where it was: over the selection, into the app's own field.
    await page.keyboard.type('den');
    await expect(field(page, 'Achternaam')).toHaveValue('van den Berg');
    // And the app has it all: signing sends exactly these values.
    await page.getByRole('button', { name: 'Teken de petitie' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Zoë/ })).toBeVisible();
    const rows = signatureRows(server.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ first_name: 'Zoë', last_name: 'van den Berg', email: 'zoe@example.nl' });
  });

  test(`${name}: a submit pressed before the app runs waits for it and is sent once`, async ({ page, server }) => {
    const release = await holdWasm(page);
    const sent = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/signatures') && sent.push(r.postDataJSON()));
    await page.goto(server.url + path);
    await expect(page.locator('#first-paint form')).toHaveCount(1);
    await field(page, 'Voornaam').fill('Anna');
    await field(page, 'Achternaam').fill('de Vries');
    await field(page, 'E-mailadres').fill('anna@example.nl');
    // Enter in a field, then the button, twice: the button says to wait.
    await field(page, 'E-mailadres').press('Enter');
    const button = page.locator('#first-paint button[type=submit]');
    await expect(button).toHaveText('Even geduld…');
    await button.click();
    await button.click();
    await expect(page.locator('#first-paint')).toHaveCount(1);
    const heldFor = await page.evaluate(() => performance.now());

    release();
    await expect(page.getByRole('heading', { level: 1, name: /Anna/ })).toBeVisible();
    const rows = signatureRows(server.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ first_name: 'Anna', last_name: 'de Vries', email: 'anna@example.nl', flagged: 0 });
    expect(sent).toHaveLength(1);
    // The form's time counts from the first screen, not from when the app took over.
    expect(sent[0].elapsed_ms).toBeGreaterThanOrEqual(Math.floor(heldFor));
  });
}

test('a submit before the app runs with a field missing is checked by the app: the error summary, nothing sent', async ({ page, server }) => {
  const release = await holdWasm(page);
  await page.goto(server.url + routes.petition);
  await expect(page.locator('#first-paint form')).toHaveCount(1);
  await field(page, 'Voornaam').fill('Anna');
  await field(page, 'Voornaam').press('Enter');
  await expect(page.locator('#first-paint button[type=submit]')).toHaveText('Even geduld…');
  release();
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await expect(page.getByRole('alert', { name: 'Er ging iets mis' })).toBeFocused();
  await expect(field(page, 'Voornaam')).toHaveValue('Anna');
  await expect(page.getByRole('button', { name: 'Teken de petitie' })).toBeVisible();
  expect(signatureRows(server.db)).toHaveLength(0);
});

test('a field left before the app runs does not get the focus back', async ({ page, server }) => {
  const release = await holdWasm(page);
  await page.goto(server.url + routes.petition);
  await expect(page.locator('#first-paint form')).toHaveCount(1);
  await field(page, 'Voornaam').pressSequentially('Zoë');
  // Out of the field, onto the page's text.
  await page.getByRole('heading', { level: 1 }).click();
  await expect(field(page, 'Voornaam')).not.toBeFocused();
  release();
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await expect(field(page, 'Voornaam')).toHaveValue('Zoë');
  await expect(field(page, 'Voornaam')).not.toBeFocused();
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
});

test("the first screen's language switch keeps the landing query before the app runs", async ({ page, server }) => {
  const release = await holdWasm(page);
  const query = '?sfc=701P400000kF7Q7IAK&utm_source=pr';
  await page.goto(server.url + routes.petition + query);
  const toEnglish = page.locator('#first-paint').getByRole('link', { name: 'English', exact: true });
  expect(await toEnglish.evaluate((a) => a.pathname + a.search)).toBe(routes.en.petition + query);
  await toEnglish.click();
  await expect(page).toHaveURL(server.url + routes.en.petition + query);
  release();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
