/**
 * Which cells can have findings at all. A cell that mentions none of the names bound to
 * Keras/TensorFlow things (modules, Keras classes, layer instances, symbolic tensors) and
 * none of the words the rules declare as their triggers (method and argument names they
 * look for on any receiver) cannot produce a finding or change a relevant binding, so its
 * tree is not walked.
 */
import type { CellResult } from './walk';
import type { StatementFilter, SyntaxNode } from './ast';
import type { RuleDefinition } from './rule';
import type { Env } from './scope';
import { FEATURE_SPACE_TENSORS } from './knowledge';

/**
 * Words the scope tracking itself needs whatever is bound: imports bind modules, classes may
 * derive from Keras classes, a FeatureSpace's encoded features are KerasTensors. Every other word
 * comes from the rules' `triggers`.
 */
const SCOPE_WORDS = ['import', 'class', ...FEATURE_SPACE_TENSORS];

/** A list of rules with what the walk and the relevance filter need from it, built once. */
export interface RuleSet {
  readonly rules: readonly RuleDefinition[];
  /** SCOPE_WORDS plus every rule's trigger words, sorted and without duplicates. */
  readonly words: readonly string[];
  /** The same words as the relevance test looks them up (word characters only). */
  readonly wordSet: ReadonlySet<string>;
  /** Relevance per environment key. */
  readonly cache: Map<string, Relevance>;
}

const ruleSets = new WeakMap<readonly RuleDefinition[], RuleSet>();

export function ruleSetOf(rules: readonly RuleDefinition[]): RuleSet {
  let set = ruleSets.get(rules);
  if (!set) {
    const words = new Set(SCOPE_WORDS);
    for (const rule of rules) {
      for (const word of rule.triggers) {
        words.add(word);
      }
    }
    set = { rules, words: [...words].sort(), wordSet: new Set([...words].map(w => w.replace(/[^\w]/g, ''))), cache: new Map() };
    ruleSets.set(rules, set);
  }
  return set;
}

export const EMPTY_RESULT: CellResult = Object.freeze({ findings: [], reads: [], effects: [], effectsKey: '', links: { model: [], eager: [], functional: [], calls: [], facts: [] } }) as CellResult;

export interface Relevance {
  key: string;
  /**
   * Whether `text[start, end)` mentions a relevant word: a word of `words` that starts the
   * text or follows a character other than a letter or `_`, and ends a run of word characters.
   * A digit before a word does not hide it: tree-sitter reads `1tf.keras` (a syntax error) as
   * the number 1 then the name `tf`, and the rules see that name.
   */
  test(text: string, start?: number, end?: number): boolean;
  /** The relevant names and the rule set's words (word characters only). */
  readonly words: ReadonlySet<string>;
}

/** ASCII letters, digits and `_`: what a regular expression's `\w` matches. */
const WORD = 1;
const DIGIT = 2;

/**
 * WORD or DIGIT for each ASCII code (0 for the rest): the word scans below test every character
 * of every cell, and the CLI runs with TurboFan's inlining off, so a table lookup in the loop is
 * cheaper than a call to a predicate per character.
 */
const CHAR_CLASS = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    table[c] = c >= 48 && c <= 57 ? DIGIT : (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 ? WORD : 0;
  }
  return table;
})();

/** WORD, DIGIT or 0 (not a word character) for a UTF-16 code unit. */
function charClass(c: number): number {
  return c < 128 ? CHAR_CLASS[c] : 0;
}

/**
 * Which (first character, length) pairs the words have: bit `min(length, 31)` of entry
 * `firstChar & 127`. Most runs of word characters in a cell (`x`, `np`, `model`) fail this test,
 * which is far cheaper than cutting the run out of the text to look it up.
 */
function shapesOf(words: Iterable<string>): Uint32Array {
  const shapes = new Uint32Array(128);
  for (const w of words) {
    if (w.length > 0) {
      shapes[w.charCodeAt(0) & 127] |= 1 << Math.min(w.length, 31);
    }
  }
  return shapes;
}

/**
 * Calls `found` with each candidate word of text[start, end) whose first character and length
 * fit `shapes` (a run of word characters, and each tail of a run after a digit inside it) until
 * it returns true; whether one did. One loop for the relevance test and the required-word scan.
 */
function someWordCandidate(shapes: Uint32Array, text: string, start: number, end: number, found: (word: string) => boolean): boolean {
  let i = start;
  while (i < end) {
    const first = text.charCodeAt(i);
    if (first >= 128 || CHAR_CLASS[first] === 0) {
      i++;
      continue;
    }
    const runStart = i;
    let afterDigit = false;
    while (i < end) {
      const c = text.charCodeAt(i);
      const k = c < 128 ? CHAR_CLASS[c] : 0;
      if (k === 0) {
        break;
      }
      if (k === DIGIT && i + 1 < end) {
        afterDigit = true;
      }
      i++;
    }
    // The range's ends count as the text's ends (as when a slice was tested).
    const runEnd = i;
    if ((shapes[text.charCodeAt(runStart) & 127] & (1 << Math.min(runEnd - runStart, 31))) !== 0 && found(text.slice(runStart, runEnd))) {
      return true;
    }
    if (afterDigit) {
      for (let q = runStart + 1; q < runEnd; q++) {
        if (charClass(text.charCodeAt(q - 1)) === DIGIT && found(text.slice(q, runEnd))) {
          return true;
        }
      }
    }
  }
  return false;
}

/**
 * The test of Relevance.test() without a regular expression. Every environment has its own
 * word list, and an alternation of a hundred words compiled per environment cost more than
 * the test itself on a CLI run over many notebooks. A word can only start where a run of
 * word characters starts or right after a digit inside one, and must end where the run ends,
 * so each run gives a few candidates to look up in the set.
 */
function mentionsWord(words: ReadonlySet<string>, names: ReadonlySet<string>, shapes: Uint32Array, text: string, start: number, end: number): boolean {
  return someWordCandidate(shapes, text, start, end, word => words.has(word) || names.has(word));
}

function isRelevantModule(canonical: string): boolean {
  return /^(tensorflow|keras|tf_keras)(\.|$)/.test(canonical);
}

/**
 * The same test by regular expression, kept for a name with no ASCII word character (its
 * empty word matches at word boundaries, which the set lookup does not model).
 */
function regexTest(words: string[]): Relevance['test'] {
  const pattern = new RegExp(`(?:^|[^A-Za-z_])(?:${words.join('|')})\\b`);
  return (text, start = 0, end = text.length) => pattern.test(start === 0 && end === text.length ? text : text.slice(start, end));
}

export function relevanceOf(env: Env, ruleSet: RuleSet): Relevance {
  const names: string[] = [];
  for (const [name, b] of env) {
    if (b.kind !== 'module' || isRelevantModule(b.canonical)) {
      names.push(name);
    }
  }
  names.sort();
  const key = names.join(',');
  const cache = ruleSet.cache;
  let r = cache.get(key);
  if (!r) {
    // The rule set's words are one set for every environment; only the names are new here.
    const wordSet = ruleSet.wordSet;
    const nameSet = new Set(names.map(w => w.replace(/[^\w]/g, '')));
    const all = (): Set<string> => new Set([...wordSet, ...nameSet]);
    const shapes = shapesOf(all());
    r = {
      key,
      get words() {
        return all();
      },
      test:
        wordSet.has('') || nameSet.has('')
          ? regexTest([...all()])
          : (text, start = 0, end = text.length) => mentionsWord(wordSet, nameSet, shapes, text, start, end)
    };
    if (cache.size > 256) {
      cache.clear();
    }
    cache.set(key, r);
  }
  return r;
}

/** Compound statements are always copied: their bodies hold definitions rules look into. */
const ALWAYS_KEPT = new Set([
  'function_definition',
  'class_definition',
  'decorated_definition',
  'if_statement',
  'for_statement',
  'while_statement',
  'try_statement',
  'with_statement',
  'match_statement',
  'ERROR'
]);

const IDENTIFIER = /[A-Za-z_]\w*/g;

/**
 * The top-level statement filter for one cell: a simple statement is copied when it
 * mentions a relevant name, a name bound by an earlier copied statement of the cell, or
 * one of the rule set's words. Everything a skipped statement could bind is therefore
 * irrelevant, so skipping it cannot change a finding.
 */
export function statementFilter(text: string, relevance: Relevance): StatementFilter {
  const local = new Set<string>();
  // Names a kept statement binds, anywhere inside it (branches, loops, handlers included).
  const remember = (stmt: SyntaxNode | null): void => {
    if (!stmt || stmt.children.length === 0) {
      return;
    }
    const stack: SyntaxNode[] = [stmt];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement' || n.type === 'as_pattern') {
        const target = n.children.find(c => c.field === 'left' || c.field === 'alias');
        for (const m of target ? text.slice(target.start, target.end).matchAll(IDENTIFIER) : []) {
          local.add(m[0]);
        }
      } else if (n.type === 'import_statement' || n.type === 'import_from_statement') {
        // Every name an import binds: the first part of a dotted name, or the alias.
        for (const c of n.children) {
          if (c.field === 'module_name') {
            continue;
          }
          const alias = c.type === 'aliased_import' ? c.children.find(a => a.field === 'alias') : null;
          const bound = alias ?? c;
          const m = text.slice(bound.start, bound.end).match(IDENTIFIER);
          if (m) {
            local.add(m[0]);
          }
        }
        continue;
      } else if (n.type === 'class_definition' || n.type === 'function_definition') {
        const name = n.children.find(c => c.field === 'name');
        if (name) {
          local.add(text.slice(name.start, name.end));
        }
      }
      stack.push(...n.children);
    }
  };
  // Earlier statements whose bindings are not in `local` yet: they are read only when a
  // statement has no relevant word, which most kept statements have.
  const unread: SyntaxNode[] = [];
  return (stmt, previous) => {
    if (previous) {
      unread.push(previous);
    }
    if (ALWAYS_KEPT.has(stmt.type)) {
      return true;
    }
    if (relevance.test(text, stmt.start, stmt.end)) {
      return true;
    }
    const slice = text.slice(stmt.start, stmt.end);
    while (unread.length) {
      remember(unread.pop()!);
    }
    if (local.size === 0) {
      return false;
    }
    for (const m of slice.matchAll(IDENTIFIER)) {
      if (local.has(m[0])) {
        return true;
      }
    }
    return false;
  };
}

/**
 * Rule gating (RuleDefinition.requires): the words the rules of a list require, and the
 * sublists of the rules a notebook's words let run, one array per sublist so that the walk's
 * dispatch tables and the relevance cache (both kept per rule list) are built once per sublist.
 */
interface RuleGate {
  /** Every required word of the list's rules. */
  readonly words: ReadonlySet<string>;
  readonly shapes: Uint32Array;
  /** Whether any rule of the list declares `requires` (none: gating changes nothing). */
  readonly gated: boolean;
  /** Rule sublists by which rules run ('1'/'0' per rule). */
  readonly subsets: Map<string, readonly RuleDefinition[]>;
}

const gates = new WeakMap<readonly RuleDefinition[], RuleGate>();

function gateOf(rules: readonly RuleDefinition[]): RuleGate {
  let gate = gates.get(rules);
  if (!gate) {
    const words = new Set<string>();
    for (const rule of rules) {
      rule.requires?.forEach(w => words.add(w));
    }
    gate = { words, shapes: shapesOf(words), gated: rules.some(r => r.requires !== undefined), subsets: new Map() };
    gates.set(rules, gate);
  }
  return gate;
}

/**
 * The words of the rules' `requires` lists that `text` mentions, added to `out`: found as
 * Relevance.test finds a word (a run of word characters, or the part of one after a digit).
 */
export function requiredWordsIn(rules: readonly RuleDefinition[], text: string, out: Set<string>): void {
  const { words, shapes, gated } = gateOf(rules);
  if (!gated) {
    return;
  }
  someWordCandidate(shapes, text, 0, text.length, word => {
    if (words.has(word)) {
      out.add(word);
    }
    return false;
  });
}

/**
 * The rules of `rules` that may act on a notebook mentioning (only) the required words
 * `mentioned` (requiredWordsIn): those without `requires`, and those requiring a mentioned word.
 * The same array for the same answer; `rules` itself when every rule runs.
 */
export function gatedRules(rules: readonly RuleDefinition[], mentioned: ReadonlySet<string>): readonly RuleDefinition[] {
  const gate = gateOf(rules);
  if (!gate.gated) {
    return rules;
  }
  const runs = rules.map(r => r.requires === undefined || r.requires.some(w => mentioned.has(w)));
  if (runs.every(Boolean)) {
    return rules;
  }
  const key = runs.map(r => (r ? '1' : '0')).join('');
  let subset = gate.subsets.get(key);
  if (!subset) {
    subset = rules.filter((_, i) => runs[i]);
    if (gate.subsets.size >= 256) {
      gate.subsets.clear();
    }
    gate.subsets.set(key, subset);
  }
  return subset;
}
