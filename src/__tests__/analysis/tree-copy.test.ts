/**
 * The syntax-tree copies made through the binding cursor (parser.ts) and straight from
 * tree-sitter's memory (ast.ts copyFromMemory) must equal the copy made through
 * web-tree-sitter's public TreeCursor, node for node, on real cells, on broken ones, and on
 * incrementally reparsed trees.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Tree } from 'web-tree-sitter';
import { maskIPython } from '../../analysis';
import { buildSyntaxTree, copyFromMemory, copyWithCursor, SyntaxNode } from '../../analysis/ast';
import { loadPython, PythonGrammar } from '../../analysis/parser';
import { prng, WASM } from './helpers';

const corpusDir = path.resolve(__dirname, '../../../../shared/corpus');
const corpusCells: string[] = fs.existsSync(corpusDir)
  ? fs
      .readdirSync(corpusDir)
      .filter(f => f.endsWith('.ipynb'))
      .sort()
      .flatMap(f => JSON.parse(fs.readFileSync(path.join(corpusDir, f), 'utf8')).cells)
      .filter((c: { cell_type: string }) => c.cell_type === 'code')
      .map((c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join('') : c.source))
  : [];

/** Type, range, field and children of every node, as one string; parent links checked on the way. */
function shape(node: SyntaxNode, parent: SyntaxNode | null = null): string {
  if (node.parent !== parent) {
    throw new Error(`wrong parent at ${node.type} ${node.start}`);
  }
  return `(${node.type} ${node.start}-${node.end} ${node.field ?? ''}${node.children.map(c => ' ' + shape(c, node)).join('')})`;
}

function publicOnly(grammar: PythonGrammar): PythonGrammar {
  return { ...grammar, cursor: (tree: Tree) => tree.walk(), cursorKind: 'public', treeMemory: () => null, copyKind: 'public' };
}

/** The binding-cursor copy (buildSyntaxTree itself takes the memory copy when it is in use). */
function bindingOnly(grammar: PythonGrammar): PythonGrammar {
  return { ...grammar, treeMemory: () => null, copyKind: 'binding' };
}

/** The memory copy, whether or not the self-check chose it. */
function memoryCopy(grammar: PythonGrammar) {
  const memory = grammar.treeMemory();
  if (!memory) {
    throw new Error('the memory copy is not in use');
  }
  return (tree: Tree, keep?: Parameters<typeof copyFromMemory>[3]) => copyFromMemory(tree, grammar, memory, keep);
}

test('the binding cursor and the memory copy are in use (the self-checks at load passed)', async () => {
  const grammar = await loadPython(WASM);
  expect(grammar.cursorKind).toBe('binding');
  expect(grammar.copyKind).toBe('memory');
});

test('binding cursor, memory copy and public cursor copy the same tree: corpus cells, broken cells, statement filters', async () => {
  const grammar = await loadPython(WASM);
  const reference = publicOnly(grammar);
  const binding = bindingOnly(grammar);
  const fromMemory = memoryCopy(grammar);
  const parser = grammar.newParser();
  const rnd = prng(5);
  const pieces = ['(', ')', ':', '\n', '    ', '"', '[', 'def ', 'é', '\ud83d\ude00', 'lambda x: ', ',', '\\'];
  const inputs = [...corpusCells, '', '\n', '((((', 'def f(:\n  return', 'x = "unterminated\n', 'é = "ü" + f"{a!r:>{w}}"\n'];
  for (let i = 0; i < 400 && corpusCells.length; i++) {
    let text = corpusCells[Math.floor(rnd() * corpusCells.length)];
    const at = Math.floor(rnd() * (text.length + 1));
    text = rnd() < 0.5 ? text.slice(0, at) + pieces[Math.floor(rnd() * pieces.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + 5);
    inputs.push(text);
  }
  // Every other top-level statement left out: the opaque-statement path of the walk.
  const alternate = () => {
    let n = 0;
    return () => n++ % 2 === 0;
  };
  for (const source of inputs) {
    const tree = parser.parse(maskIPython(source))!;
    const expected = shape(copyWithCursor(tree, reference));
    const expectedFiltered = shape(copyWithCursor(tree, reference, alternate()));
    expect(shape(copyWithCursor(tree, binding))).toEqual(expected);
    expect(shape(copyWithCursor(tree, binding, alternate()))).toEqual(expectedFiltered);
    expect(shape(fromMemory(tree))).toEqual(expected);
    expect(shape(fromMemory(tree, alternate()))).toEqual(expectedFiltered);
    expect(shape(buildSyntaxTree(tree, grammar))).toEqual(expected);
    tree.delete();
  }
  parser.delete();
});

test('binding cursor and memory copy on incrementally reparsed trees', async () => {
  const grammar = await loadPython(WASM);
  const reference = publicOnly(grammar);
  const binding = bindingOnly(grammar);
  const fromMemory = memoryCopy(grammar);
  const parser = grammar.newParser();
  let text = 'import tensorflow as tf\nclass L(tf.keras.layers.Layer):\n    def call(self, x):\n        return tf.abs(x)\n';
  let tree: Tree = parser.parse(text)!;
  const rnd = prng(11);
  for (let i = 0; i < 200; i++) {
    const at = Math.floor(rnd() * text.length);
    const next = text.slice(0, at) + 'x(' [Math.floor(rnd() * 2)] + text.slice(at);
    const row = text.slice(0, at).split('\n').length - 1;
    const column = at - (text.lastIndexOf('\n', at - 1) + 1);
    tree.edit({
      startIndex: at,
      oldEndIndex: at,
      newEndIndex: at + 1,
      startPosition: { row, column },
      oldEndPosition: { row, column },
      newEndPosition: { row, column: column + 1 }
    });
    const reparsed = parser.parse(next, tree)!;
    tree.delete();
    tree = reparsed;
    text = next;
    const expected = shape(copyWithCursor(tree, reference));
    expect(shape(copyWithCursor(tree, binding))).toEqual(expected);
    expect(shape(fromMemory(tree))).toEqual(expected);
  }
  tree.delete();
  parser.delete();
});

test('interned type and field names equal the grammar names', async () => {
  const grammar = await loadPython(WASM);
  for (let id = 0; id < grammar.language.nodeTypeCount; id++) {
    expect(grammar.typeNames[id]).toBe(grammar.language.nodeTypeForId(id) ?? '');
  }
  expect(grammar.fieldNames).toEqual(grammar.language.fields);
});
