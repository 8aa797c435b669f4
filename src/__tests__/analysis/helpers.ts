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
