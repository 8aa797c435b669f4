import * as fs from 'fs';
import * as path from 'path';
import { createAnalyzer, KerasMigrateAnalyzer } from '../../analysis';

const root = path.resolve(__dirname, '../../..');

export const WASM = {
  treeSitterWasm: path.join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'),
  // Bytes, not a path: web-tree-sitter reads paths with a dynamic import() jest cannot run.
  pythonWasm: fs.readFileSync(path.join(root, 'node_modules/tree-sitter-python/tree-sitter-python.wasm'))
};

let analyzer: Promise<KerasMigrateAnalyzer> | null = null;

export function getAnalyzer(): Promise<KerasMigrateAnalyzer> {
  analyzer = analyzer ?? createAnalyzer(WASM);
  return analyzer;
}

/** Small deterministic PRNG (mulberry32): the same seed gives the same mutations on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
