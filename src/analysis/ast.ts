/**
 * A compact JavaScript copy of the tree-sitter tree. Rules run many small queries
 * (parent, field, text); answering them from plain objects avoids a WASM round trip
 * per question. The copy is built in one cursor walk, so its cost is linear in the cell.
 */
import type { Tree } from 'web-tree-sitter';
import type { PythonGrammar } from './parser';

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
  'boolean_operator',
  'binary_operator',
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

/** Named types with no children worth a WASM call to look for (strings included on purpose). */
const LEAVES = new Set([
  'identifier',
  'comment',
  'string',
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
  'concatenated_string',
  // Read as text by every rule that looks at them.
  'dotted_name',
  'slice'
]);

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
  default_parameter: ['name', 'value']
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

export function buildSyntaxTree(tree: Tree, grammar: PythonGrammar, keep?: StatementFilter): SyntaxNode {
  const cursor = grammar.cursor(tree);
  const { typeNames, fieldNames, namedTypes } = grammar;
  const root: SyntaxNode = {
    type: typeNames[cursor.nodeTypeId],
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
      if (namedTypes[typeId] === 1 || typeId >= namedTypes.length) {
        const type = typeNames[typeId] ?? 'ERROR';
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
        // Strings stay leaves: nothing inside a string (f-string fields included) is analysed.
        if (!opaque && node.end > node.start && !LEAVES.has(type) && cursor.gotoFirstChild()) {
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

export function child(node: SyntaxNode, field: string): SyntaxNode | null {
  for (const c of node.children) {
    if (c.field === field) {
      return c;
    }
  }
  return null;
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
