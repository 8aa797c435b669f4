/**
 * A compact JavaScript copy of the tree-sitter tree. Rules run many small queries
 * (parent, field, text); answering them from plain objects avoids a WASM round trip
 * per question. The copy is built in one cursor walk, so its cost is linear in the cell.
 */
import type { Tree } from 'web-tree-sitter';
import type { PythonGrammar, TreeMemory } from './parser';

/** tree-sitter's symbol for ERROR nodes (outside the language's type table). */
const ERROR_SYMBOL = 0xffff;

export interface SyntaxNode {
  type: string;
  /** UTF-16 offsets into the cell text. */
  start: number;
  end: number;
  /** Field name in the parent (tree-sitter-python's `name`, `body`, ...). */
  field: string | null;
  parent: SyntaxNode | null;
  /** Named children only; punctuation and keywords are left out. */
  children: SyntaxNode[];
  /** Per-node cache for derived facts that depend only on the text (call anatomy). */
  memo?: unknown;
}

/** Node types none of whose children has a field name: the field lookup is skipped there. */
const FIELDLESS_PARENTS = new Set([
  'module',
  'block',
  'argument_list',
  'expression_list',
  'list',
  'tuple',
  'set',
  'dictionary',
  'parameters',
  'lambda_parameters',
  'expression_statement',
  'return_statement',
  'parenthesized_expression',
  'string',
  'concatenated_string',
  'decorator',
  'dotted_name',
  'pattern_list',
  'tuple_pattern',
  'comparison_operator',
  'with_clause',
  'list_comprehension',
  'generator_expression',
  'set_comprehension',
  'dictionary_comprehension',
  'import_statement',
  'global_statement',
  'nonlocal_statement',
  'assert_statement',
  'delete_statement',
  'print_statement',
  'pass_statement',
  'raise_statement',
  'list_pattern',
  'ERROR'
]);

/**
 * Named types with no children worth a WASM call to look for. Strings are not among them: a
 * string's children in the copy are its f-string interpolations only (STRING_PARTS are left
 * out), and the copy looks into a string only when its prefix says it can have some (see
 * mayInterpolate), so a plain string still costs no descent.
 */
const LEAVES = new Set([
  'identifier',
  'comment',
  'integer',
  'float',
  'true',
  'false',
  'none',
  'ellipsis',
  'escape_sequence',
  'line_continuation',
  'type_conversion',
  'keyword_separator',
  'positional_separator',
  'wildcard_import',
  // Read as text by every rule that looks at them.
  'dotted_name',
  'slice'
]);

/**
 * The pieces of a string that the copy leaves out (named nodes of tree-sitter-python's
 * `string`): its prefix and quotes, its text and the escapes in it. Rules read a string as text;
 * what remains of an f-string (or t-string) is its `interpolation` nodes, each with its
 * `expression` (and `type_conversion`, `format_specifier`), so that the rules see the calls in
 * `f"{loss.numpy():.4f}"` as they see any other.
 */
const STRING_PARTS = new Set(['string_start', 'string_content', 'string_end', 'escape_interpolation']);

/**
 * Whether the string literal starting at `start` of `text` can hold interpolations: its prefix
 * (the letters before the quote) has an `f` or a `t` (`f"`, `rf'`, `Tr"""`). Other strings
 * have none: the copy does not look into them. Without the text every string is looked into,
 * with the same result (their pieces are left out: STRING_PARTS).
 */
export function mayInterpolate(text: string, start: number): boolean {
  for (let i = start, end = Math.min(start + 3, text.length); i < end; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (c === 0x66 || c === 0x74) {
      // f, F, t, T
      return true;
    }
    if (c === 0x22 || c === 0x27) {
      // A quote (`"` and `'` are unchanged by | 0x20): the prefix ended.
      return false;
    }
  }
  return false;
}

/**
 * Decides, for each top-level statement, whether its subtree is copied. A statement left
 * out keeps its type and range but no children: analysis treats it as opaque.
 */
export type StatementFilter = (statement: SyntaxNode, previous: SyntaxNode | null) => boolean;

/**
 * Parents whose named children always carry the same fields in the same order: the field
 * is taken from the child's position instead of asking WASM (comments excepted).
 */
const POSITIONAL_FIELDS: Record<string, Array<string | null>> = {
  attribute: ['object', 'attribute'],
  call: ['function', 'arguments'],
  keyword_argument: ['name', 'value'],
  aliased_import: ['name', 'alias'],
  pair: ['key', 'value'],
  default_parameter: ['name', 'value'],
  // The operator between the operands is an anonymous token, not a named child.
  binary_operator: ['left', 'right'],
  boolean_operator: ['left', 'right']
};

/**
 * The children of every node the copy does not descend into (most nodes are leaves): one
 * shared empty array instead of one per leaf. Never modified; made from a one-element array so
 * that it has the elements kind of the filled arrays and the loops over children stay monomorphic.
 */
const NO_CHILDREN: SyntaxNode[] = (() => {
  const a: SyntaxNode[] = [null as unknown as SyntaxNode];
  a.pop();
  return a;
})();

/** Whether a comment precedes among the named children copied so far. */
function hasComment(siblings: SyntaxNode[]): boolean {
  for (let i = 0; i < siblings.length; i++) {
    if (siblings[i].type === 'comment') {
      return true;
    }
  }
  return false;
}

/**
 * The copy of `tree`. `text`, the text the tree was parsed from, lets the copy skip the strings
 * that cannot hold interpolations (mayInterpolate): the same copy, made faster.
 */
export function buildSyntaxTree(tree: Tree, grammar: PythonGrammar, keep?: StatementFilter, text?: string): SyntaxNode {
  const memory = grammar.treeMemory();
  return memory !== null ? copyFromMemory(tree, grammar, memory, keep, text) : copyWithCursor(tree, grammar, keep, text);
}

/** The copy through a tree cursor: one WASM call per question (see copyFromMemory for the fast path). */
export function copyWithCursor(tree: Tree, grammar: PythonGrammar, keep?: StatementFilter, text?: string): SyntaxNode {
  const cursor = grammar.cursor(tree);
  const { typeNames, fieldNames, namedTypes } = grammar;
  const root: SyntaxNode = {
    // A cell that is one syntax error has an ERROR root (its id lies outside the type table).
    type: typeNames[cursor.nodeTypeId] ?? 'ERROR',
    start: cursor.startIndex,
    end: cursor.endIndex,
    field: null,
    parent: null,
    children: [],
    memo: undefined
  };
  let current = root;
  let wantFields = !FIELDLESS_PARENTS.has(root.type);
  // Iterative pre-order walk: deep nesting (huge expressions) must not overflow the stack.
  // Every cursor getter is a WASM call, so each node asks only what it needs.
  if (cursor.gotoFirstChild()) {
    for (;;) {
      const typeId = cursor.nodeTypeId;
      // The error symbol's id (0xFFFF) lies outside the language's type table.
      const type = namedTypes[typeId] === 1 || typeId >= namedTypes.length ? (typeNames[typeId] ?? 'ERROR') : null;
      if (type !== null && !STRING_PARTS.has(type)) {
        const siblings = current.children;
        let field: string | null = null;
        if (wantFields) {
          const positional = POSITIONAL_FIELDS[current.type];
          field =
            positional !== undefined && type !== 'comment' && siblings.length < positional.length && !hasComment(siblings)
              ? positional[siblings.length]
              : (fieldNames[cursor.currentFieldId] ?? null);
        }
        const node: SyntaxNode = {
          type,
          start: cursor.startIndex,
          end: cursor.endIndex,
          field,
          parent: current,
          children: NO_CHILDREN,
          // Declared up front so every node has one hidden class (memo is filled lazily).
          memo: undefined
        };
        siblings.push(node);
        const opaque = keep !== undefined && current === root && !keep(node, siblings.length > 1 ? siblings[siblings.length - 2] : null);
        // A string is looked into only for its interpolations (f-strings: mayInterpolate).
        if (
          !opaque &&
          node.end > node.start &&
          !LEAVES.has(type) &&
          (type !== 'string' || text === undefined || mayInterpolate(text, node.start)) &&
          cursor.gotoFirstChild()
        ) {
          node.children = [];
          current = node;
          wantFields = !FIELDLESS_PARENTS.has(type);
          continue;
        }
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || current.parent === null) {
          cursor.delete();
          return root;
        }
        current = current.parent;
        wantFields = !FIELDLESS_PARENTS.has(current.type);
      }
    }
  }
  cursor.delete();
  return root;
}

/** Per node type id: what the copy does with nodes of that type (LEAVES, FIELDLESS_PARENTS, POSITIONAL_FIELDS). */
interface TypeTables {
  leaf: Uint8Array;
  /** STRING_PARTS: not copied. */
  skipped: Uint8Array;
  /** 1 for `string`: looked into only when it may interpolate. */
  string: Uint8Array;
  fieldless: Uint8Array;
  positional: Array<Array<string | null> | undefined>;
}

const typeTablesOf = new WeakMap<string[], TypeTables>();

function typeTables(typeNames: string[]): TypeTables {
  let tables = typeTablesOf.get(typeNames);
  if (!tables) {
    // One more entry for ERROR (its id lies outside the type table).
    const n = typeNames.length + 1;
    tables = { leaf: new Uint8Array(n), skipped: new Uint8Array(n), string: new Uint8Array(n), fieldless: new Uint8Array(n), positional: new Array(n).fill(undefined) };
    for (let id = 0; id < n; id++) {
      const type = id < typeNames.length ? typeNames[id] : 'ERROR';
      tables.leaf[id] = LEAVES.has(type) ? 1 : 0;
      tables.skipped[id] = STRING_PARTS.has(type) ? 1 : 0;
      tables.string[id] = type === 'string' ? 1 : 0;
      tables.fieldless[id] = FIELDLESS_PARENTS.has(type) ? 1 : 0;
      tables.positional[id] = POSITIONAL_FIELDS[type];
    }
    typeTablesOf.set(typeNames, tables);
  }
  return tables;
}

/**
 * Work stack of copyFromMemory, one entry per subtree whose children are being read (kept
 * between copies: a copy allocates nothing but the nodes it makes). Parallel arrays of small
 * integers, and the copied node the children attach to.
 */
const frameAddress: number[] = [];
const frameCount: number[] = [];
const frameNext: number[] = [];
const frameStructural: number[] = [];
const framePosition: number[] = [];
const frameProduction: number[] = [];
/** For a hidden subtree: the field its visible descendants inherit (-1 for a visible one). */
const frameInherited: number[] = [];
/** Type id of the copied node the children attach to (ERROR as the table's last id). */
const frameOwnerType: number[] = [];
const frameOwner: SyntaxNode[] = [];
/** Where in `scratch` the children of the frame's owner begin. */
const frameOwnerStart: number[] = [];
/**
 * The children copied so far of every node being copied, on one stack: a node's children are
 * made into an array of their exact size when the node is done. Pushing into a fresh array per
 * node reserved room for 17 children (V8's first growth) where most nodes have one to three:
 * that was most of what a copy allocated beside the nodes themselves.
 */
const scratch: SyntaxNode[] = [];

/** What the scratch stack holds where it holds no node of a tree (same shape as the nodes). */
const NO_NODE: SyntaxNode = { type: '', start: 0, end: 0, field: null, parent: null, children: NO_CHILDREN, memo: undefined };

/** scratch[from, to) as an array of that size: literals (allocated inline) for the usual one to three. */
function childrenOf(from: number, to: number): SyntaxNode[] {
  switch (to - from) {
    case 1:
      return [scratch[from]];
    case 2:
      return [scratch[from], scratch[from + 1]];
    case 3:
      return [scratch[from], scratch[from + 1], scratch[from + 2]];
    default:
      return scratch.slice(from, to);
  }
}

/** Whether a comment is among scratch[from, to). */
function hasCommentIn(from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (scratch[i].type === 'comment') {
      return true;
    }
  }
  return false;
}

function pushFrame(
  sp: number,
  address: number,
  count: number,
  next: number,
  structural: number,
  position: number,
  production: number,
  inherited: number,
  owner: SyntaxNode,
  ownerType: number,
  ownerStart: number
): void {
  frameAddress[sp] = address;
  frameCount[sp] = count;
  frameNext[sp] = next;
  frameStructural[sp] = structural;
  framePosition[sp] = position;
  frameProduction[sp] = production;
  frameInherited[sp] = inherited;
  frameOwner[sp] = owner;
  frameOwnerStart[sp] = ownerStart;
  frameOwnerType[sp] = ownerType;
}

/**
 * The same copy as copyWithCursor, read straight from tree-sitter's memory: the subtrees'
 * layout (subtree.h of the pinned web-tree-sitter) walked in JavaScript, with the language's
 * alias, field and public-symbol tables read once at load (parser.ts). It visits the nodes
 * tree-sitter's cursor visits, in the same order, and reproduces its answers: hidden nodes
 * are looked through, an alias makes a hidden node visible, a field found on a hidden
 * ancestor's link is inherited, extras (comments) get none. parser.ts uses it only after
 * checking that it copies sample trees exactly as the cursor does; a cursor call costs about
 * 100 ns, and a copy makes several per node.
 */
export function copyFromMemory(tree: Tree, grammar: PythonGrammar, memory: TreeMemory, keep?: StatementFilter, text?: string): SyntaxNode {
  const { u8, u16, u32 } = memory.views();
  const { publicSymbols, aliases, fields, maxChildren } = memory;
  const { typeNames, fieldNames, namedTypes } = grammar;
  const { leaf, skipped, string: isString, fieldless, positional } = typeTables(typeNames);
  const errorType = typeNames.length;
  const address = memory.treeAddress(tree);
  // The root subtree (never inline: it has children, or is an empty module).
  const rootWord = u32[address >> 2];
  let rootStart: number;
  let rootEnd: number;
  let rootType: string;
  let rootTypeId: number;
  let rootCount = 0;
  let rootProduction = 0;
  if ((rootWord & 1) !== 0) {
    rootStart = u8[address + 6];
    rootEnd = rootStart + u8[address + 7];
    rootTypeId = publicSymbols[u8[address + 1]];
    rootType = typeNames[rootTypeId];
  } else {
    rootStart = u32[(rootWord + 4) >> 2];
    rootEnd = rootStart + u32[(rootWord + 16) >> 2];
    const symbol = u16[(rootWord + 40) >> 1];
    rootTypeId = symbol === ERROR_SYMBOL ? errorType : publicSymbols[symbol];
    rootType = symbol === ERROR_SYMBOL ? 'ERROR' : typeNames[rootTypeId];
    rootCount = u32[(rootWord + 36) >> 2];
    if (rootCount !== 0) {
      rootProduction = u16[(rootWord + 66) >> 1];
    }
  }
  const root: SyntaxNode = {
    type: rootType,
    start: rootStart >>> 1,
    end: rootEnd >>> 1,
    field: null,
    parent: null,
    children: [],
    memo: undefined
  };
  if (rootCount === 0) {
    return root;
  }
  // The subtree whose children are being read lives in these locals; the frames below it
  // wait in the parallel arrays (pushed when a child is entered, restored when it is done).
  let sp = 0;
  let parentAddress = rootWord;
  let count = rootCount;
  let index = 0;
  let structural = 0;
  let position = rootStart;
  let production = rootProduction;
  let inherited = -1;
  let owner = root;
  let ownerType = rootTypeId;
  let ownerStart = 0;
  let top = 0;
  let high = 0;
  for (;;) {
    if (index === count) {
      if (sp === 0) {
        break;
      }
      sp--;
      if (frameOwner[sp] !== owner) {
        // The owner's last subtree is done: its children, exactly.
        if (top > ownerStart) {
          owner.children = childrenOf(ownerStart, top);
        }
        if (top > high) {
          high = top;
        }
        top = ownerStart;
      }
      parentAddress = frameAddress[sp];
      count = frameCount[sp];
      index = frameNext[sp];
      structural = frameStructural[sp];
      position = framePosition[sp];
      production = frameProduction[sp];
      inherited = frameInherited[sp];
      owner = frameOwner[sp];
      ownerType = frameOwnerType[sp];
      ownerStart = frameOwnerStart[sp];
      // Drop the reference: the work stack must not keep the last tree's nodes alive.
      frameOwner[sp] = root;
      continue;
    }
    // Children are stored right before their parent's data, 8 bytes each.
    const slot = parentAddress - (count - index) * 8;
    const word = u32[slot >> 2];
    let padding: number;
    let size: number;
    let symbol: number;
    let flags: number;
    let childCount = 0;
    let visibleChildren = 0;
    let childProduction = 0;
    if ((word & 1) !== 0) {
      // Inline leaf: flags in the first byte (is_inline, visible, named, extra, ...).
      const bits = u8[slot];
      flags = ((bits >> 1) & 1) | (((bits >> 3) & 1) << 2);
      symbol = u8[slot + 1];
      padding = u8[slot + 6];
      size = u8[slot + 7];
    } else {
      padding = u32[(word + 4) >> 2];
      size = u32[(word + 16) >> 2];
      childCount = u32[(word + 36) >> 2];
      symbol = u16[(word + 40) >> 1];
      flags = u16[(word + 44) >> 1];
      if (childCount !== 0) {
        visibleChildren = u32[(word + 48) >> 2];
        childProduction = u16[(word + 66) >> 1];
      }
    }
    if (index > 0) {
      position += padding;
    }
    index++;
    const start = position;
    position += size;
    const extra = (flags & 4) !== 0;
    let visible = (flags & 1) !== 0;
    let alias = 0;
    let linkField = 0;
    if (!extra) {
      if (structural < maxChildren) {
        const at = production * maxChildren + structural;
        alias = aliases[at];
        linkField = fields[at];
        if (alias !== 0) {
          visible = true;
        }
      }
      structural++;
    }
    // As the cursor asks: this link's field, else the one a hidden parent inherited (extras have none).
    const fieldId = extra ? 0 : linkField !== 0 ? linkField : inherited > 0 ? inherited : 0;
    if (visible) {
      const shown = alias !== 0 ? alias : symbol;
      const typeId = shown === ERROR_SYMBOL ? ERROR_SYMBOL : publicSymbols[shown];
      if (namedTypes[typeId] !== 1 && typeId < namedTypes.length) {
        continue;
      }
      const tableId = typeId < errorType ? typeId : errorType;
      if (skipped[tableId] === 1) {
        continue;
      }
      const type = tableId < errorType ? typeNames[tableId] : 'ERROR';
      const siblingCount = top - ownerStart;
      // The fields copyWithCursor gives: positional where the parent's fields are fixed, none in fieldless parents.
      let field: string | null = null;
      if (fieldless[ownerType] === 0) {
        const fixed = positional[ownerType];
        field =
          fixed !== undefined && type !== 'comment' && siblingCount < fixed.length && !hasCommentIn(ownerStart, top)
            ? fixed[siblingCount]
            : (fieldNames[fieldId] ?? null);
      }
      const node: SyntaxNode = {
        type,
        start: start >>> 1,
        end: (start + size) >>> 1,
        field,
        parent: owner,
        children: NO_CHILDREN,
        // Declared up front so every node has one hidden class (memo is filled lazily).
        memo: undefined
      };
      scratch[top++] = node;
      const opaque = keep !== undefined && owner === root && !keep(node, siblingCount > 0 ? scratch[top - 2] : null);
      if (!opaque && size > 0 && visibleChildren > 0 && leaf[tableId] === 0 && (isString[tableId] === 0 || text === undefined || mayInterpolate(text, node.start))) {
        pushFrame(sp++, parentAddress, count, index, structural, position, production, inherited, owner, ownerType, ownerStart);
        ownerStart = top;
        parentAddress = word;
        count = childCount;
        index = 0;
        structural = 0;
        position = start;
        production = childProduction;
        inherited = -1;
        owner = node;
        ownerType = tableId;
      }
    } else if (visibleChildren > 0) {
      // A hidden node (`_simple_statements`, a repetition...): its visible children belong to the owner.
      pushFrame(sp++, parentAddress, count, index, structural, position, production, inherited, owner, ownerType, ownerStart);
      parentAddress = word;
      count = childCount;
      index = 0;
      structural = 0;
      position = start;
      production = childProduction;
      inherited = fieldId;
    }
  }
  root.children = scratch.slice(0, top);
  // The scratch stack must not keep this tree's nodes alive.
  for (let i = Math.max(top, high) - 1; i >= 0; i--) {
    scratch[i] = NO_NODE;
  }
  return root;
}

/**
 * The children of a list, tuple, argument list or parameter list that are items, comments left
 * out. The copied tree holds named children only, so punctuation needs no filtering.
 */
export function itemsOf(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter(c => c.type !== 'comment');
}

/**
 * `A` of a decorator written `@(A if COND else B)` (KM175 writes `@(tf.function if
 * keras.backend.backend() == "tensorflow" else (lambda f: f))`), else null.
 */
export function conditionalDecoratorChoice(expr: SyntaxNode): SyntaxNode | null {
  const inner = expr.type === 'parenthesized_expression' ? expr.children.find(c => c.type !== 'comment') : null;
  return inner?.type === 'conditional_expression' ? (inner.children[0] ?? null) : null;
}

export function child(node: SyntaxNode, field: string): SyntaxNode | null {
  for (const c of node.children) {
    if (c.field === field) {
      return c;
    }
  }
  return null;
}

/**
 * Every node under `node` (itself first), depth-first in source order. Iterative: a generator
 * recursing with `yield*` costs each node the depth above it, quadratic on deeply nested code.
 */
export function* descendants(node: SyntaxNode): Generator<SyntaxNode> {
  const stack: SyntaxNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    for (let i = n.children.length - 1; i >= 0; i--) {
      stack.push(n.children[i]);
    }
  }
}

/** The module node a node belongs to (the top of its tree). */
export function rootOf(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent) {
    n = n.parent;
  }
  return n;
}

/** The statement directly in a block (or module) that holds NODE. */
export function enclosingStatement(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode | null = node;
  while (n && n.parent && n.parent.type !== 'block' && n.parent.type !== 'module') {
    n = n.parent;
  }
  return n && n.parent ? n : null;
}

/** The nearest `def` strictly around `node` (through lambdas, classes and blocks alike), or null at module level. */
export function enclosingFunctionDefinition(node: SyntaxNode): SyntaxNode | null {
  let n = node.parent;
  while (n && n.type !== 'function_definition') {
    n = n.parent;
  }
  return n;
}

/**
 * What a dotted chain starts from: `tf` in `tf.keras.losses.mae`, the call in `f().a.b`. Callers
 * that need a name check for an identifier.
 */
export function chainRoot(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (let object = n.type === 'attribute' ? child(n, 'object') : null; object; object = n.type === 'attribute' ? child(n, 'object') : null) {
    n = object;
  }
  return n;
}

/** Recursion limit for expression predicates (a few stack frames per level). */
export const MAX_EXPRESSION_DEPTH = 400;

const CONTAINERS = new Set(['list', 'tuple', 'dictionary']);

/** Depth of literal containers: `[a, b]` is 1, `{"x": [a, b]}` is 2 (bounded by `limit`). */
export function containerDepth(node: SyntaxNode, limit = 400): number {
  if (!CONTAINERS.has(node.type) || limit <= 0) {
    return 0;
  }
  let deepest = 0;
  for (const c of node.children) {
    const value = c.type === 'pair' ? c.children.find(p => p.field === 'value') : c;
    if (value) {
      deepest = Math.max(deepest, containerDepth(value, limit - 1));
    }
  }
  return 1 + deepest;
}

/** Every identifier inside `node`, itself included (iterative: deep trees cannot overflow the stack). */
export function identifiersIn(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier') {
      out.push(n);
    }
    stack.push(...n.children);
  }
  return out;
}

/** The `return` statements of a function's body (not of functions, classes or lambdas nested in it). */
export function returnStatements(fn: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const stack = [...(child(fn, 'body')?.children ?? [])];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'lambda') {
      continue;
    }
    if (node.type === 'return_statement') {
      found.push(node);
      continue;
    }
    stack.push(...node.children);
  }
  return found;
}

/** `__name__ == "__main__"` (either order, either quote). */
const MAIN_GUARD = /^\s*(?:__name__\s*==\s*(['"])__main__\1|(['"])__main__\2\s*==\s*__name__)\s*$/;

/**
 * A script runs its top-level code under `if __name__ == "__main__":` exactly as at module
 * level (the guard is true whenever the file runs as a program, and a notebook never imports
 * it). Rules that look for module-level definitions and uses should see that code, so a guard
 * with no `elif` or `else` is replaced, among the module's children, by the statements of its
 * block. Offsets are unchanged: only the copy's shape moves, never the text. Done in place.
 */
export function liftMainGuards(root: SyntaxNode, text: string): SyntaxNode {
  if (root.type !== 'module' || text.indexOf('__main__') < 0) {
    return root;
  }
  let lifted: SyntaxNode[] | null = null;
  for (let i = 0; i < root.children.length; i++) {
    const stmt = root.children[i];
    const block = isMainGuard(stmt, text) ? child(stmt, 'consequence') : null;
    if (block === null) {
      lifted?.push(stmt);
      continue;
    }
    lifted ??= root.children.slice(0, i);
    for (const inner of block.children) {
      inner.parent = root;
      inner.field = null;
      lifted.push(inner);
    }
  }
  if (lifted !== null) {
    root.children = lifted;
  }
  return root;
}

/**
 * Where a definition written at column 0 can go before `statement`, a child of the module: the
 * start of its line, or, for a statement liftMainGuards moved out of its guard (indented), the
 * start of the guard's `if __name__ == "__main__":` line (a class put between the guard's
 * statements would end the guard, and take the statements after it into its own body).
 */
export function moduleLineStart(statement: SyntaxNode, text: string): number {
  const at = Math.max(text.lastIndexOf('\n', statement.start - 1), text.lastIndexOf('\r', statement.start - 1)) + 1;
  if (at === statement.start) {
    return at;
  }
  // The nearest line above at column 0 that is code: the guard's `if`, when it says __main__.
  // `end` is the line break ending the line looked at; each step moves one line up.
  for (let end = at - 1; end > 0; ) {
    const start = Math.max(text.lastIndexOf('\n', end - 1), text.lastIndexOf('\r', end - 1)) + 1;
    const line = text.slice(start, end).replace(/[\r\n]+$/, '');
    if (line.trim() !== '' && !/^[ \t]/.test(line) && !line.startsWith('#')) {
      return /^if\b[^\n]*__main__[^\n]*:[ \t]*(#.*)?$/.test(line) ? start : at;
    }
    end = start - 1;
  }
  return at;
}

function isMainGuard(stmt: SyntaxNode, text: string): boolean {
  if (stmt.type !== 'if_statement' || stmt.children.some(c => c.field === 'alternative')) {
    return false;
  }
  const condition = child(stmt, 'condition');
  return condition !== null && condition.end - condition.start < 64 && MAIN_GUARD.test(text.slice(condition.start, condition.end));
}

const NO_NAMES: ReadonlySet<string> = new Set();
const globalNamesMemo = new WeakMap<SyntaxNode, ReadonlySet<string>>();
const mentionsGlobalMemo = new WeakMap<SyntaxNode, boolean>();

/**
 * The names a function declares `global` (Python: a `global` statement anywhere in the body makes
 * the name the module's for the whole function; those of nested functions and classes are theirs).
 * Assignments to them inside the function are assignments of the module name. Empty for lambdas
 * and other nodes. Each function's body is read once (remembered), and not at all when the cell's
 * text never says `global`.
 */
export function globalNamesOf(def: SyntaxNode, text: string): ReadonlySet<string> {
  if (def.type !== 'function_definition') {
    return NO_NAMES;
  }
  const known = globalNamesMemo.get(def);
  if (known !== undefined) {
    return known;
  }
  const root = rootOf(def);
  let mentions = mentionsGlobalMemo.get(root);
  if (mentions === undefined) {
    mentions = text.includes('global');
    mentionsGlobalMemo.set(root, mentions);
  }
  let names: Set<string> | null = null;
  const body = mentions ? child(def, 'body') : null;
  const stack = body ? [...body.children] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
      continue;
    }
    if (n.type === 'global_statement') {
      for (const id of n.children) {
        if (id.type === 'identifier') {
          (names ??= new Set()).add(text.slice(id.start, id.end));
        }
      }
      continue;
    }
    // Only statements hold statements: expressions are not looked into.
    if (n.type === 'block' || n.type.endsWith('_statement') || n.type.endsWith('_clause') || n.type === 'decorated_definition') {
      for (const c of n.children) {
        stack.push(c);
      }
    }
  }
  const result = names ?? NO_NAMES;
  globalNamesMemo.set(def, result);
  return result;
}

/** The function a module-level statement defines (under its decorators), or null. */
export function definedFunction(statement: SyntaxNode): SyntaxNode | null {
  if (statement.type === 'function_definition') {
    return statement;
  }
  if (statement.type === 'decorated_definition') {
    const def = child(statement, 'definition');
    return def && def.type === 'function_definition' ? def : null;
  }
  return null;
}

/** Whether `node` is outside every function and class (module level, possibly in a branch or loop). */
export function atModuleLevel(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'lambda') {
      return false;
    }
  }
  return true;
}

/**
 * Whether a statement (for a `def` or `class`, the decorated holder when decorated) sits at module
 * level, or directly in the body of plain functions that do (a helper, class or assignment in a
 * script's `main()`), not in a class body or a branch.
 */
export function definedInPlainFunctionsFromModule(holder: SyntaxNode): boolean {
  for (let at: SyntaxNode | null = holder; at; ) {
    const parent: SyntaxNode | null = at.parent;
    if (parent?.type === 'module') {
      return true;
    }
    const fn: SyntaxNode | null = parent?.type === 'block' ? parent.parent : null;
    if (fn?.type !== 'function_definition') {
      return false;
    }
    at = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  }
  return false;
}

/**
 * The class definitions `definedInPlainFunctionsFromModule` accepts, in source order: at module
 * level, or directly in the body of plain functions that are (a script's `def main():` defining
 * its model class).
 */
export function classDefinitionsInPlainFunctionsFromModule(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (statements: readonly SyntaxNode[]): void => {
    for (const statement of statements) {
      const def = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
      if (def?.type === 'class_definition') {
        out.push(def);
      } else if (def?.type === 'function_definition') {
        visit(child(def, 'body')?.children ?? []);
      }
    }
  };
  visit(root.children);
  return out;
}
