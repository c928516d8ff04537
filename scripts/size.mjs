// Prints raw, gzip and brotli bytes of every file in dist/ and fails when what a first visit
// of `/` or `/en/` downloads is above the brotli budget in budget.json.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const budget = JSON.parse(readFileSync('budget.json', 'utf8')).first_visit_brotli_bytes;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

// What a first visit of a page fetches: the page, every file it names (the glue script, the
// wasm), config.json, and the scripts those scripts import. The embed snippet and its example
// are for host pages. Addresses in meta tags (the share card) are for crawlers, not fetched.
// The pages: `/` (index.html) and `/en/` (en/index.html), which name the same files.
const pages = ['index.html', join('en', 'index.html')];
function firstVisitOf(page) {
  const html = readFileSync(join(dist, page), 'utf8').replace(/<meta[^>]*>/g, '');
  const named = new Set([page, 'config.json']);
  // Another page is not fetched (the route script names each page's own addresses).
  for (const rel of readdirSync(dist)) if (statSync(join(dist, rel)).isFile() && !rel.endsWith('.html') && html.includes(rel)) named.add(rel);
  for (const rel of [...named].filter((r) => r.endsWith('.js'))) {
    const script = readFileSync(join(dist, rel), 'utf8');
    for (const [, imported] of script.matchAll(/(?:from|import)\s*["']\.\/([^"']+)["']/g)) named.add(imported);
  }
  return named;
}
const visits = pages.map((page) => ({ page, named: firstVisitOf(page), bytes: 0 }));
const firstVisit = (rel) => visits.filter((v) => v.named.has(rel));

const pad = (s, n) => String(s).padStart(n);
let total = { raw: 0, gzip: 0, brotli: 0 };
console.log(`${'file'.padEnd(44)}${pad('raw', 10)}${pad('gzip', 10)}${pad('brotli', 10)}  first visit of`);
for (const file of walk(dist).sort()) {
  const rel = relative(dist, file);
  const data = readFileSync(file);
  const gz = gzipSync(data, { level: 9 }).length;
  const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const of = firstVisit(rel);
  total.raw += data.length; total.gzip += gz; total.brotli += br;
  for (const visit of of) visit.bytes += br;
  console.log(`${rel.padEnd(44)}${pad(data.length, 10)}${pad(gz, 10)}${pad(br, 10)}  ${of.map((v) => v.page).join(', ')}`);
}
console.log(`${'total'.padEnd(44)}${pad(total.raw, 10)}${pad(total.gzip, 10)}${pad(total.brotli, 10)}`);
let over = false;
for (const { page, bytes } of visits) {
  const path = `/${page.replace(/index\.html$/, '')}`;
  console.log(`first visit of ${path} (brotli): ${bytes} bytes of a ${budget} byte budget (${((bytes / budget) * 100).toFixed(1)}%)`);
  if (bytes > budget) {
    console.error(`size budget exceeded on ${path} by ${bytes - budget} bytes`);
    over = true;
  }
}
if (over) process.exit(1);
