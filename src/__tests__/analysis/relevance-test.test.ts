/**
 * The relevance test looks words up in a set instead of compiling a regular expression per
 * environment; it must answer exactly as the expression that defines it.
 */
import { relevanceOf, ruleSetOf } from '../../analysis/relevance';
import type { Env } from '../../analysis/scope';

const NAMES = ['tf', 'keras', 'model', 'layers', 'x2', 'K'];

function env(names: string[]): Env {
  return new Map(names.map(n => [n, { kind: 'layer' as const }]));
}

/** The definition: a word after the start or a non-letter, ending at a word boundary. */
const patterns = new WeakMap<Set<string>, RegExp>();
function byRegex(words: Set<string>, text: string): boolean {
  let pattern = patterns.get(words);
  if (!pattern) {
    pattern = new RegExp(`(?:^|[^A-Za-z_])(?:${[...words].join('|')})\\b`);
    patterns.set(words, pattern);
  }
  return pattern.test(text);
}

describe('relevance test', () => {
  const relevance = relevanceOf(env(NAMES), ruleSetOf([]));

  it.each([
    ['tf.keras.layers.Dense(1)', true],
    ['1tf.keras', true],
    ['_tf = 1', false],
    ['mytf = 1', false],
    ['tfx = 1', false],
    ['a2tf', true],
    ['café_model', false],
    ['é model', true],
    ['x2 = 3', true],
    ['yx2 = 3', false],
    ['9x2', true],
    ['print("hello")', false],
    ['# import os', true]
  ])('%s -> %s', (text, expected) => {
    expect(relevance.test(text)).toBe(expected);
    expect(byRegex(relevance.words, text)).toBe(expected);
  });

  it('agrees with the regular expression on random text and ranges', () => {
    const alphabet = ['tf', 'keras', 'x', '2', '_', ' ', '.', 'é', 'model', 'K', '9', '(', 'import', 'a'];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const disagreements: string[] = [];
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const parts = 1 + Math.floor(random() * 8);
      for (let k = 0; k < parts; k++) {
        text += alphabet[Math.floor(random() * alphabet.length)];
      }
      const start = Math.floor(random() * text.length);
      const end = start + Math.floor(random() * (text.length - start + 1));
      if (relevance.test(text) !== byRegex(relevance.words, text)) {
        disagreements.push(text);
      }
      if (relevance.test(text, start, end) !== byRegex(relevance.words, text.slice(start, end))) {
        disagreements.push(`${text} [${start}, ${end})`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('a name without ASCII word characters still makes text relevant as the expression says', () => {
    const odd = relevanceOf(env(['π']), ruleSetOf([]));
    for (const text of ['a', ' ', '1.', 'é', '']) {
      expect(odd.test(text)).toBe(byRegex(odd.words, text));
    }
  });
});
