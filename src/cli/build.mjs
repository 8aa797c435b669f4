// Bundles the CLI (and the benchmark) into CommonJS files under lib/ with esbuild, and
// copies the two WASM binaries next to them: the CLI finds them through __dirname.
import { build } from 'esbuild';
import { createHash } from 'crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: false,
  logLevel: 'warning',
  // web-tree-sitter's CommonJS build: its ESM build relies on import.meta, which a cjs bundle lacks.
  alias: { 'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs') }
};

const outputs = [
  { entry: 'src/cli/main.ts', out: 'lib/cli/keras-migrate.cjs', banner: '#!/usr/bin/env node' },
  { entry: 'src/bench/run.ts', out: 'lib/bench/run.cjs', banner: '' }
];

for (const { entry, out, banner } of outputs) {
  if (!existsSync(join(root, entry))) {
    continue;
  }
  const outfile = join(root, out);
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await build({ ...common, entryPoints: [join(root, entry)], outfile, write: false, banner: banner ? { js: banner } : undefined });
  // The result cache (src/cli/cache.ts) keys entries by this build: a hash of the bundle and
  // the two WASM files, stamped over its placeholder, so a rebuilt analyser never reuses the
  // findings of another build even when the version number stayed the same.
  const wasm = ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'node_modules/tree-sitter-python/tree-sitter-python.wasm'];
  let text = result.outputFiles[0].text;
  const id = createHash('sha256').update(text);
  for (const file of wasm) {
    id.update(readFileSync(join(root, file)));
  }
  text = text.replaceAll('__KERAS_MIGRATE_BUILD_ID__', id.digest('hex').slice(0, 24));
  // Whole or not at all: test files that rebuild in parallel must never run a half-written bundle.
  const tmp = `${outfile}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  if (banner) {
    chmodSync(tmp, 0o755);
  }
  renameSync(tmp, outfile);
  copyFileSync(join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'), join(dirname(outfile), 'web-tree-sitter.wasm'));
  copyFileSync(join(root, 'node_modules/tree-sitter-python/tree-sitter-python.wasm'), join(dirname(outfile), 'tree-sitter-python.wasm'));
}

// The Python package carries the same CLI bundle: the `keras-migrate` console script runs it.
const pythonCopy = join(root, 'python_kernel_hooks/keras_migrate/_cli');
mkdirSync(pythonCopy, { recursive: true });
for (const name of ['keras-migrate.cjs', 'web-tree-sitter.wasm', 'tree-sitter-python.wasm']) {
  copyFileSync(join(root, 'lib/cli', name), join(pythonCopy, name));
}
