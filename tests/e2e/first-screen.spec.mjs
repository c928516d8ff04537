// The first screen is the app's own markup (rendered by its components at build time), so the
// app takes over without anything moving. The wasm is held back to see the first screen alone.
import { test, expect, routes } from './fixtures.mjs';

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
    // The complete form is there, and cannot be used yet.
    for (const label of ['Voornaam', 'Achternaam', 'E-mailadres', 'Telefoonnummer (optioneel)']) {
      await expect(page.getByLabel(label, { exact: true })).toBeDisabled();
    }
    await expect(page.getByRole('button', { name: 'Teken de petitie' })).toBeDisabled();
    await page.evaluate(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__shift += entry.value;
      }).observe({ type: 'layout-shift' });
    });

    release();
    await expect(page.getByLabel('Voornaam', { exact: true })).toBeEnabled();
    const after = await snapshot(page);
    expect(after.firstScreen).toBe(false);
    expect(after.form).toBe(before.form);
    expect(after.boxes).toEqual(before.boxes);
    // A frame for any shift to be reported.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await page.evaluate(() => window.__shift)).toBe(0);
  });
}
