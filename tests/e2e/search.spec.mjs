// What search engines read: robots.txt and sitemap.xml, made at build time with absolute
// addresses on the origin of the build's share_url, under the base path the build was made for.
import { readFileSync } from 'node:fs';
import { test, expect, routes } from './fixtures.mjs';

const origin = (dist) => new URL(JSON.parse(readFileSync(`${dist}/config.json`, 'utf8')).share_url).origin;
const indexed = [routes.petition, routes.privacy, routes.municipalities];
const locations = (xml) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);

test('robots.txt allows every page and names the sitemap; the sitemap lists the pages to find', async ({ request, server }) => {
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
});

test("a shared link's card points to the petition's public address (og:url)", async ({ page, server }) => {
  const shareUrl = JSON.parse(readFileSync('dist/config.json', 'utf8')).share_url;
  await page.goto(`${server.url}${routes.petition}`);
  await expect(page.locator('meta[property="og:url"]')).toHaveAttribute('content', shareUrl);
});

test('a shared link shows the share card: an absolute address on the origin of share_url, its size and its description', async ({ page, request, server }) => {
  const site = origin('dist');
  await page.goto(`${server.url}${routes.petition}`);
  const meta = (property) => page.locator(`meta[property="${property}"]`).getAttribute('content');
  const image = await meta('og:image');
  expect(image).toBe(`${site}/share-card.png`);
  expect(await meta('og:image:type')).toBe('image/png');
  expect(await meta('og:image:width')).toBe('1200');
  expect(await meta('og:image:height')).toBe('630');
  expect(await meta('og:image:alt')).toContain('Teken de petitie: gezinshulp eerst!');
  await expect(page.locator('meta[name="twitter:card"]')).toHaveAttribute('content', 'summary_large_image');

  // The picture itself, as the build serves it: a PNG of 1200 by 630 pixels.
  const png = await request.get(`${server.url}/share-card.png`);
  expect(png.status()).toBe(200);
  expect(png.headers()['content-type']).toBe('image/png');
  const bytes = await png.body();
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 630]);
});
