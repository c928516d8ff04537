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
