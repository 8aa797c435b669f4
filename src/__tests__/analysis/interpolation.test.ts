/**
 * Fix edits inside f-string interpolations (src/analysis/interpolation.ts): what Python 3.11
 * reads between the braces, and an analysis of f-strings typed character by character.
 */
import { buildSyntaxTree } from '../../analysis/ast';
import { fitEditsToStrings, fitInInterpolation, interpolationsAt } from '../../analysis/interpolation';
import { loadPython } from '../../analysis/parser';
import { applyOffsetEdits } from '../../analysis/text';
import { getAnalyzer, WASM } from './helpers';

const DOUBLE = [{ quote: '"', triple: false }];
const SINGLE = [{ quote: "'", triple: false }];
const TRIPLE = [{ quote: '"', triple: true }];

describe('fitInInterpolation', () => {
  test('text without quotes, backslashes, comments or top-level colons stands as it is', () => {
    expect(fitInInterpolation('keras.ops.convert_to_numpy(x[1:2])', DOUBLE)).toBe('keras.ops.convert_to_numpy(x[1:2])');
    expect(fitInInterpolation('a != b', DOUBLE)).toBe('a != b');
    expect(fitInInterpolation('{k: v for k, v in d}', DOUBLE)).toBe('{k: v for k, v in d}');
  });
  test('string literals take the quote the f-strings around do not use', () => {
    expect(fitInInterpolation('keras.ops.cast(x, "int32")', DOUBLE)).toBe("keras.ops.cast(x, 'int32')");
    expect(fitInInterpolation("keras.ops.cast(x, 'int32')", SINGLE)).toBe('keras.ops.cast(x, "int32")');
    expect(fitInInterpolation('f(x, "a", \'b\')', SINGLE)).toBe('f(x, "a", "b")');
    expect(fitInInterpolation('f(x, "int32")', SINGLE)).toBe('f(x, "int32")');
    // Triple-quoted: the quote character clashes all the same (requoted: no harm).
    expect(fitInInterpolation('f("a")', TRIPLE)).toBe("f('a')");
  });
  test('what cannot stand there: both quotes taken, a literal holding the other quote, backslashes, comments, line breaks, top-level : or !', () => {
    expect(fitInInterpolation('f("a")', [...DOUBLE, ...SINGLE])).toBeNull();
    expect(fitInInterpolation('f("it\'s")', DOUBLE)).toBeNull();
    expect(fitInInterpolation('f("a\\n")', SINGLE)).toBeNull();
    expect(fitInInterpolation('f(x)  # note', DOUBLE)).toBeNull();
    expect(fitInInterpolation('f(\n    x)', DOUBLE)).toBeNull();
    expect(fitInInterpolation('f(\n    x)', TRIPLE)).toBe('f(\n    x)');
    expect(fitInInterpolation('lambda t: t', DOUBLE)).toBeNull();
    expect(fitInInterpolation('(lambda t: t)', DOUBLE)).toBe('(lambda t: t)');
    expect(fitInInterpolation('y := 3', DOUBLE)).toBeNull();
    expect(fitInInterpolation('x!r', DOUBLE)).toBeNull();
    expect(fitInInterpolation('f("a', DOUBLE)).toBeNull();
  });
});

describe('fitEditsToStrings', () => {
  async function treeOf(source: string) {
    const grammar = await loadPython(WASM);
    const tree = grammar.sharedParser.parse(source)!;
    const root = buildSyntaxTree(tree, grammar, undefined, source);
    tree.delete();
    return root;
  }
  const source = 'print(f"a {x.numpy():.2f} b", "c {y}")\n';
  const at = (s: string) => source.indexOf(s);

  test('an edit inside an interpolation is fitted; one outside every interpolation is left alone', async () => {
    const root = await treeOf(source);
    expect(interpolationsAt(root, at('x.numpy')).map(n => source.slice(n.start, n.end))).toEqual(['{x.numpy():.2f}']);
    expect(interpolationsAt(root, at('{x'))).toEqual([]);
    expect(interpolationsAt(root, at('{y'))).toEqual([]);
    const inside = { start: at('x.numpy'), end: at(':.2f'), text: 'cast(x, "float32")' };
    const fitted = fitEditsToStrings(root, source, [inside]);
    expect(fitted && applyOffsetEdits(source, fitted)).toBe('print(f"a {cast(x, \'float32\'):.2f} b", "c {y}")\n');
    const elsewhere = [{ start: at('"c'), end: at('"c') + 1, text: '"d' }];
    expect(fitEditsToStrings(root, source, elsewhere)).toBe(elsewhere);
    // A replacement of the whole f-string is not inside it.
    const whole = [{ start: at('f"a'), end: at(', "c'), text: 'str(x)' }];
    expect(fitEditsToStrings(root, source, whole)).toBe(whole);
  });
  test('an edit with one end inside an interpolation and the other outside it is no fix', async () => {
    const root = await treeOf(source);
    expect(fitEditsToStrings(root, source, [{ start: at('x.numpy'), end: at(' b"'), text: 'x' }])).toBeNull();
    expect(fitEditsToStrings(root, source, [{ start: at('a {'), end: at('numpy'), text: 'x' }])).toBeNull();
  });
  test('a self-documenting interpolation keeps the label Python prints (the old text, braces doubled) and its repr', async () => {
    // Checked with Python 3.11 (abs the identity): both lines print the same.
    const labelled = 'print(f"{x = :.2f} {y=!s} {z=} {{z}} {d[\'k\']=}", f"{ {1: z}[1]=}")\n';
    const root = await treeOf(labelled);
    const wrap = (name: string) => {
      const start = labelled.indexOf(name);
      return { start, end: start + name.length, text: `abs(${name})` };
    };
    const fitted = fitEditsToStrings(root, labelled, [wrap('x'), wrap('y'), wrap('z}'.slice(0, 1)), wrap("d['k']"), wrap('{1: z}[1]')]);
    expect(fitted && applyOffsetEdits(labelled, fitted)).toBe(
      'print(f"x = {abs(x) :.2f} y={abs(y)!s} z={abs(z)!r} {{z}} d[\'k\']={abs(d[\'k\'])!r}", f" {{1: z}}[1]={ abs({1: z}[1])!r}")\n'
    );
    // An edit reaching the `=` or past it cannot keep the label: no fix.
    const eq = labelled.indexOf('=}');
    expect(fitEditsToStrings(root, labelled, [{ start: labelled.indexOf('z='), end: eq + 1, text: 'w=' }])).toBeNull();
  });
  test('a `{` right after the brace is kept from making an escaped `{{`', async () => {
    const root = await treeOf(source);
    const fitted = fitEditsToStrings(root, source, [{ start: at('x.numpy'), end: at(':.2f'), text: '{1: 2}[1]' }]);
    expect(fitted && applyOffsetEdits(source, fitted)).toBe('print(f"a { {1: 2}[1]:.2f} b", "c {y}")\n');
  });
});

test('typing a program with f-strings character by character: no crash, and every fix applies to a text Python can read', async () => {
  const analyzer = await getAnalyzer();
  const program =
    'import keras\nimport numpy as np\nmean = keras.metrics.Mean()\nw = 8\n' +
    'print(f"{{ {mean.result().numpy()!r:>{w}} {f\'{mean.result().numpy()}\'} }}", f"""{mean.result().numpy()=}""")\n';
  const nb = analyzer.openNotebook();
  try {
    for (let i = 0; i <= program.length; i++) {
      nb.update([program.slice(0, i)]);
      nb.findings();
    }
    const findings = nb.findings().filter(f => f.rule === 'KM186');
    expect(findings.map(f => f.column)).toEqual([13, 47, 82]);
    expect(findings.every(f => f.fix !== null)).toBe(true);
  } finally {
    nb.dispose();
  }
  // Read and run by Python 3.11 on TensorFlow, JAX and PyTorch (the program before the fix failed on JAX).
  expect(analyzer.fixFile(program).source).toBe(
    'import keras\nimport numpy as np\nmean = keras.metrics.Mean()\nw = 8\n' +
      'print(f"{{ {keras.ops.convert_to_numpy(mean.result())!r:>{w}} {f\'{keras.ops.convert_to_numpy(mean.result())}\'} }}", f"""mean.result().numpy()={keras.ops.convert_to_numpy(mean.result())!r}""")\n'
  );
});
