// Trunk's post_build hook (see Trunk.toml): fills index.html from the copy file, then writes
// the security headers that match the result (the inline script hashes change with it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillIndex, readCopy } from './first-paint.mjs';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? 'dist';
const base = process.env.TRUNK_PUBLIC_URL ?? '/';
const index = join(dir, 'index.html');
let html = fillIndex(readFileSync(index, 'utf8'), readCopy(), base.endsWith('/') ? base : `${base}/`);
console.log(`first-paint: index.html filled from locales/nl.toml (base ${base})`);

// The wasm is fetched once the static first screen has been painted, not before: it then
// never competes with the page's own bytes on a slow connection. The glue script (small) is
// still preloaded, and its address tells the app its base path.
const preload = /<link rel="preload" href="[^"]+_bg\.wasm"[^>]*>/;
const start = 'const wasm = await init(';
if (!preload.test(html) || !html.includes(start)) throw new Error('post-build: Trunk\'s loader is not as expected');
html = html
  .replace(preload, '')
  .replace(
    start,
    // A frame out of view gets no animation frames; it starts after a quarter second instead.
    `await new Promise((painted) => { requestAnimationFrame(() => setTimeout(painted)); setTimeout(painted, 250); });\n${start}`,
  );
writeFileSync(index, html);
await import('./csp.mjs');
