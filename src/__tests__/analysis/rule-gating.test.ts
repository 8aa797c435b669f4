/**
 * Rule gating (RuleDefinition.requires): one-shot analyses skip a rule on a notebook that
 * mentions none of its required words. Sound only if every finding (and every fact) of the rule
 * needs one of them in the source, so the gated analysis is compared with the ungated one on
 * every corpus notebook and every example program (the rule tests compare them on every rule
 * test case), and a wrong declaration is shown to make that comparison fail.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES } from '../../analysis';
import { NotebookAnalysisImpl } from '../../analysis/notebook';
import { loadPython } from '../../analysis/parser';
import { gatedRules, requiredWordsIn } from '../../analysis/relevance';
import type { RuleDefinition } from '../../analysis/rule';
import type { Finding } from '../../analysis/types';
import { WASM } from './helpers';

const root = path.resolve(__dirname, '../../..');
const corpusDir = path.resolve(root, '../shared/corpus');

function filesUnder(dir: string, ext: string[]): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...filesUnder(full, ext));
    } else if (ext.some(e => entry.name.endsWith(e))) {
      out.push(full);
    }
  }
  return out.sort();
}

const INPUTS = [...filesUnder(corpusDir, ['.ipynb']), ...filesUnder(path.join(root, 'examples'), ['.ipynb', '.py'])];

/** Code cells (null for others) of a notebook, or the file as one source; and whether IPython syntax applies. */
function load(file: string): { cells: Array<string | null>; ipython: boolean } {
  const text = fs.readFileSync(file, 'utf8');
  if (!file.endsWith('.ipynb')) {
    return { cells: [text], ipython: false };
  }
  const nb = JSON.parse(text);
  return {
    cells: nb.cells.map((c: { cell_type: string; source: string | string[] }) =>
      c.cell_type === 'code' ? (Array.isArray(c.source) ? c.source.join('') : c.source) : null
    ),
    ipython: true
  };
}

async function findings(cells: Array<string | null>, ipython: boolean, rules: readonly RuleDefinition[], gate: boolean): Promise<Finding[]> {
  const nb = new NotebookAnalysisImpl(await loadPython(WASM), false, ipython, rules, false, gate);
  try {
    nb.update(cells);
    return nb.findings();
  } finally {
    nb.dispose();
  }
}

test('the corpus and the examples are present', () => {
  expect(INPUTS.filter(f => f.startsWith(corpusDir)).length).toBeGreaterThan(0);
  expect(INPUTS.length).toBeGreaterThan(100);
});

test('required words are words, and some rules declare them', () => {
  const gated = ALL_RULES.filter(r => r.requires !== undefined);
  expect(gated.length).toBeGreaterThan(30);
  for (const rule of gated) {
    expect([rule.code, rule.requires!.length > 0 && rule.requires!.every(w => /^[A-Za-z_]\w*$/.test(w))]).toEqual([rule.code, true]);
  }
});

describe.each(INPUTS.map(f => path.relative(root, f)))('%s', file => {
  test('gated findings equal ungated findings', async () => {
    const { cells, ipython } = load(path.resolve(root, file));
    const ungated = await findings(cells, ipython, ALL_RULES, false);
    expect(await findings(cells, ipython, ALL_RULES, true)).toEqual(ungated);
  });
});

const TF_KERAS_CELLS = ['import tensorflow as tf', 'model = tf.keras.Sequential([tf.keras.layers.Dense(1)])'];

test('a wrong required word makes the comparison fail', async () => {
  const km012 = ALL_RULES.find(r => r.code === 'KM012')!;
  expect(km012.requires).toBeUndefined();
  const wrong = ALL_RULES.map(r => (r === km012 ? { ...r, requires: ['no_such_word'] } : r));
  const ungated = await findings(TF_KERAS_CELLS, true, wrong, false);
  expect(ungated.some(f => f.rule === 'KM012')).toBe(true);
  const gated = await findings(TF_KERAS_CELLS, true, wrong, true);
  expect(gated.some(f => f.rule === 'KM012')).toBe(false);
  expect(gated).not.toEqual(ungated);
  // A right one (the attribute's `keras` is in the source) keeps them equal.
  const right = ALL_RULES.map(r => (r === km012 ? { ...r, requires: ['keras'] } : r));
  expect(await findings(TF_KERAS_CELLS, true, right, true)).toEqual(ungated);
});

test('a rule runs when any cell mentions a required word, as a word, and not otherwise', async () => {
  const seen: string[] = [];
  const counting: RuleDefinition = {
    code: 'KM997',
    name: 'counting',
    slug: 'api-changes',
    severity: 'warning',
    fixAvailability: 'never',
    triggers: [],
    requires: ['clone_model'],
    docs: { whatItDoes: '', why: '', example: '', useInstead: '' },
    visitors: {
      module: (_node, ctx) => {
        seen.push(ctx.text);
      }
    }
  };
  const run = async (cells: Array<string | null>): Promise<string[]> => {
    seen.length = 0;
    await findings(cells, true, [counting], true);
    return seen.slice();
  };
  // Every cell imports keras: the relevance filter walks it whenever the rule runs at all.
  expect(await run(['import keras', 'import keras\nx = 1'])).toEqual([]);
  // `clone_models` and `my_clone_model` are other words; a digit before a word does not hide it.
  expect(await run(['import keras\nclone_models = 1', 'import keras\nmy_clone_model = 2'])).toEqual([]);
  expect(await run(['import keras', 'import keras\nx = 1', 'm = keras.models.clone_model(model)'])).toHaveLength(3);
  expect(await run(['import keras\n1clone_model'])).toHaveLength(1);
  // Rules read the cell's text as given (`ctx.text`), IPython lines included: a word there counts.
  expect(await run(['import keras\n%time clone_model'])).toHaveLength(1);
  // Without gating the rule always runs.
  seen.length = 0;
  await findings(['import keras'], true, [counting], false);
  expect(seen).toHaveLength(1);
});

test('requiredWordsIn and gatedRules: the same sublist for the same words', () => {
  const words = new Set<string>();
  requiredWordsIn(ALL_RULES, 'm.save_weights("w.h5")\nx = to_categorical(y)', words);
  expect([...words].sort()).toEqual(expect.arrayContaining(['save_weights', 'to_categorical']));
  const a = gatedRules(ALL_RULES, words);
  const b = gatedRules(ALL_RULES, new Set(words));
  expect(a).toBe(b);
  expect(a.length).toBeLessThan(ALL_RULES.length);
  expect(a.every(r => r.requires === undefined || r.requires.some(w => words.has(w)))).toBe(true);
  expect(gatedRules(ALL_RULES, new Set(ALL_RULES.flatMap(r => r.requires ?? [])))).toBe(ALL_RULES);
});

/**
 * One-shot analyses also let each cell see the facts earlier cells noted (RuleContext.noted), so
 * that a rule need not note again what already holds: `model.fit` makes `model(x)` in a later
 * cell note nothing more about training. Such a result rests on the earlier cells, so a second
 * update of the same analysis that changes a cell must redo every cell.
 */
describe('facts carried from earlier cells', () => {
  const layer = [
    'import keras',
    'import tensorflow as tf',
    'class Scale(keras.layers.Layer):',
    '    def call(self, x):',
    '        return tf.math.softplus(x)',
    'model = keras.Sequential([keras.layers.Dense(4), Scale()])',
    'model.compile(loss="mse")'
  ].join('\n');
  const blocks = (fs: Finding[]): string[] => fs.filter(f => f.rule === 'KM131').map(f => `${f.line}:${f.blocks.join(',')}`);

  test('a later cell still notes what an earlier cell no longer does', async () => {
    const trained = [layer, 'model.fit(x, y)', 'y = model(x)'];
    // The same words (the same gated rules), no training any more.
    const predicted = [layer, 'print(model.fit)', 'y = model(x)'];
    const nb = new NotebookAnalysisImpl(await loadPython(WASM), false, true, ALL_RULES, false, true);
    try {
      nb.update(trained);
      const first = blocks(nb.findings());
      expect(first).toEqual(blocks(await findings(trained, true, ALL_RULES, false)));
      expect(first.some(b => b.includes('torch'))).toBe(true);
      // `model(x)` runs with grad on PyTorch: still claimed once the training is gone.
      nb.update(predicted);
      expect(blocks(nb.findings())).toEqual(blocks(await findings(predicted, true, ALL_RULES, false)));
      expect(blocks(nb.findings())).toEqual(first);
    } finally {
      nb.dispose();
    }
  });

  test('the same findings with and without the carried facts', async () => {
    const cells = [layer, 'model.fit(x, y)', 'def run(net, x):\n    return net(x)\nrun(model, x)', 'y = model(x)'];
    expect(await findings(cells, true, ALL_RULES, true)).toEqual(await findings(cells, true, ALL_RULES, false));
  });
});
