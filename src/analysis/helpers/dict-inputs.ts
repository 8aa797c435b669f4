/**
 * The keys of a Functional model's dict of Inputs and the column names of a CSV dataset, where the
 * program spells both with string constants (keras.io's structured-data examples: `CSV_HEADER = [...]`,
 * `FEATURE_NAMES = NUMERIC_FEATURE_NAMES + list(VOCABULARY.keys())`, `{name: layers.Input(name=name)
 * for name in FEATURE_NAMES}`). Not a rule.
 *
 * Module-level constants are read from their text: a statement without a Keras word in it has no
 * children in the filtered tree, so the tree cannot give a plain list of strings.
 */
import { child, definedFunction, globalNamesOf, itemsOf, SyntaxNode } from '../ast';
import { INPUT_FACTORIES } from '../knowledge';
import type { RuleContext } from '../rule';
import { callParts } from './calls';
import { splitTopLevel } from './code-text';
import { nodesOfType } from './layer-calls';

const MAX_DEPTH = 6;
const STRING = /^(['"])([^'"\\\n]*)\1$/;
const FUNCTIONAL_MODEL = new Set(['keras.Model', 'keras.models.Model']);

/**
 * The module's names assigned exactly once (`NAME = value`), with the text of the value: at its top
 * level, or in a function of it that declares the name `global` (constants set up in a function).
 */
function moduleConstants(root: SyntaxNode, ctx: RuleContext): Map<string, string | null> {
  const constants = new Map<string, string | null>();
  const read = (statement: SyntaxNode, only: ReadonlySet<string> | null): void => {
    if (statement.type !== 'expression_statement') {
      return;
    }
    const m = /^([A-Za-z_]\w*)\s*=(?!=)\s*([^]*)$/.exec(ctx.textOf(statement).trim());
    if (m && (!only || only.has(m[1]))) {
      constants.set(m[1], constants.has(m[1]) ? null : m[2].trim());
    }
  };
  for (const statement of root.children) {
    const def = definedFunction(statement);
    const globals = def ? globalNamesOf(def, ctx.text) : null;
    const body = def && globals && globals.size > 0 ? child(def, 'body') : null;
    if (body) {
      body.children.forEach(s => read(s, globals));
    } else {
      read(statement, null);
    }
  }
  return constants;
}

/** Reads string constants and lists of them from text, through the module's constants. */
class ConstantReader {
  constructor(private readonly constants: Map<string, string | null>) {}

  /** A string literal, or a name bound to one. */
  string(text: string, depth = 0): string | null {
    const t = text.trim();
    const literal = STRING.exec(t);
    if (literal) {
      return literal[2];
    }
    const value = /^[A-Za-z_]\w*$/.test(t) && depth < MAX_DEPTH ? this.constants.get(t) : null;
    return value ? this.string(value, depth + 1) : null;
  }

  /**
   * A list of strings: a list or tuple literal of strings, `A + B`, `list(X)`, `sorted(X)`,
   * `tuple(X)`, the keys of a dict literal (`list(D.keys())`, `D.keys()`, `list(D)`), or a name
   * bound to one of these. The order is the program's, except after `sorted`.
   */
  strings(text: string, depth = 0): string[] | null {
    if (depth > MAX_DEPTH) {
      return null;
    }
    let t = text.trim();
    while (t.startsWith('(') && t.endsWith(')') && splitTopLevel(t.slice(1, -1), ',')?.length === 1) {
      t = t.slice(1, -1).trim();
    }
    const sum = splitTopLevel(t, '+');
    if (!sum) {
      return null;
    }
    if (sum.length > 1) {
      const parts = sum.map(p => this.strings(p, depth + 1));
      return parts.every(p => p !== null) ? (parts as string[][]).flat() : null;
    }
    if ((t.startsWith('[') && t.endsWith(']')) || (t.startsWith('(') && t.endsWith(')'))) {
      const items = splitTopLevel(t.slice(1, -1), ',')?.filter(i => i !== '');
      const values = items?.map(i => this.string(i, depth + 1));
      return values && values.every(v => v !== null) ? (values as string[]) : null;
    }
    const call = /^(list|sorted|tuple)\s*\(([^]*)\)$/.exec(t);
    if (call) {
      const inner = this.strings(call[2], depth + 1) ?? this.dictKeys(call[2], depth + 1);
      return inner && call[1] === 'sorted' ? [...inner].sort() : inner;
    }
    const keys = /^([A-Za-z_]\w*)\s*\.\s*keys\s*\(\s*\)$/.exec(t);
    if (keys) {
      return this.dictKeys(keys[1], depth + 1);
    }
    if (/^[A-Za-z_]\w*$/.test(t)) {
      const value = this.constants.get(t);
      return value ? this.strings(value, depth + 1) : null;
    }
    return null;
  }

  /** The keys of a dict literal with string keys, or of a name bound to one. */
  private dictKeys(text: string, depth: number): string[] | null {
    const t = text.trim().replace(/\s*\.\s*keys\s*\(\s*\)$/, '');
    const value = /^[A-Za-z_]\w*$/.test(t) ? this.constants.get(t) : t;
    if (!value || !value.startsWith('{') || !value.endsWith('}') || depth > MAX_DEPTH) {
      return null;
    }
    const items = splitTopLevel(value.slice(1, -1), ',')?.filter(i => i !== '');
    const keys = items?.map(i => {
      const pair = splitTopLevel(i, ':');
      return pair && pair.length === 2 ? this.string(pair[0], depth + 1) : null;
    });
    return keys && keys.every(k => k !== null) ? (keys as string[]) : null;
  }
}

/** A reader of the module's string constants, for the tree `root` of the program. */
export function constantReader(root: SyntaxNode, ctx: RuleContext): ConstantReader {
  return new ConstantReader(moduleConstants(root, ctx));
}
export type { ConstantReader };

/** Whether `node` makes a `keras.Input` (a call of it, or a conditional choosing between calls of it). */
function makesInput(node: SyntaxNode | null, ctx: RuleContext): boolean {
  if (!node) {
    return false;
  }
  if (node.type === 'call') {
    const fn = child(node, 'function');
    return !!fn && INPUT_FACTORIES.has(ctx.resolveKeras(fn) ?? '');
  }
  // The compact tree keeps neither keywords nor brackets: a conditional's children are value, condition, value.
  const parts = itemsOf(node);
  if (node.type === 'conditional_expression') {
    return makesInput(parts[0] ?? null, ctx) && makesInput(parts[2] ?? null, ctx);
  }
  if (node.type === 'parenthesized_expression') {
    return parts.length === 1 && makesInput(parts[0], ctx);
  }
  return false;
}

export interface DictInputs {
  /** The dict's keys, in the program's order. */
  keys: string[];
  /** The module-level name the dict is built over (`FEATURE_NAMES`), when it is one. */
  over: string | null;
}

/**
 * The keys of the program's dict of `keras.Input`s: a dict comprehension over a list of strings
 * (`{name: keras.Input(name=name, ...) for name in NAMES}`), a loop assigning `inputs[name] =
 * keras.Input(...)` over one, or a dict literal with string keys. Null when there is none, when
 * two of them differ, or when a Functional model of the program is built on a list or tuple of
 * Inputs (the model fed the data might then be that one).
 */
export function dictInputs(root: SyntaxNode, reader: ConstantReader, ctx: RuleContext): DictInputs | null {
  const found: DictInputs[] = [];
  for (const comprehension of nodesOfType(root, 'dictionary_comprehension')) {
    // The compact tree keeps no field names here: the body (a `pair`: key, value) comes first, and
    // a `for_in_clause` holds the variable, then the iterable.
    const pair = comprehension.children[0];
    const clauses = comprehension.children.filter(c => c.type === 'for_in_clause');
    const [variable, iterable] = clauses.length === 1 ? itemsOf(clauses[0]) : [];
    if (pair?.type !== 'pair' || !variable || !iterable || !makesInput(itemsOf(pair)[1] ?? null, ctx)) {
      continue;
    }
    const key = itemsOf(pair)[0];
    const keys = key && ctx.textOf(key) === ctx.textOf(variable) ? reader.strings(ctx.textOf(iterable)) : null;
    if (!keys) {
      return null;
    }
    found.push({ keys, over: iterable.type === 'identifier' ? ctx.textOf(iterable) : null });
  }
  for (const loop of nodesOfType(root, 'for_statement')) {
    const variable = child(loop, 'left');
    const iterable = child(loop, 'right');
    const body = child(loop, 'body');
    const stored = body
      ? [...nodesOfType(body, 'assignment')].filter(a => {
          const left = child(a, 'left');
          const index = left?.type === 'subscript' ? child(left, 'subscript') : null;
          return !!index && !!variable && ctx.textOf(index) === ctx.textOf(variable) && makesInput(child(a, 'right'), ctx);
        })
      : [];
    if (stored.length === 0 || !iterable) {
      continue;
    }
    const keys = reader.strings(ctx.textOf(iterable));
    if (!keys) {
      return null;
    }
    found.push({ keys, over: iterable.type === 'identifier' ? ctx.textOf(iterable) : null });
  }
  for (const dict of nodesOfType(root, 'dictionary')) {
    const pairs = dict.children.filter(c => c.type === 'pair');
    if (pairs.length === 0 || !pairs.every(p => makesInput(itemsOf(p)[1] ?? null, ctx))) {
      continue;
    }
    const keys = pairs.map(p => reader.string(ctx.textOf(itemsOf(p)[0])));
    if (!keys.every(k => k !== null)) {
      return null;
    }
    found.push({ keys: keys as string[], over: null });
  }
  for (const call of nodesOfType(root, 'call')) {
    const parts = callParts(call, ctx);
    if (parts && FUNCTIONAL_MODEL.has(ctx.resolveKeras(parts.fn) ?? '')) {
      const inputs = parts.keywords.get('inputs')?.value ?? parts.positional[0];
      const listed = inputs?.type === 'call' && /^(list|tuple)\s*\(|\.values\s*\(/.test(ctx.textOf(inputs));
      if (inputs && (listed || !['identifier', 'dictionary', 'call'].includes(inputs.type))) {
        return null;
      }
    }
  }
  if (found.length === 0) {
    return null;
  }
  const same = (a: string[], b: string[]): boolean => a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0');
  return found.every(f => same(f.keys, found[0].keys)) ? found[0] : null;
}
