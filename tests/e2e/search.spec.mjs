// What search engines and shared links read: robots.txt and sitemap.xml, made at build time
// with absolute addresses on the origin of the build's share_url, under the base path the
// build was made for; each page's canonical and hreflang links; each language's share card.
import { readFileSync } from 'node:fs';
import { test, expect, routes } from './fixtures.mjs';

const origin = (dist) => new URL(JSON.parse(readFileSync(`${dist}/config.json`, 'utf8')).share_url).origin;
const indexed = [routes.petition, routes.privacy, routes.municipalities, routes.en.petition, routes.en.privacy, routes.en.municipalities];
const locations = (xml) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);

test('robots.txt allows every page and names the sitemap; the sitemap lists the pages to find in both languages', async ({ request, server }) => {
  const site = origin('dist');
  const robots = await request.get(`${server.url}/robots.txt`);
  expect(robots.status()).toBe(200);
  expect(robots.headers()['content-type']).toMatch(/^text\/plain/);
  expect(await robots.text()).toBe(`User-agent: *\nAllow: /\n\nSitemap: ${site}/sitemap.xml\n`);

  const sitemap = await request.get(`${server.url}/sitemap.xml`);
  expect(sitemap.status()).toBe(200);
  expect(sitemap.headers()['content-type']).toMatch(/xml/);
  const xml = await sitemap.text();
  expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
  expect(locations(xml)).toEqual(indexed.map((path) => site + path));
});

test('a build under a base path puts it in every address', () => {
  const site = origin('target/dist-base');
  expect(readFileSync('target/dist-base/robots.txt', 'utf8')).toContain(`Sitemap: ${site}/petitie/sitemap.xml\n`);
  expect(locations(readFileSync('target/dist-base/sitemap.xml', 'utf8'))).toEqual(indexed.map((path) => `${site}/petitie${path}`));
  const english = readFileSync('target/dist-base/en/index.html', 'utf8');
  expect(english).toContain(`<link rel="canonical" href="${site}/petitie/en/"`);
  expect(english).toContain(`<meta property="og:image" content="${site}/petitie/en/share-card.png">`);
});

for (const [lang, paths, other, otherPaths] of [['nl', routes, 'en', routes.en], ['en', routes.en, 'nl', routes]]) {
  test(`${lang}: every page names its own address and the other language's (canonical, hreflang), also after navigating`, async ({ page, server }) => {
    const site = origin('dist');
    const expectLinks = async (path, otherPath) => {
      await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', site + path);
      await expect(page.locator(`link[rel="alternate"][hreflang="${lang}"]`)).toHaveAttribute('href', site + path);
      await expect(page.locator(`link[rel="alternate"][hreflang="${other}"]`)).toHaveAttribute('href', site + otherPath);
      await expect(page.locator('link[rel="alternate"][hreflang="x-default"]')).toHaveAttribute('href', site + (lang === 'nl' ? path : otherPath));
    };
    await page.goto(server.url + paths.petition);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expectLinks(paths.petition, otherPaths.petition);
    await expect(page.locator('#first-paint')).toHaveCount(0);
    // Within the app: the privacy page's own (the footer's link).
    await page.locator('.footer-nav a').nth(1).click();
    await expect(page).toHaveURL(server.url + paths.privacy);
    await expectLinks(paths.privacy, otherPaths.privacy);
    // Loaded at its own address.
    await page.goto(server.url + paths.municipalities);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expectLinks(paths.municipalities, otherPaths.municipalities);
  });

  test(`${lang}: a shared link shows the language's card, an absolute address on the origin of share_url, with its size and description`, async ({ page, request, server }) => {
    const site = origin('dist');
    const shareUrl = JSON.parse(readFileSync('dist/config.json', 'utf8')).share_url;
    await page.goto(server.url + paths.petition);
    const meta = (property) => page.locator(`meta[property="${property}"]`).getAttribute('content');
    expect(await meta('og:url')).toBe(lang === 'nl' ? shareUrl : `${shareUrl.replace(/\/$/, '')}/en/`);
    expect(await meta('og:locale')).toBe(lang === 'nl' ? 'nl_NL' : 'en_GB');
    const image = await meta('og:image');
    expect(image).toBe(`${site}${paths.petition}share-card.png`);
    expect(await meta('og:image:type')).toBe('image/png');
    expect(await meta('og:image:width')).toBe('1200');
    expect(await meta('og:image:height')).toBe('630');
    expect(await meta('og:image:alt')).toContain(lang === 'nl' ? 'Teken de petitie: gezinshulp eerst!' : 'Sign the petition: family support first!');
    expect(await meta('og:title')).toBe(lang === 'nl' ? 'Teken de petitie: gezinshulp eerst!' : 'Sign the petition: family support first!');
    await expect(page.locator('meta[name="twitter:card"]')).toHaveAttribute('content', 'summary_large_image');

    // The picture itself, as the build serves it: a PNG of 1200 by 630 pixels, one per language.
    const png = await request.get(`${server.url}${paths.petition}share-card.png`);
    expect(png.status()).toBe(200);
    expect(png.headers()['content-type']).toBe('image/png');
    const bytes = await png.body();
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 630]);
    const otherCard = await request.get(`${server.url}${otherPaths.petition}share-card.png`);
    expect(Buffer.compare(bytes, await otherCard.body())).not.toBe(0);
  });
}
