// Embed mode as the charity's web team uses it: a host page on one loopback origin
// (http://127.0.0.1:PORT) loads embed.js from the app on another (http://localhost:PORT2),
// served by the reference server. Heights are compared with the framed document's own.
import { createServer } from 'node:http';
import { test as base, expect, startServer, fillForm, signatureRows } from './fixtures.mjs';

/** A host page with text above and below the petition, recording every message it gets. */
function hostPage(appUrl, slots = 1, attributes = '') {
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Gastpagina</title>
<style>body{margin:0;font-family:sans-serif} .filler{height:900px;background:#eee}</style></head>
<body><h1>Gastpagina</h1><div class="filler">Tekst boven de petitie</div>
${`<div data-petitie-embed${attributes}></div>`.repeat(slots)}
<div class="filler">Tekst onder de petitie</div>
<script>
  window.__messages = [];
  window.__signed = [];
  addEventListener('message', (e) => window.__messages.push({ origin: e.origin, data: e.data }));
  document.addEventListener('petitie:signed', (e) => window.__signed.push(e.detail.count));
</script>
<script src="${appUrl}/embed.js" async></script></body></html>`;
}

async function startHost() {
  let appUrl = '';
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(hostPage(appUrl, req.url.startsWith('/twee') ? 2 : 1, req.url.startsWith('/english') ? ' data-lang="en"' : ''));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    setApp(url) {
      appUrl = url;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const test = base.extend({
  allowHost: [true, { option: true }],
  // The host page, and the app (on "localhost", another origin) allowing it or not.
  embed: async ({ allowHost }, use) => {
    const host = await startHost();
    // A host off the list may still frame the app here (--frame-ancestor), so that the
    // app's own check is what keeps the messages from it.
    const app = await startServer({
      extraArgs: allowHost
        ? ['--embed-origin', host.origin]
        : ['--embed-origin', 'https://www.hetvergetenkind.nl', '--frame-ancestor', host.origin],
    });
    const appUrl = app.url.replace('127.0.0.1', 'localhost');
    host.setApp(appUrl);
    await use({ host, app, appUrl });
    await app.stop();
    await host.close();
  },
});

const frame = (page, nth = 0) => page.frameLocator('iframe[title="Petitie: Gezinshulp eerst!"]').nth(nth);

/** Height of the iframe on the host, and of the content inside it. */
async function heights(page) {
  const outer = await page.locator('iframe').evaluate((f) => f.getBoundingClientRect().height);
  const inner = await frame(page)
    .locator('html')
    .evaluate((html) => ({ scroll: html.scrollHeight, client: html.clientHeight }));
  return { outer, content: inner.scroll, viewport: inner.client };
}

/**
 * Waits until the iframe fits its content, then checks it stays put for 5 s. The iframe is
 * looked at first: browsers do not lay out a cross-origin frame that is out of view, so its
 * own idea of its viewport is only current where a supporter would see it.
 */
async function expectFitted(page) {
  await page.locator('iframe').scrollIntoViewIfNeeded();
  await expect
    .poll(async () => {
      const h = await heights(page);
      return Math.abs(h.outer - h.content) <= 2 && h.content <= h.viewport;
    })
    .toBe(true);
  const samples = await page.locator('iframe').evaluate(
    (f) =>
      new Promise((resolve) => {
        const seen = [];
        const start = performance.now();
        const tick = () => {
          seen.push(f.getBoundingClientRect().height);
          if (performance.now() - start < 5000) requestAnimationFrame(tick);
          else resolve(seen);
        };
        requestAnimationFrame(tick);
      }),
  );
  expect(Math.max(...samples) - Math.min(...samples), 'height settles, no growth loop').toBe(0);
  const h = await heights(page);
  expect(Math.abs(h.outer - h.content)).toBeLessThanOrEqual(2);
  expect(h.content, 'no inner scrollbar: all content fits').toBeLessThanOrEqual(h.viewport);
}

test('sizes itself to the content in every step, attributes the signature and scrolls to the thanks', async ({
  page,
  embed,
}) => {
  await page.goto(`${embed.host.origin}/actie?sfc=701P400000kF7Q7IAK&utm_campaign=2026_c1&utm_source=nieuwsbrief`);
  const iframe = page.locator('iframe');
  await expect(iframe).toHaveAttribute('allow', 'clipboard-write; web-share');
  await expect(frame(page).locator('#first-paint')).toHaveCount(0);
  await expectFitted(page);
  // The first height the app reports already holds the whole form, down to its button (the
  // app is mounted complete, in one step); the count arriving may change it afterwards.
  await expect(frame(page).getByTestId('count-value')).toHaveText('0');
  const firstResize = (await page.evaluate(() => window.__messages)).find((m) => m.data.type === 'petitie:resize');
  const buttonBottom = await frame(page)
    .getByRole('button', { name: 'Teken de petitie' })
    .evaluate((b) => b.getBoundingClientRect().bottom + window.scrollY);
  expect(firstResize.data.height).toBeGreaterThanOrEqual(buttonBottom);

  // Validation errors make the form taller; the iframe follows.
  const before = (await heights(page)).outer;
  await frame(page).getByRole('button', { name: 'Teken de petitie' }).click();
  await expect(frame(page).getByRole('heading', { name: 'Er ging iets mis' })).toBeVisible();
  await expectFitted(page);
  expect((await heights(page)).outer).toBeGreaterThan(before);

  // Sign from the bottom of the form, with the host scrolled down to the button.
  await fillForm(frame(page), { email: 'anna@example.nl' });
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await frame(page).getByRole('button', { name: 'Teken de petitie' }).click();
  await expect(frame(page).getByRole('heading', { level: 1, name: 'Bedankt, Anna!' })).toBeVisible();

  // The thank-you step is brought into view on the host page.
  await expect
    .poll(() => iframe.evaluate((f) => {
      const top = f.getBoundingClientRect().top;
      return top > -1 && top < window.innerHeight / 2;
    }))
    .toBe(true);
  await expectFitted(page);

  const messages = await page.evaluate(() => window.__messages);
  expect(new Set(messages.map((m) => m.origin))).toEqual(new Set([embed.appUrl]));
  const steps = messages.filter((m) => m.data.type === 'petitie:step').map((m) => m.data.step);
  expect(steps).toEqual(['form', 'thanks']);
  expect(messages).toContainEqual({ origin: embed.appUrl, data: { type: 'petitie:signed', count: 1 } });
  expect(await page.evaluate(() => window.__signed)).toEqual([1]);

  // Nothing is kept in the browser. This browser blocks storage for the cross-site iframe
  // altogether, and signing worked all the same.
  const kept = await frame(page)
    .locator('html')
    .evaluate(() => {
      const size = (s) => {
        try {
          return window[s].length;
        } catch {
          return 'blocked';
        }
      };
      return [document.cookie, size('localStorage'), size('sessionStorage')];
    });
  expect(kept[0]).toBe('');
  expect([0, 'blocked']).toContain(kept[1]);
  expect([0, 'blocked']).toContain(kept[2]);

  const rows = signatureRows(embed.app.db);
  expect(rows).toHaveLength(1);
  expect(JSON.parse(rows[0].attribution)).toMatchObject({
    sfc: '701P400000kF7Q7IAK',
    utm_campaign: '2026_c1',
    utm_source: 'nieuwsbrief',
    embed_host: embed.host.origin,
  });
});

test.describe('with a host that is not on the allow-list', () => {
  test.use({ allowHost: false });

  test('sends that host no message at all, and still lets people sign', async ({ page, embed }) => {
    await page.goto(`${embed.host.origin}/actie`);
    const inside = frame(page);
    await expect(inside.locator('#first-paint')).toHaveCount(0);
    await fillForm(inside, { email: 'bert@example.nl', first: 'Bert' });
    await inside.getByRole('button', { name: 'Teken de petitie' }).click();
    await expect(inside.getByRole('heading', { level: 1, name: 'Bedankt, Bert!' })).toBeVisible();
    // Let a few frames pass inside the iframe, where a resize message would be sent.
    await inside.locator('html').evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    expect(await page.evaluate(() => window.__messages)).toEqual([]);
    const rows = signatureRows(embed.app.db);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].attribution)).not.toHaveProperty('embed_host');
  });
});

test('two embeds on one page size and step independently', async ({ page, embed }) => {
  await page.goto(`${embed.host.origin}/twee`);
  const iframes = page.locator('iframe');
  await expect(iframes).toHaveCount(2);
  await iframes.nth(1).scrollIntoViewIfNeeded();
  await expect(frame(page, 1).locator('#first-paint')).toHaveCount(0);
  await fillForm(frame(page, 1), { email: 'carla@example.nl', first: 'Carla' });
  await frame(page, 1).getByRole('button', { name: 'Teken de petitie' }).click();
  await expect(frame(page, 1).getByRole('heading', { level: 1, name: 'Bedankt, Carla!' })).toBeVisible();
  await expect(frame(page, 0).getByRole('button', { name: 'Teken de petitie' })).toBeVisible();
  const fits = (i) =>
    Promise.all([
      iframes.nth(i).evaluate((f) => f.getBoundingClientRect().height),
      frame(page, i).locator('html').evaluate((html) => html.scrollHeight),
    ]).then(([outer, content]) => Math.abs(outer - content) <= 2);
  for (const i of [1, 0]) {
    await iframes.nth(i).scrollIntoViewIfNeeded();
    await expect.poll(() => fits(i)).toBe(true);
  }
  const heightsNow = await iframes.evaluateAll((fs) => fs.map((f) => f.getBoundingClientRect().height));
  expect(heightsNow[0]).not.toBe(heightsNow[1]);
});

test('takes valid theme tokens from the URL and ignores anything else', async ({ page, embed }) => {
  const button = () => page.getByRole('button', { name: 'Teken de petitie' });
  // The app's button: the first screen's has no theme yet.
  const colour = async () => {
    await expect(page.locator('#first-paint')).toHaveCount(0);
    return button().evaluate((b) => getComputedStyle(b).backgroundColor);
  };
  await page.goto(`${embed.appUrl}/embed`);
  const standard = await colour();
  await page.goto(`${embed.appUrl}/embed?accent=%23e4007d&radius=2px&bg=transparent`);
  expect(await colour()).toBe('rgb(228, 0, 125)');
  expect(await page.locator('.embed').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgba(0, 0, 0, 0)');
  const readMore = page.getByRole('link', { name: 'Lees meer over de petitie' });
  await expect(readMore).toHaveAttribute('target', '_blank');
  await expect(readMore).toHaveAttribute('rel', /noopener/);
  await page.goto(`${embed.appUrl}/embed?accent=red%3B%7D%20body%7Bdisplay:none&radius=calc(1px)`);
  expect(await colour()).toBe(standard);
  await expect(button()).toBeVisible();
});

test('a page not allowed to frame the app gets no petition at all', async ({ page, embed, cspGuard }) => {
  const blocked = await startHost();
  blocked.setApp(embed.appUrl);
  try {
    const refused = page.waitForEvent('console', (m) => m.text().includes('frame-ancestors'));
    await page.goto(`${blocked.origin}/actie`);
    await refused;
    await expect(page.locator('iframe')).toHaveCount(1);
    expect(await page.evaluate(() => window.__messages)).toEqual([]);
    // The refusal is the expected violation; anything else still fails the test.
    expect(cspGuard.length).toBeGreaterThan(0);
    expect(cspGuard.every((v) => v.includes('frame-ancestors'))).toBe(true);
    cspGuard.splice(0);
  } finally {
    await blocked.close();
  }
});

test('data-lang="en" on the host element puts the petition in English, and it signs with locale "en"', async ({ page, embed }) => {
  await page.goto(`${embed.host.origin}/english?utm_source=nieuwsbrief`);
  const iframe = page.locator('iframe');
  await expect(iframe).toHaveAttribute('title', 'Petition: Family support first!');
  expect(new URL(await iframe.getAttribute('src')).pathname).toBe('/en/embed');
  const english = page.frameLocator('iframe').first();
  await expect(english.locator('html')).toHaveAttribute('lang', 'en');
  await english.getByLabel('First name').fill('Anna');
  await english.getByLabel('Last name').fill('Jansen');
  await english.getByLabel('Email address').fill('anna@example.nl');
  await english.getByRole('button', { name: 'Sign the petition' }).click();
  await expect(english.getByRole('heading', { name: 'Thank you, Anna!' })).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.__signed)).toEqual([1]);
  const rows = signatureRows(embed.app.db);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ locale: 'en' });
  expect(JSON.parse(rows[0].attribution)).toMatchObject({ utm_source: 'nieuwsbrief', embed_host: embed.host.origin });
});
