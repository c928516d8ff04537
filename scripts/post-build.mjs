// Trunk's post_build hook (see Trunk.toml): fills index.html's static first screen from the
// copy file (first-paint.mjs), then writes the security headers that match the result (the
// inline script hashes change with it, csp.mjs). Neither touches Trunk's loader or the wasm.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillIndex, readCopy } from './first-paint.mjs';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? 'dist';
const base = process.env.TRUNK_PUBLIC_URL ?? '/';
const index = join(dir, 'index.html');
const html = fillIndex(readFileSync(index, 'utf8'), readCopy(), base.endsWith('/') ? base : `${base}/`);
writeFileSync(index, html);
console.log(`first-paint: index.html filled from locales/nl.toml (base ${base})`);
await import('./csp.mjs');
