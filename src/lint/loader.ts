/**
 * Lazy loading of the analyser. JupyterLab starts without it: the analysis
 * module (and web-tree-sitter with it) is a separate webpack chunk fetched the
 * first time a Python notebook needs findings, and the two WASM binaries are
 * fetched by web-tree-sitter only then.
 */
import type { Analyzer, WasmLocations } from '../analysis/types';
import type { IAnalyzerLoader } from '../tokens';

/**
 * Where webpack put the WASM binaries. `new URL(..., import.meta.url)` makes
 * webpack emit them as assets of this extension and gives their public URL;
 * nothing is downloaded until web-tree-sitter fetches them.
 */
export function wasmLocations(): WasmLocations {
  return {
    treeSitterWasm: new URL('web-tree-sitter/web-tree-sitter.wasm', import.meta.url),
    pythonWasm: new URL('tree-sitter-python/tree-sitter-python.wasm', import.meta.url)
  };
}

export class AnalyzerLoader implements IAnalyzerLoader {
  private _promise: Promise<Analyzer> | null = null;
  private _loaded: Analyzer | null = null;

  get loaded(): Analyzer | null {
    return this._loaded;
  }

  analyzer(): Promise<Analyzer> {
    if (!this._promise) {
      this._promise = import(
        /* webpackChunkName: "keras-migrate-analysis" */ '../analysis/index'
      )
        .then(module => module.createAnalyzer(wasmLocations()))
        .then(analyzer => {
          this._loaded = analyzer;
          return analyzer;
        })
        .catch(reason => {
          // Let a later notebook try again (e.g. after a network hiccup).
          this._promise = null;
          throw reason;
        });
    }
    return this._promise;
  }
}
