// Trunk's post-build hook (see Trunk.toml): runs the native `prerender` step
// (src/bin/prerender.rs), which fills index.html with the copy texts, the address's route
// script and the first screens of `/` and `/embed` as the app's own components render them,
// writes the English page beside it, and the security headers that match the result. It does
// not touch Trunk's loader or the wasm.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? 'dist';
const base = process.env.TRUNK_PUBLIC_URL ?? '/';
// Trunk runs hooks with its own build's variables set; the native step must not see the
// wasm target's.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CARGO_BUILD_TARGET')));
const prerender = spawnSync(
  'cargo',
  ['run', '--quiet', '--locked', '--no-default-features', '--features', 'ssr', '--bin', 'prerender', '--', join(dir, 'index.html'), base],
  { stdio: 'inherit', env },
);
if (prerender.status !== 0) {
  console.error('post-build: the prerender step failed');
  process.exit(1);
}
