/**
 * One tree-sitter runtime and one Python language per process (or browser tab).
 * Initialisation is lazy and shared: every caller of loadPython() awaits the same promise.
 */
import { Language, Parser, Tree } from 'web-tree-sitter';
import type { WasmLocations } from './types';
import { copyFromMemory, copyWithCursor, SyntaxNode } from './ast';

/** The subset of tree-sitter's TreeCursor that copying a tree needs. */
export interface CopyCursor {
  readonly nodeTypeId: number;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly currentFieldId: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}

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
  /**
   * A cursor at the root of `tree`, for one uninterrupted walk: between its creation and
   * delete() no other tree-sitter call may run (the binding cursor keeps its position in
   * the runtime's shared transfer buffer).
   */
  cursor(tree: Tree): CopyCursor;
  /** Which cursor `cursor()` hands out: 'binding' (fast) or 'public' (TreeCursor). */
  readonly cursorKind: 'binding' | 'public';
  /**
   * tree-sitter's tree memory, for copying trees without a WASM call per node (ast.ts
   * copyFromMemory), or null when this runtime's layout is not the one the copy reads (the
   * cursor copy is used then). Settled on first use by copying sample trees both ways.
   */
  treeMemory(): TreeMemory | null;
  /** How trees are copied: 'memory', or through the cursor of `cursorKind`. */
  readonly copyKind: 'memory' | 'binding' | 'public';
}

/** What copyFromMemory reads: WASM heap views and the language tables it needs. */
export interface TreeMemory {
  /** The heap's current views (the heap may grow between two copies, never during one). */
  views(): { u8: Uint8Array; u16: Uint16Array; u32: Uint32Array };
  /** Address of a tree's root subtree. */
  treeAddress(tree: Tree): number;
  /** Public node type id of each internal symbol (aliases included). */
  publicSymbols: Uint16Array;
  /** Longest production (the stride of the two tables below). */
  maxChildren: number;
  /** Alias symbol of each (production id, structural child index); 0 for none. */
  aliases: Uint16Array;
  /** Field id of each (production id, structural child index), inherited entries left out; 0 for none. */
  fields: Uint16Array;
}

interface HeapViews {
  HEAPU8?: Uint8Array;
  HEAPU16?: Uint16Array;
  HEAPU32?: Uint32Array;
}

/** The language ABI whose TSLanguage layout languageTables() reads (tree_sitter/parser.h). */
const LANGUAGE_ABI = 15;

/**
 * The tables of a loaded language, read from its TSLanguage struct in WASM memory (wasm32:
 * 4-byte pointers). Null when the heap views are missing or the struct's counts disagree
 * with what the public API says, i.e. a layout this code does not know.
 */
function treeMemoryOf(module: HeapViews, language: Language): TreeMemory | null {
  const address = (language as unknown as Record<number, unknown>)[0];
  const heap = (): { u8: Uint8Array; u16: Uint16Array; u32: Uint32Array } | null =>
    module.HEAPU8 && module.HEAPU16 && module.HEAPU32 ? { u8: module.HEAPU8, u16: module.HEAPU16, u32: module.HEAPU32 } : null;
  const views = heap();
  if (typeof address !== 'number' || address === 0 || address % 4 !== 0 || !views) {
    return null;
  }
  const { u16, u32 } = views;
  const word = (offset: number): number => u32[(address + offset) >> 2];
  const abi = word(0);
  const symbolCount = word(4);
  const aliasCount = word(8);
  const productionCount = word(28);
  const fieldCount = word(32);
  const maxChildren = u16[(address + 36) >> 1];
  if (abi !== LANGUAGE_ABI || symbolCount + aliasCount !== language.nodeTypeCount || fieldCount !== language.fields.length - 1 || maxChildren === 0) {
    return null;
  }
  const fieldMapSlices = word(64);
  const fieldMapEntries = word(68);
  const publicSymbolMap = word(76);
  const aliasSequences = word(84);
  const publicSymbols = u16.slice(publicSymbolMap >> 1, (publicSymbolMap >> 1) + symbolCount + aliasCount);
  const aliases = u16.slice(aliasSequences >> 1, (aliasSequences >> 1) + productionCount * maxChildren);
  const fields = new Uint16Array(productionCount * maxChildren);
  for (let production = 0; production < productionCount; production++) {
    // TSMapSlice {uint16 index, uint16 length}; TSFieldMapEntry {uint16 field_id, uint8 child_index, bool inherited}.
    const index = u16[(fieldMapSlices + 4 * production) >> 1];
    const length = u16[(fieldMapSlices + 4 * production + 2) >> 1];
    for (let k = 0; k < length; k++) {
      const entry = fieldMapEntries + 4 * (index + k);
      const fieldId = u16[entry >> 1];
      const child = views.u8[entry + 2];
      const inherited = views.u8[entry + 3] !== 0;
      // The cursor takes the first non-inherited entry for a child.
      if (!inherited && child < maxChildren && fields[production * maxChildren + child] === 0) {
        fields[production * maxChildren + child] = fieldId;
      }
    }
  }
  return {
    views: () => heap()!,
    treeAddress,
    publicSymbols,
    maxChildren,
    aliases,
    fields
  };
}

/** Sources whose copies decide whether the memory copy is used: aliases, fields through hidden nodes, extras, errors, missing nodes. */
const MEMORY_CHECK_SOURCES = [
  '@d(1)\nclass A(B, metaclass=M):\n    x: int = 1  # c\n    def f(self, *a, b=2, **k) -> None:\n        with open(p) as (f, g), q:\n            pass\n        try:\n            del a[1:2, ::3]\n        except (E, F) as e:\n            raise\n        else:\n            pass\n        finally:\n            global z\n',
  'for i, (j, k) in enumerate(x):\n    print(f"{i!r:>{w}} {j}", end="")\nelse:\n    y = [a for a in b if a] + {k: v for k, v in d.items()}\nmatch c:\n    case [1, *r] | {"k": _} if r:\n        pass\nlambda x, y=1: x if y else -x\n',
  'def f(:\n  return [1, 2\nx = "unterminated\nclass (:\n  é = "ü" \\\n    + 1\nprint >> sys.stderr, "x"\nexec "code"\n',
  'a = (yield)\nasync def g():\n    await h(*args, **kw)\n    async with l as m:\n        async for n in o: pass\nx = not a and b or c is not d\nassert x, "m"\nnonlocal_y = type(x)[int]\n',
  's = "\ud83d\ude00 é" + x[é] # ü\n'
];

/**
 * The C entry points behind web-tree-sitter's TreeCursor. Each takes the tree's address and
 * reads and writes the cursor's position in the runtime's transfer buffer.
 */
interface CursorBinding {
  _ts_tree_root_node_wasm(tree: number): void;
  _ts_tree_cursor_new_wasm(tree: number): void;
  _ts_tree_cursor_delete_wasm(tree: number): void;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
}

const BINDING_FUNCTIONS: Array<keyof CursorBinding> = [
  '_ts_tree_root_node_wasm',
  '_ts_tree_cursor_new_wasm',
  '_ts_tree_cursor_delete_wasm',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_field_id_wasm'
];

/**
 * Why not TreeCursor: every TreeCursor call copies the cursor's four words into the transfer
 * buffer and back through Emscripten's generic setValue/getValue, which costs more than the
 * C call itself. Copying a tree makes tens of thousands of such calls per notebook; this
 * cursor leaves the position in the buffer between calls, so each step is one C call.
 * The functions are those TreeCursor itself calls, on the module object web-tree-sitter's
 * Emscripten runtime fills in (the options object given to Parser.init).
 */
class BindingCursor implements CopyCursor {
  constructor(
    private readonly binding: CursorBinding,
    private readonly tree: number
  ) {
    binding._ts_tree_root_node_wasm(tree);
    binding._ts_tree_cursor_new_wasm(tree);
  }
  get nodeTypeId(): number {
    return this.binding._ts_tree_cursor_current_node_type_id_wasm(this.tree);
  }
  get startIndex(): number {
    return this.binding._ts_tree_cursor_start_index_wasm(this.tree);
  }
  get endIndex(): number {
    return this.binding._ts_tree_cursor_end_index_wasm(this.tree);
  }
  get currentFieldId(): number {
    return this.binding._ts_tree_cursor_current_field_id_wasm(this.tree);
  }
  gotoFirstChild(): boolean {
    return this.binding._ts_tree_cursor_goto_first_child_wasm(this.tree) === 1;
  }
  gotoNextSibling(): boolean {
    return this.binding._ts_tree_cursor_goto_next_sibling_wasm(this.tree) === 1;
  }
  gotoParent(): boolean {
    return this.binding._ts_tree_cursor_goto_parent_wasm(this.tree) === 1;
  }
  delete(): void {
    this.binding._ts_tree_cursor_delete_wasm(this.tree);
  }
}

/** The address web-tree-sitter keeps in a Tree's slot 0 (0 if this version has none). */
function treeAddress(tree: Tree): number {
  const address = (tree as unknown as Record<number, unknown>)[0];
  return typeof address === 'number' ? address : 0;
}

function bindingOf(module: Record<string, unknown>): CursorBinding | null {
  return BINDING_FUNCTIONS.every(name => typeof module[name] === 'function') ? (module as unknown as CursorBinding) : null;
}

/** Type, range, field and children of every node of a copy, as one string. */
function shapeOf(node: SyntaxNode): string {
  return `(${node.type} ${node.start}-${node.end} ${node.field ?? ''}${node.children.map(c => ' ' + shapeOf(c)).join('')})`;
}

/** Code that exercises every cursor move and field lookup the tree copy makes. */
const SELF_CHECK_SOURCE = 'import a.b as c\nclass K(c.L):\n    def f(self, x=1, *y):\n        return [x, {"k": y}][0](z=x)\n';

/**
 * Every fact a full walk sees, in order. The cursor is deleted at the end: a binding cursor
 * must finish before another cursor touches the transfer buffer.
 */
function walkRecord(cursor: CopyCursor): number[] {
  const seen: number[] = [];
  try {
    for (;;) {
      seen.push(cursor.nodeTypeId, cursor.startIndex, cursor.endIndex, cursor.currentFieldId);
      if (cursor.gotoFirstChild()) {
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          return seen;
        }
        seen.push(-1);
      }
    }
  } finally {
    cursor.delete();
  }
}

/**
 * The engine's own copy of a string (the one property names use). Type and field names come
 * out of WASM memory as fresh strings; rules compare them with literals (`node.type === 'call'`)
 * at every node, and two interned strings compare by identity instead of by content.
 */
function interned(name: string): string {
  return Object.keys({ [name]: 0 })[0];
}

let pending: Promise<PythonGrammar> | null = null;

function locationString(location: string | URL): string {
  return typeof location === 'string' ? location : location.href;
}

export function loadPython(wasm: WasmLocations): Promise<PythonGrammar> {
  if (!pending) {
    pending = (async () => {
      const runtime = wasm.treeSitterWasm;
      // Emscripten fills this object in with the runtime's exports (see BindingCursor).
      const module: Record<string, unknown> =
        runtime instanceof WebAssembly.Module
          ? {
              // Emscripten's hook for a runtime compiled elsewhere. Synchronous on purpose: a
              // failure throws inside Emscripten's promise (an async one would never call back).
              instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
                done(new WebAssembly.Instance(runtime, imports), runtime);
                return {};
              }
            }
          : { locateFile: () => locationString(runtime) };
      await Parser.init(module);
      const python = wasm.pythonWasm;
      const language =
        python instanceof WebAssembly.Module ? Language.loadSync(python) : await Language.load(python instanceof URL ? python.href : python);
      const typeNames: string[] = [];
      const namedTypes = new Uint8Array(language.nodeTypeCount);
      for (let id = 0; id < language.nodeTypeCount; id++) {
        typeNames.push(interned(language.nodeTypeForId(id) ?? ''));
        namedTypes[id] = language.nodeTypeIsNamed(id) ? 1 : 0;
      }
      const fieldNames = language.fields.map(name => (name === null ? null : interned(name)));
      const sharedParser = new Parser();
      sharedParser.setLanguage(language);
      const binding = bindingOf(module);
      // Which cursor to use is settled on the first tree copied, not here: the check parses a
      // snippet, and a process's first parse is slow (the grammar's code is compiled then),
      // which belongs to the first analysis, not to loading.
      let choice: { cursor: (tree: Tree) => CopyCursor; kind: 'binding' | 'public' } | null = null;
      const choose = () => {
        if (!choice) {
          choice = { cursor: tree => tree.walk(), kind: 'public' };
          const probe = sharedParser.parse(SELF_CHECK_SOURCE);
          // Another copy of web-tree-sitter initialised first, or a version whose internals
          // differ: the public cursor is slower but always right.
          if (binding && probe && treeAddress(probe) !== 0) {
            const fast = walkRecord(new BindingCursor(binding, treeAddress(probe)));
            const reference = walkRecord(probe.walk());
            if (fast.length === reference.length && fast.every((v, i) => v === reference[i])) {
              choice = { cursor: tree => new BindingCursor(binding, treeAddress(tree)), kind: 'binding' };
            }
          }
          probe?.delete();
        }
        return choice;
      };
      let layout: TreeMemory | null = null;
      try {
        layout = treeMemoryOf(module as HeapViews, language);
      } catch {
        // An unknown layout must never stop the analyser: the cursor copy remains.
      }
      let memory: TreeMemory | null | undefined;
      const chooseMemory = (): TreeMemory | null => {
        if (memory === undefined) {
          memory = null;
          if (layout) {
            // The public cursor is the reference: web-tree-sitter's own answers.
            const reference: PythonGrammar = {
              language,
              typeNames,
              fieldNames,
              namedTypes,
              sharedParser,
              newParser: grammar.newParser,
              cursor: tree => tree.walk(),
              cursorKind: 'public',
              treeMemory: () => null,
              copyKind: 'public'
            };
            const agrees = [SELF_CHECK_SOURCE, ...MEMORY_CHECK_SOURCES].every(source => {
              const tree = sharedParser.parse(source);
              if (!tree) {
                return false;
              }
              try {
                return shapeOf(copyFromMemory(tree, grammar, layout)) === shapeOf(copyWithCursor(tree, reference));
              } catch {
                return false;
              } finally {
                tree.delete();
              }
            });
            memory = agrees ? layout : null;
          }
        }
        return memory;
      };
      const grammar: PythonGrammar = {
        sharedParser,
        language,
        typeNames,
        fieldNames,
        namedTypes,
        cursor: tree => (choice ?? choose()).cursor(tree),
        get cursorKind() {
          return choose().kind;
        },
        treeMemory: () => (memory !== undefined ? memory : chooseMemory()),
        get copyKind() {
          return chooseMemory() !== null ? 'memory' : choose().kind;
        },
        newParser() {
          const parser = new Parser();
          parser.setLanguage(language);
          return parser;
        }
      };
      return grammar;
    })();
    // A failed load must not poison every later attempt.
    pending.catch(() => {
      pending = null;
    });
  }
  return pending;
}
