// Prints raw, gzip and brotli bytes of every file in dist/ and fails when what a first visit
// downloads is above the brotli budget in budget.json.
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

// What a first visit of `/` fetches: the page, every file it names (the glue script, the
// wasm), config.json, and the scripts those scripts import. The embed snippet and its example
// are for host pages. Addresses in meta tags (the share card) are for crawlers, not fetched.
const html = readFileSync(join(dist, 'index.html'), 'utf8').replace(/<meta[^>]*>/g, '');
const named = new Set(['index.html', 'config.json']);
for (const rel of readdirSync(dist)) if (html.includes(rel)) named.add(rel);
for (const rel of [...named].filter((r) => r.endsWith('.js'))) {
  const script = readFileSync(join(dist, rel), 'utf8');
  for (const [, imported] of script.matchAll(/(?:from|import)\s*["']\.\/([^"']+)["']/g)) named.add(imported);
}
const firstVisit = (rel) => named.has(rel);

const pad = (s, n) => String(s).padStart(n);
let total = { raw: 0, gzip: 0, brotli: 0 };
let first = 0;
console.log(`${'file'.padEnd(44)}${pad('raw', 10)}${pad('gzip', 10)}${pad('brotli', 10)}  first visit`);
for (const file of walk(dist).sort()) {
  const rel = relative(dist, file);
  const data = readFileSync(file);
  const gz = gzipSync(data, { level: 9 }).length;
  const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const isFirst = firstVisit(rel);
  total.raw += data.length; total.gzip += gz; total.brotli += br;
  if (isFirst) first += br;
  console.log(`${rel.padEnd(44)}${pad(data.length, 10)}${pad(gz, 10)}${pad(br, 10)}  ${isFirst ? 'yes' : ''}`);
}
console.log(`${'total'.padEnd(44)}${pad(total.raw, 10)}${pad(total.gzip, 10)}${pad(total.brotli, 10)}`);
console.log(`first visit (brotli): ${first} bytes of a ${budget} byte budget (${((first / budget) * 100).toFixed(1)}%)`);
if (first > budget) {
  console.error(`size budget exceeded by ${first - budget} bytes`);
  process.exit(1);
}
