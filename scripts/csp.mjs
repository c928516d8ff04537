// Writes the security headers that match a build: a strict Content-Security-Policy with the
// hash of every inline script in index.html and en/index.html, the API origin and the allowed embedders from
// config.json. Run by Trunk after each build (see Trunk.toml); also `node scripts/csp.mjs DIR`.
//
// Output, next to index.html:
//   _headers            for static hosts that read Netlify-style header files
//   headers.nginx.conf  `add_header` lines to include in the nginx location of the app
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';
// One policy for every path: the Dutch page's and the English one's (if built) inline code.
const pages = ['index.html', join('en', 'index.html')].filter((page) => existsSync(join(dir, page)));
const html = pages.map((page) => readFileSync(join(dir, page), 'utf8')).join('\n');

const fail = (message) => {
  console.error(`csp: ${message}`);
  process.exit(1);
};

if (/<[a-z][^>]*\sstyle\s*=/i.test(html)) fail('index.html has an inline style attribute; use a class');
if (/<[a-z][^>]*\son[a-z]+\s*=/i.test(html)) fail('index.html has an inline event handler');

// Each distinct inline script once; data blocks (the page's texts) are not run and need none.
const hash = (body) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`;
const hashes = new Set();
for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (/\bsrc\s*=/i.test(attrs) || /\btype\s*=\s*"?application\/json/i.test(attrs)) continue;
  hashes.add(hash(body));
}

const styleHashes = new Set();
for (const [, body] of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
  styleHashes.add(hash(body));
}

let config;
try {
  config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
} catch (e) {
  fail(`cannot read config.json: ${e.message}`);
}
const origin = (url) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};
const apiOrigin = config.api_base_url ? origin(config.api_base_url) : null;
const embedders = (config.embed?.allowed_origins ?? []).map(origin).filter(Boolean);

const policy = [
  "default-src 'none'",
  ["script-src 'self' 'wasm-unsafe-eval'", ...hashes].join(' '),
  ["style-src 'self'", ...styleHashes].join(' '),
  "img-src 'self' data:",
  "font-src 'self'",
  ['connect-src', "'self'", ...(apiOrigin ? [apiOrigin] : [])].join(' '),
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  ['frame-ancestors', "'self'", ...embedders].join(' '),
].join('; ');

const headers = [
  ['Content-Security-Policy', policy],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'],
  // No Cross-Origin-Opener-Policy: it made the browser start a new renderer process for every
  // arrival from a page without it (the charity's own site included), a long task before the
  // first paint (README, "Performance"); the page has no session or secret for it to guard.
];

writeFileSync(join(dir, '_headers'), `/*\n${headers.map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`);
writeFileSync(
  join(dir, 'headers.nginx.conf'),
  headers.map(([k, v]) => `add_header ${k} "${v}" always;`).join('\n') + '\n',
);
console.log(`csp: ${pages.length} page(s), ${hashes.size} inline script and ${styleHashes.size} inline style hash(es), connect-src ${apiOrigin ?? "'self'"}, ${embedders.length} embedder(s)`);
