// Trunk's post_build hook (see Trunk.toml): fills index.html from the copy file, then writes
// the security headers that match the result (the inline script hashes change with it).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { minify as minifyCss } from 'csso';
import { minify } from 'terser';
import { fillIndex, readCopy } from './first-paint.mjs';
import { features, hasSplitPoints, optimise, split } from './split.mjs';
import { shortenNames } from './wasm-names.mjs';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? 'dist';
const base = process.env.TRUNK_PUBLIC_URL ?? '/';
const index = join(dir, 'index.html');
let html = fillIndex(readFileSync(index, 'utf8'), readCopy(), base.endsWith('/') ? base : `${base}/`);
console.log(`first-paint: index.html filled from locales/nl.toml (base ${base})`);

// The app's files are fetched once the static first screen has been painted, not before:
// they never compete with the page's own bytes on a slow connection, and a first paint
// waits for nothing but index.html. Then, at once and in parallel: the glue script (its
// <link rel=modulepreload>, with Trunk's integrity hash, also tells the app its base path),
// config.json (a preload the app's own fetch takes over) and the wasm.
const preloadWasm = /<link rel="preload" href="[^"]+_bg\.wasm"[^>]*>/;
const preloadGlue = /<link rel="modulepreload" href="([^"]+)"[^>]*>/;
const glueLink = html.match(preloadGlue);
const importGlue = glueLink && `import init, * as bindings from '${glueLink[1]}';\n`;
const start = 'const wasm = await init(';
if (!preloadWasm.test(html) || !glueLink || !html.includes(importGlue) || !html.includes(start)) {
  throw new Error('post-build: Trunk\'s loader is not as expected');
}
const [, glue] = glueLink;
// The address of a file in the same folder as the glue (under the build's base path).
const beside = (name) => glue.replace(/[^/]*$/, name);
let integrity = glueLink[0].match(/ integrity="([^"]+)"/)?.[1];

// The release build (`make build`): the wasm in parts (split.mjs; without split points, as
// from a plain `trunk build --release`, in one) and optimised; the glue script minified; then
// the names that link glue and wasm made short in both (wasm-names.mjs). The main files keep
// Trunk's hashed names (taken from the unoptimised code, so they still change whenever the
// code does); the glue's integrity hash is made again for the new content (the wasm is
// fetched by the glue, without one).
const extra = { loader: null, parts: [] };
if (process.env.TRUNK_PROFILE === 'release') {
  const file = join(dir, basename(glue));
  const stem = basename(glue, '.js');
  const wasmFile = join(dir, basename(html.match(preloadWasm)[0].match(/href="([^"]+)"/)[1]));
  const minifyJs = (code) => minify(code, { module: true, compress: true, mangle: true });
  let source = readFileSync(file, 'utf8');
  let wasm;
  const targetDir = process.env.CARGO_TARGET_DIR ?? 'target';
  const work = join(targetDir, 'split');
  if (hasSplitPoints(source)) {
    const input = join(targetDir, 'wasm32-unknown-unknown', 'release', 'petitie.wasm');
    const parts = await split({ input, stem, work, minify: minifyJs });
    ({ main: wasm, glue: source } = parts);
    writeFileSync(join(dir, parts.loader.name), parts.loader.code);
    for (const part of parts.parts) writeFileSync(join(dir, part.name), part.data);
    extra.loader = beside(parts.loader.name);
    extra.parts = parts.parts.map((part) => beside(part.name));
    console.log(`post-build: wasm split into ${1 + parts.parts.length} parts (${parts.parts.map((p) => p.name).join(', ')})`);
  } else {
    mkdirSync(work, { recursive: true });
    wasm = optimise(wasmFile, features(wasmFile), join(work, 'main.wasm'));
  }
  // The app starts in a task of its own, after the one that finishes compiling the wasm and
  // instantiates it (a message to a channel: not throttled like a timer in a background tab).
  const startCall = '    wasm.__wbindgen_start();\n';
  if (source.split(startCall).length !== 2) {
    throw new Error('post-build: the glue\'s start call is not as expected');
  }
  source = source.replace(
    startCall,
    '    const started = new MessageChannel();\n' +
      '    started.port1.onmessage = () => wasm.__wbindgen_start();\n' +
      '    started.port2.postMessage(null);\n',
  );
  const minified = await minifyJs(source);
  const short = shortenNames(wasm, minified.code);
  const code = short.glue;
  writeFileSync(wasmFile, short.wasm);
  writeFileSync(file, code);
  console.log(`post-build: ${short.renamed} import and export names shortened`);
  if (integrity) {
    const algorithm = integrity.split('-')[0];
    integrity = `${algorithm}-${createHash(algorithm).update(code).digest('base64')}`;
  }
  console.log(`post-build: ${basename(glue)} minified, ${source.length} -> ${code.length} bytes`);

  // The style sheets (inlined by Trunk one by one, with their comments) as one minified
  // sheet, in the same order and without restructuring: 13.1 -> 9.7 KB raw, -0.6 KB brotli.
  const sheet = /<style>([\s\S]*?)<\/style>\s*/g;
  const css = [...html.matchAll(sheet)].map(([, body]) => body).join('\n');
  const { css: minCss } = minifyCss(css, { restructure: false, comments: false });
  let first = true;
  html = html.replace(sheet, () => (first ? ((first = false), `<style>${minCss}</style>\n`) : ''));
  console.log(`post-build: style sheets minified, ${css.length} -> ${minCss.length} bytes`);
}
const links = [
  { rel: 'modulepreload', href: glue, crossOrigin: 'anonymous', ...(integrity ? { integrity } : {}) },
  // The same address and credentials mode as the app's fetch (config.rs), so it is used.
  { rel: 'preload', href: beside('config.json'), as: 'fetch', crossOrigin: 'anonymous' },
  // The glue imports the parts' loader: fetched with it rather than after it.
  ...(extra.loader ? [{ rel: 'modulepreload', href: extra.loader, crossOrigin: 'anonymous' }] : []),
];
// Any page but the petition's needs the other pages' part at once: fetched with the rest.
const partLinks = extra.parts.map((href) => ({ rel: 'preload', href, as: 'fetch', crossOrigin: 'anonymous' }));
html = html
  .replace(preloadWasm, '')
  .replace(glueLink[0], '')
  .replace(importGlue, '')
  .replace(
    start,
    [
      // The loader runs while the head is parsed: it first waits for the rest of the page.
      "await new Promise((parsed) => document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', parsed, { once: true }) : parsed());",
      // Then for the first contentful paint on screen (its timing entry comes after the frame
      // is presented; a request that starts before it counts as holding up the first paint).
      // A frame out of view paints nothing; it starts after a quarter second instead.
      "await new Promise((painted) => { setTimeout(painted, 250); try { new PerformanceObserver((list) => list.getEntriesByName('first-contentful-paint').length && painted()).observe({ type: 'paint', buffered: true }); } catch { painted(); } });",
      `for (const link of ${JSON.stringify(links)}.concat(document.documentElement.className === 'route-page' ? [] : ${JSON.stringify(partLinks)})) document.head.append(Object.assign(document.createElement('link'), link));`,
      `const bindings = await import('${glue}');`,
      'const init = bindings.default;',
      start,
    ].join('\n'),
  );
// The loader as a classic script: it runs while the parser reads the page's head, in a short
// task of its own, instead of as a module after parsing, in the same task as the browser's
// first layout (the longest before the first paint).
const loader = /<script type="module">([^<]*const wasm = await init\([^<]*)<\/script>/;
if (!loader.test(html)) throw new Error('post-build: Trunk\'s loader script is not as expected');
html = html.replace(loader, (_, body) => `<script>(async () => {${body}})();</script>`);
writeFileSync(index, html);
await import('./csp.mjs');
