/**
 * One tree-sitter runtime and one Python language per process (or browser tab).
 * Initialisation is lazy and shared: every caller of loadPython() awaits the same promise.
 */
import { Language, Parser } from 'web-tree-sitter';
import type { WasmLocations } from './types';

export interface PythonGrammar {
  language: Language;
  /** Node type names indexed by type id (cheaper than asking WASM for strings). */
  typeNames: string[];
  /** Field names indexed by field id. */
  fieldNames: (string | null)[];
  /** Whether a node type id is named (a lookup instead of a WASM call per node). */
  namedTypes: Uint8Array;
  newParser(): Parser;
  /** One parser shared by every analysis (parsing is synchronous, so sharing is safe). */
  sharedParser: Parser;
}

let pending: Promise<PythonGrammar> | null = null;

function locationString(location: string | URL): string {
  return typeof location === 'string' ? location : location.href;
}

export function loadPython(wasm: WasmLocations): Promise<PythonGrammar> {
  if (!pending) {
    pending = (async () => {
      const runtime = locationString(wasm.treeSitterWasm);
      await Parser.init({ locateFile: () => runtime });
      const language = await Language.load(
        wasm.pythonWasm instanceof URL ? wasm.pythonWasm.href : wasm.pythonWasm
      );
      const typeNames: string[] = [];
      const namedTypes = new Uint8Array(language.nodeTypeCount);
      for (let id = 0; id < language.nodeTypeCount; id++) {
        typeNames.push(language.nodeTypeForId(id) ?? '');
        namedTypes[id] = language.nodeTypeIsNamed(id) ? 1 : 0;
      }
      const fieldNames = language.fields.slice();
      const sharedParser = new Parser();
      sharedParser.setLanguage(language);
      return {
        sharedParser,
        language,
        typeNames,
        fieldNames,
        namedTypes,
        newParser() {
          const parser = new Parser();
          parser.setLanguage(language);
          return parser;
        }
      };
    })();
    // A failed load must not poison every later attempt.
    pending.catch(() => {
      pending = null;
    });
  }
  return pending;
}
