/**
 * Where webpack put the WASM binaries. `new URL(..., import.meta.url)` makes
 * webpack emit them as assets of this extension and gives their public URL
 * (in the page and in the analysis worker alike); nothing is downloaded until
 * web-tree-sitter fetches them.
 */
import type { WasmLocations } from '../analysis/types';

export function wasmLocations(): WasmLocations {
  return {
    treeSitterWasm: new URL('web-tree-sitter/web-tree-sitter.wasm', import.meta.url),
    pythonWasm: new URL('tree-sitter-python/tree-sitter-python.wasm', import.meta.url)
  };
}
