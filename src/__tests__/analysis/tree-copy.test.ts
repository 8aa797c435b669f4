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

/** Cells with strings of every kind: plain, prefixed, f-strings with conversions, nested specifiers, escapes, nesting. */
const STRING_CELLS = [
  'x = "plain" + \'single\' + """doc""" + r"raw{x}" + b"bytes" + u"u{x}"\n',
  'print(f"loss {mean.result().numpy():.4f} {x!r} {y:{w}} {{z}}", rb"x", F"""a{b}""" "c" f"{f"{q}"}")\n',
  "s = f'{a!s:>{width}.{precision}}' + Rf'{b}\\\\' + fR\"{c=}\" + t'{d}' + f'{{}}' + f''\n",
  'def f():\n    """Doc {x}."""\n    return f"{ {k: v for k, v in d.items()} }"\n',
  'msg = f"{x:{y:{z}}}" + f"{lambda_:>3}{(lambda q: q)(1)}"\n',
  // Broken while typing.
  'print(f"{model(x).numpy()\n',
  'print(f"{x!}")\nprint(f"{}")\nprint(f"{x:{")\n',
  'y = f"{a["b"]}"\nz = f"{\n'
];

test('a string is copied with its interpolations only: plain strings stay leaves, the text shortcut changes nothing', async () => {
  const grammar = await loadPython(WASM);
  const reference = publicOnly(grammar);
  const fromMemory = memoryCopy(grammar);
  const parser = grammar.newParser();
  const rnd = prng(17);
  const pieces = ['f"{', '}', '{{', '}}', '!r', ':>{w}', '"', "'", 'f"', '{x.numpy()}', '\n'];
  const inputs = [...STRING_CELLS];
  for (let i = 0; i < 200; i++) {
    let text = STRING_CELLS[Math.floor(rnd() * STRING_CELLS.length)];
    const at = Math.floor(rnd() * (text.length + 1));
    text = rnd() < 0.6 ? text.slice(0, at) + pieces[Math.floor(rnd() * pieces.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + 3);
    inputs.push(text);
  }
  for (const source of [...inputs, ...corpusCells]) {
    const masked = maskIPython(source);
    const tree = parser.parse(masked)!;
    const expected = shape(copyWithCursor(tree, reference));
    expect(shape(copyWithCursor(tree, reference, undefined, masked))).toEqual(expected);
    expect(shape(fromMemory(tree))).toEqual(expected);
    expect(shape(copyFromMemory(tree, grammar, grammar.treeMemory()!, undefined, masked))).toEqual(expected);
    expect(shape(buildSyntaxTree(tree, grammar, undefined, masked))).toEqual(expected);
    // No piece of a string is copied, and what a string holds is interpolations only (or a syntax error in one).
    const stack = [buildSyntaxTree(tree, grammar, undefined, masked)];
    while (stack.length) {
      const n = stack.pop()!;
      expect(['string_start', 'string_content', 'string_end', 'escape_interpolation']).not.toContain(n.type);
      if (n.type === 'string') {
        expect(n.children.filter(c => c.type !== 'interpolation' && c.type !== 'ERROR').map(c => c.type)).toEqual([]);
      }
      stack.push(...n.children);
    }
    tree.delete();
  }
  parser.delete();
});

test('plain strings are leaves; an f-string holds its interpolations, each with its expression, conversion and format specifier', async () => {
  const grammar = await loadPython(WASM);
  const parser = grammar.newParser();
  const source = 'a = "x{y}"\nb = f"v {m.numpy():.4f} {z!r} {w:{n}} {{e}}"\nc = "p" f"{q}"\nd = f"{f\'{r}\'}"\n';
  const tree = parser.parse(source)!;
  const root = buildSyntaxTree(tree, grammar, undefined, source);
  tree.delete();
  parser.delete();
  const value = (i: number) => root.children[i].children[0].children.find(c => c.field === 'right')!;
  const text = (n: SyntaxNode) => source.slice(n.start, n.end);
  expect(value(0).type).toBe('string');
  expect(value(0).children).toEqual([]);
  const b = value(1);
  expect(b.children.map(text)).toEqual(['{m.numpy():.4f}', '{z!r}', '{w:{n}}']);
  expect(b.children.map(i => i.children.map(c => `${c.field}:${c.type}`))).toEqual([
    ['expression:call', 'format_specifier:format_specifier'],
    ['expression:identifier', 'type_conversion:type_conversion'],
    ['expression:identifier', 'format_specifier:format_specifier']
  ]);
  expect(b.children[2].children[1].children.map(c => c.type)).toEqual(['format_expression']);
  const c = value(2);
  expect(c.type).toBe('concatenated_string');
  expect(c.children.map(s => [text(s), s.children.length])).toEqual([
    ['"p"', 0],
    ['f"{q}"', 1]
  ]);
  const inner = value(3).children[0].children[0];
  expect([inner.type, text(inner), inner.children.map(text)]).toEqual(['string', "f'{r}'", ['{r}']]);
});

test("an operator's operands carry tree-sitter's field names (left, right), comments between them too", async () => {
  const grammar = await loadPython(WASM);
  const parser = grammar.newParser();
  const source = 'a = d + "/model"\nb = p and (q or r)\nc = (x  # why\n     * y)\n';
  const tree = parser.parse(source)!;
  // tree-sitter's own answer for every operator node, to compare the copy with.
  const expected: string[] = [];
  const walk = (n: NonNullable<ReturnType<Tree['rootNode']['child']>>): void => {
    if (n.type === 'binary_operator' || n.type === 'boolean_operator') {
      expected.push(`${n.type} ${n.childForFieldName('left')!.text} | ${n.childForFieldName('right')!.text}`);
    }
    n.namedChildren.forEach(c => c && walk(c));
  };
  walk(tree.rootNode);
  const root = buildSyntaxTree(tree, grammar, undefined, source);
  tree.delete();
  parser.delete();
  const copied: string[] = [];
  const visit = (n: SyntaxNode): void => {
    if (n.type === 'binary_operator' || n.type === 'boolean_operator') {
      const side = (field: string) => n.children.find(c => c.field === field);
      copied.push(`${n.type} ${source.slice(side('left')!.start, side('left')!.end)} | ${source.slice(side('right')!.start, side('right')!.end)}`);
    }
    n.children.forEach(visit);
  };
  visit(root);
  expect(expected).toHaveLength(4);
  expect(copied).toEqual(expected);
});
