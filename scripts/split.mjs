// The release wasm in parts (run by post-build.mjs).
//
// The release build compiles the app with `--cfg split` and linker relocations: the pages
// other than the petition's sit behind a split point (src/lib.rs). From the compiler's wasm,
// wasm-split-cli makes the main part and the other pages' part, plus a small script that
// fetches a part when the main part first asks for it; wasm-bindgen then makes the main
// part's glue, and wasm-opt optimises every part. Parts and script get content-hashed names.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** wasm-opt's parameters for every release wasm. */
export const OPTIMISE = [
  '--converge', '--flatten', '--rereloop', '-Oz', '--generate-global-effects', '-Oz',
  '--strip-debug', '--strip-producers', '--strip-target-features',
];

const run = (command, args, stderr = 'inherit') =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', stderr] });
const hash = (data) => createHash('sha256').update(data).digest('hex').slice(0, 16);

/** The wasm features `file` declares, as wasm-opt flags. */
export function features(file) {
  // (Its warnings about the compiler's linking section are beside the point here.)
  const printed = run('wasm-opt', ['--print-features', file], 'ignore');
  return printed.split(/\s+/).filter((flag) => flag.startsWith('--enable-'));
}

/** `file` optimised with `flags` added to OPTIMISE; returns the bytes. */
export function optimise(file, flags, out) {
  run('wasm-opt', [file, ...flags, ...OPTIMISE, '-o', out]);
  return readFileSync(out);
}

/** Whether Trunk's glue comes from a wasm with split points (still unresolved in it). */
export const hasSplitPoints = (glue) => glue.includes('__wasm_split_placeholder__');

/**
 * Splits the compiler's `input` wasm for the glue named `${stem}.js`. Returns the main
 * part's wasm and glue, the other parts ({ name, data }) and the loader script ({ name, code }).
 * `minify` minifies a script (async).
 */
export async function split({ input, stem, work, minify }) {
  rmSync(work, { recursive: true, force: true });
  const parts = join(work, 'parts');
  const bound = join(work, 'bound');
  mkdirSync(bound, { recursive: true });
  run('wasm-split-cli', [input, parts, '--out-name', stem]);
  run('wasm-bindgen', [
    '--target', 'web', '--reference-types', '--weak-refs', '--keep-lld-exports', '--no-typescript',
    '--out-name', stem, '--out-dir', bound, join(parts, `${stem}.wasm`),
  ]);
  const flags = features(input);
  const main = optimise(join(bound, `${stem}_bg.wasm`), flags, join(work, 'main.wasm'));

  let loader = readFileSync(join(parts, '__wasm_split.js'), 'utf8');
  const others = [];
  for (const file of readdirSync(parts).filter((f) => f.endsWith('.wasm') && f !== `${stem}.wasm`).sort()) {
    const data = optimise(join(parts, file), flags, join(work, file));
    const name = `part-${hash(data)}.wasm`;
    const reference = `"./${file}"`;
    if (!loader.includes(reference)) throw new Error(`split: the loader does not fetch ${file}`);
    loader = loader.replaceAll(reference, `"./${name}"`);
    others.push({ name, data });
  }
  if (others.length === 0) throw new Error('split: no part besides the main one');
  loader = (await minify(loader)).code;
  const loaderName = `split-${hash(loader)}.js`;

  let glue = readFileSync(join(bound, `${stem}.js`), 'utf8');
  const specifier = /from "\.\/__wasm_split\.js"/g;
  if ((glue.match(specifier) ?? []).length !== 1) throw new Error('split: the glue does not import the loader once');
  glue = glue.replace(specifier, `from "./${loaderName}"`);
  return { main, glue, parts: others, loader: { name: loaderName, code: loader } };
}
