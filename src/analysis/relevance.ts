/**
 * Which cells can have findings at all. A cell that mentions none of the names bound to
 * Keras/TensorFlow things (modules, Keras classes, layer instances, symbolic tensors) and
 * none of the method names some rules look for cannot produce a finding or change a
 * relevant binding, so its tree is not walked.
 */
import type { CellResult } from './engine';
import type { Env } from './scope';

/** Words that make a cell relevant whatever is bound: imports, classes, and methods of models. */
const ALWAYS = [
  'import',
  'class',
  'save',
  'evaluate',
  'fit',
  'predict',
  'fit_generator',
  'evaluate_generator',
  'predict_generator',
  'train_on_batch',
  'test_on_batch',
  'add_metric',
  'add_loss',
  'save_weights',
  'jit_compile'
];

export const EMPTY_RESULT: CellResult = Object.freeze({ findings: [], reads: [], effects: [], effectsKey: '' }) as CellResult;

export interface Relevance {
  key: string;
  pattern: RegExp;
}

const cache = new Map<string, Relevance>();

function isRelevantModule(canonical: string): boolean {
  return /^(tensorflow|keras|tf_keras)(\.|$)/.test(canonical);
}

export function relevanceOf(env: Env): Relevance {
  const names: string[] = [];
  for (const [name, b] of env) {
    if (b.kind !== 'module' || isRelevantModule(b.canonical)) {
      names.push(name);
    }
  }
  names.sort();
  const key = names.join(',');
  let r = cache.get(key);
  if (!r) {
    const words = [...ALWAYS, ...names].map(w => w.replace(/[^\w]/g, ''));
    r = { key, pattern: new RegExp(`\\b(?:${words.join('|')})\\b`) };
    if (cache.size > 256) {
      cache.clear();
    }
    cache.set(key, r);
  }
  return r;
}
