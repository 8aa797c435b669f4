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
}

export function buildSyntaxTree(tree: Tree, grammar: PythonGrammar): SyntaxNode {
  const cursor = tree.walk();
  const { typeNames, fieldNames } = grammar;
  const root: SyntaxNode = {
    type: typeNames[cursor.nodeTypeId],
    start: cursor.startIndex,
    end: cursor.endIndex,
    field: null,
    parent: null,
    children: []
  };
  let current = root;
  // Iterative pre-order walk: deep nesting (huge expressions) must not overflow the stack.
  if (cursor.gotoFirstChild()) {
    for (;;) {
      let descended = false;
      if (cursor.nodeIsNamed) {
        const node: SyntaxNode = {
          type: typeNames[cursor.nodeTypeId],
          start: cursor.startIndex,
          end: cursor.endIndex,
          field: fieldNames[cursor.currentFieldId] ?? null,
          parent: current,
          children: []
        };
        current.children.push(node);
        if (cursor.gotoFirstChild()) {
          current = node;
          descended = true;
        }
      }
      if (descended) {
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          cursor.delete();
          return root;
        }
        if (current.parent === null) {
          cursor.delete();
          return root;
        }
        current = current.parent;
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

export function childrenOf(node: SyntaxNode, field: string): SyntaxNode[] {
  return node.children.filter(c => c.field === field);
}

/** Line starts of a text, for turning offsets into 1-based line/column. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      this.starts.push(i + 1);
    }
  }
  /** 1-based line and column of a UTF-16 offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
  offset(line: number, column: number): number {
    const start = this.starts[Math.min(Math.max(line - 1, 0), this.starts.length - 1)];
    return Math.min(start + column - 1, this.text.length);
  }
  get lineCount(): number {
    return this.starts.length;
  }
  lineStart(line: number): number {
    return this.starts[line - 1];
  }
}
