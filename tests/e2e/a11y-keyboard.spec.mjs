// Keyboard, structure and reflow: what axe cannot judge on its own.
import { test, expect, signatureRows, routes } from './fixtures.mjs';

/** What has focus now: its accessible-ish name, whether the focus is visible, DOM order. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const ring = style.boxShadow !== 'none' || (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2);
    const label = el.labels?.[0]?.textContent ?? '';
    const name = (el.getAttribute('aria-label') || label || el.textContent || '').trim().replace(/\s+/g, ' ');
    const order = [...document.querySelectorAll('*')].indexOf(el);
    return { tag: el.tagName.toLowerCase(), name, ring, order };
  });

test('signs with the keyboard only, with visible focus in reading order', async ({ page, server }, testInfo) => {
  await page.goto(server.url + '/');
  await expect(page.getByTestId('count-value')).toHaveText('0');
  expect(await page.locator('[tabindex]:not([tabindex="0"]):not([tabindex="-1"])').count(), 'no positive tabindex').toBe(0);

  await page.keyboard.press('Tab');
  let now = await focused(page);
  expect(now).toMatchObject({ tag: 'a', name: 'Direct naar het formulier', ring: true });
  await expect(page.getByRole('link', { name: 'Direct naar het formulier' })).toBeInViewport();
  await page.keyboard.press('Enter');

  // From the form's start, Tab walks the fields in reading order, each with a visible ring.
  const path = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    now = await focused(page);
    expect(now.ring, `focus visible on ${now.tag} "${now.name}"`).toBe(true);
    if (path.length) expect(now.order, `reading order after "${path.at(-1).name}"`).toBeGreaterThan(path.at(-1).order);
    path.push(now);
    if (now.tag === 'input' && now.name === 'Voornaam') break;
  }
  expect(path.at(-1).name, 'the skip link leads to the form').toBe('Voornaam');
  expect(path.length).toBeLessThanOrEqual(3);

  await page.keyboard.type('Anna');
  await page.keyboard.press('Tab');
  expect((await focused(page)).name).toBe('Achternaam');
  await page.keyboard.type('van der Berg');
  await page.keyboard.press('Shift+Tab');
  expect((await focused(page)).name).toBe('Voornaam');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect((await focused(page)).name).toBe('E-mailadres');
  await page.keyboard.type('anna@example.nl');

  // On to the button, past the optional phone field and any links, still in order.
  let previous = await focused(page);
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    now = await focused(page);
    expect(now.ring, `focus visible on ${now.tag} "${now.name}"`).toBe(true);
    expect(now.order).toBeGreaterThan(previous.order);
    previous = now;
    if (now.tag === 'button') break;
  }
  expect(now).toMatchObject({ tag: 'button', name: 'Teken de petitie' });
  await page.keyboard.press('Space');
  await expect(page.getByRole('heading', { level: 1, name: 'Bedankt, Anna!' })).toBeFocused();
  expect(signatureRows(server.db)).toHaveLength(1);
  console.log(`keyboard (${testInfo.project.name}): signed with Tab/Shift+Tab/Space, ${path.length + 4} focus stops checked`);
});

test('Enter in a field submits, and errors are reachable from the summary by keyboard', async ({ page, server }) => {
  await page.goto(server.url + '/');
  // A supporter can only put the cursor in the field once the app is on screen.
  await expect(page.locator('#first-paint')).toHaveCount(0);
  await page.getByLabel('Voornaam').focus();
  await page.keyboard.press('Enter');
  const summary = page.getByRole('alert').filter({ hasText: 'Er ging iets mis' });
  await expect(summary).toBeFocused();
  await page.keyboard.press('Tab');
  const first = await focused(page);
  expect(first.tag).toBe('a');
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Voornaam')).toBeFocused();
  expect(signatureRows(server.db)).toHaveLength(0);
});

const ROUTES = [routes.petition, routes.privacy, routes.municipalities, '/bestaat-niet', routes.embed];

test('structure: lang, one h1, headings in order, landmarks, no live region on the moving number', async ({ page, server }) => {
  for (const route of ROUTES) {
    await page.goto(server.url + route);
    await expect(page.locator('h1')).toHaveCount(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
    const levels = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])));
    expect(levels[0], `${route}: h1 first`).toBe(1);
    levels.forEach((level, i) => {
      if (i) expect(level, `${route}: no skipped heading level`).toBeLessThanOrEqual(levels[i - 1] + 1);
    });
    await expect(page.getByRole('main')).toHaveCount(1);
    if (route !== routes.embed) {
      await expect(page.getByRole('contentinfo')).toHaveCount(1);
      await expect(page.getByRole('navigation').first()).toBeVisible();
    }
    const unlabelled = await page
      .locator('input, select, textarea, button')
      .evaluateAll((els) => els.filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim())).length);
    expect(unlabelled, `${route}: every control has a label`).toBe(0);
  }
  await page.goto(server.url + '/');
  const count = page.getByTestId('count-value');
  await expect(count).toHaveText('0');
  expect(await count.evaluate((el) => el.closest('[aria-live], [role=status], [role=alert], [role=log]') === null)).toBe(true);
});

/** Horizontal overflow of the page, and elements whose own content is cut off. */
const layoutProblems = (page) =>
  page.evaluate(() => {
    const problems = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) problems.push(`page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    for (const el of document.querySelectorAll('body *')) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || el.closest('.visually-hidden, .skip-link, [aria-hidden=true]')) continue;
      const clips = ['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY);
      if ((clips || ['BUTTON', 'INPUT'].includes(el.tagName)) && el.clientHeight > 0) {
        if (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2) {
          problems.push(`${el.tagName.toLowerCase()}.${el.className}: content cut off`);
        }
      }
    }
    return problems;
  });

/** WCAG 1.4.12 text spacing, applied through the CSSOM (the policy allows no style tags). */
const applyTextSpacing = (page) =>
  page.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(
      '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }',
    );
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  });

test('reflows at 320 px and at 400% zoom, survives text spacing, and has big enough targets', async ({ page, server }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'sets its own viewports');
  const seen = [];
  // 320 x 780 is a small phone; 320 x 200 is 1280 x 800 at 400% zoom.
  for (const viewport of [{ width: 320, height: 780 }, { width: 320, height: 200 }]) {
    await page.setViewportSize(viewport);
    for (const route of ROUTES) {
      await page.goto(server.url + route);
      await expect(page.locator('#first-paint')).toHaveCount(0);
      await expect(page.locator('#first-paint')).toHaveCount(0);
    await expect(page.locator('h1')).toBeVisible();
      expect(await layoutProblems(page), `${route} at ${viewport.width}x${viewport.height}`).toEqual([]);
      await applyTextSpacing(page);
      expect(await layoutProblems(page), `${route} with text spacing`).toEqual([]);
      seen.push(`${route}@${viewport.width}x${viewport.height}`);
    }
  }
  // Errors shown: the longest form.
  await page.goto(server.url + '/');
  await page.getByRole('button', { name: 'Teken de petitie' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Er ging iets mis' })).toBeVisible();
  await applyTextSpacing(page);
  expect(await layoutProblems(page), 'form with errors and text spacing').toEqual([]);

  // Targets: every control and every link that is not part of a sentence, at least 24 x 24.
  await page.setViewportSize({ width: 360, height: 780 });
  let smallest = Infinity;
  for (const route of ROUTES) {
    await page.goto(server.url + route);
    await expect(page.locator('#first-paint')).toHaveCount(0);
    await expect(page.locator('h1')).toBeVisible();
    const small = await page.locator('button, input, select, a').evaluateAll((els) =>
      els
        .filter((el) => el.getClientRects().length && !el.closest('.visually-hidden, [aria-hidden=true]'))
        .filter((el) => !(el.tagName === 'A' && el.closest('p') && !el.classList.contains('button')))
        .filter((el) => !el.classList.contains('skip-link'))
        .map((el) => {
          const r = el.getBoundingClientRect();
          return { what: `${el.tagName.toLowerCase()} "${(el.textContent || el.name || '').trim().slice(0, 30)}"`, w: r.width, h: r.height };
        }),
    );
    for (const target of small) {
      smallest = Math.min(smallest, target.w, target.h);
      expect(Math.min(target.w, target.h), `${route}: ${target.what} is ${target.w}x${target.h}`).toBeGreaterThanOrEqual(24);
    }
  }
  console.log(`reflow: ${seen.length} route x viewport combinations without sideways scrolling or clipping; smallest target ${Math.round(smallest)} px`);
});

test('controls, focus ring and progress bar stand out at least 3:1 in light and dark', async ({ page, server }, testInfo) => {
  await page.goto(server.url + '/');
  await expect(page.getByTestId('count-value')).toHaveText('0');
  const report = [];
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    const parts = await page.evaluate(() => {
      const rgb = (s) => (s.match(/[\d.]+/g) ?? []).map(Number);
      const lum = ([r, g, b]) => {
        const c = [r, g, b].map((v) => {
          v /= 255;
          return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
      };
      const ratio = (a, b) => {
        const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05);
      };
      const behind = (el) => {
        for (let e = el.parentElement; e; e = e.parentElement) {
          const c = getComputedStyle(e).backgroundColor;
          if (rgb(c)[3] !== 0 && c !== 'transparent') return c;
        }
        return 'rgb(255, 255, 255)';
      };
      const input = document.querySelector('.field-input');
      const button = document.querySelector('.button--primary');
      input.focus();
      const ring = getComputedStyle(input).boxShadow.match(/rgba?\([^)]*\)/g) ?? [];
      const out = {
        'input border': ratio(getComputedStyle(input).borderTopColor, behind(input)),
        'button': ratio(getComputedStyle(button).backgroundColor, behind(button)),
        'focus ring': Math.max(...ring.map((c) => ratio(c, behind(input)))),
      };
      input.blur();
      return out;
    });
    for (const [part, ratio] of Object.entries(parts)) {
      expect(ratio, `${part} (${colorScheme})`).toBeGreaterThanOrEqual(3);
      report.push(`${part} ${colorScheme} ${ratio.toFixed(1)}:1`);
    }
  }
  console.log(`non-text contrast (${testInfo.project.name}): ${report.join(', ')}`);
});
