/**
 * A rule's `calls` declaration (RuleDefinition.calls) limits which calls its `call` visitor
 * sees: the walk skips the others. The exhaustive analysis ignores the declarations, and the
 * rule tests and the corpus test compare it with the usual one, so a declaration that leaves
 * out a call the rule reports shows up there.
 */
import { analyseCell } from '../../analysis/walk';
import { buildSyntaxTree } from '../../analysis/ast';
import { loadPython } from '../../analysis/parser';
import type { RuleDefinition } from '../../analysis/rule';
import type { Env } from '../../analysis/scope';
import { WASM } from './helpers';

function countingRule(calls: RuleDefinition['calls'], seen: string[]): RuleDefinition {
  return {
    code: 'KM998',
    name: 'counting',
    slug: 'api-changes',
    severity: 'warning',
    fixAvailability: 'never',
    triggers: [],
    docs: { whatItDoes: '', why: '', example: '', useInstead: '' },
    calls,
    visitors: {
      call: (node, ctx) => {
        seen.push(ctx.textOf(node).split('(')[0]);
      }
    }
  };
}

const CODE = [
  'import tensorflow as tf',
  'import numpy as np',
  'model.fit(x)',
  'tf.random.normal((2,))',
  'np.zeros(3)',
  'print(1)',
  'f()()',
  'layers = tf.keras.layers',
  'layers.Dense(1)'
].join('\n');

async function visited(calls: RuleDefinition['calls'], callFilters = true): Promise<string[]> {
  const grammar = await loadPython(WASM);
  const tree = grammar.sharedParser.parse(CODE)!;
  const root = buildSyntaxTree(tree, grammar);
  tree.delete();
  const seen: string[] = [];
  analyseCell(root, CODE, new Map() as Env, [countingRule(calls, seen)], callFilters);
  return seen;
}

test('without a declaration the visitor sees every call', async () => {
  expect(await visited(undefined)).toEqual(['model.fit', 'tf.random.normal', 'np.zeros', 'print', 'f', 'f', 'layers.Dense']);
});

test('names: the last name of the callee', async () => {
  expect(await visited({ names: ['fit', 'print'] })).toEqual(['model.fit', 'print']);
});

test('resolved: prefixes of the canonical name, through aliases', async () => {
  expect(await visited({ resolved: ['tensorflow.'] })).toEqual(['tf.random.normal', 'layers.Dense']);
  expect(await visited({ resolved: ['numpy.zeros'] })).toEqual(['np.zeros']);
});

test('names or resolved: either matches', async () => {
  expect(await visited({ resolved: ['tensorflow.random.'], names: ['zeros'] })).toEqual(['tf.random.normal', 'np.zeros']);
});

test('the exhaustive walk ignores the declaration', async () => {
  expect(await visited({ names: ['fit'] }, false)).toEqual(['model.fit', 'tf.random.normal', 'np.zeros', 'print', 'f', 'f', 'layers.Dense']);
});

/** The same for `attributes` (RuleDefinition.attributes) and the `attribute` visitor. */
function attributeRule(attributes: RuleDefinition['attributes'], seen: string[]): RuleDefinition {
  return { ...countingRule(undefined, []), attributes, visitors: { attribute: (node, ctx) => void seen.push(ctx.textOf(node)) } };
}

async function attributesVisited(attributes: RuleDefinition['attributes'], callFilters = true): Promise<string[]> {
  const grammar = await loadPython(WASM);
  const tree = grammar.sharedParser.parse(CODE)!;
  const root = buildSyntaxTree(tree, grammar);
  tree.delete();
  const seen: string[] = [];
  analyseCell(root, CODE, new Map() as Env, [attributeRule(attributes, seen)], callFilters);
  return seen;
}

const EVERY_ATTRIBUTE = ['model.fit', 'tf.random.normal', 'tf.random', 'np.zeros', 'tf.keras.layers', 'tf.keras', 'layers.Dense'];

test('attributes: without a declaration the visitor sees every attribute node', async () => {
  expect(await attributesVisited(undefined)).toEqual(EVERY_ATTRIBUTE);
});

test('attributes: names (the attribute name) or resolved (the node\'s own canonical name)', async () => {
  expect(await attributesVisited({ names: ['fit', 'random'] })).toEqual(['model.fit', 'tf.random']);
  expect(await attributesVisited({ resolved: ['tensorflow.keras'] })).toEqual(['tf.keras.layers', 'tf.keras', 'layers.Dense']);
  // '': any node that resolves at all (`model.fit` does not: `model` is no module).
  expect(await attributesVisited({ resolved: [''] })).toEqual(EVERY_ATTRIBUTE.filter(a => a !== 'model.fit'));
  expect(await attributesVisited({ resolved: ['numpy.'], names: ['fit'] })).toEqual(['model.fit', 'np.zeros']);
});

test('attributes: the exhaustive walk ignores the declaration', async () => {
  expect(await attributesVisited({ names: ['fit'] }, false)).toEqual(EVERY_ATTRIBUTE);
});
