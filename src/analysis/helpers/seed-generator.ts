/**
 * Seeded random numbers in a Keras layer: the `keras.random.SeedGenerator` a layer or model
 * holds (created in `__init__`) and passes as `seed=` to every `keras.random` call. Under JAX a
 * traced `call` may only draw from such a generator (an unseeded draw raises, a TF random op
 * cannot take a traced shape); the guide's "RNG handling" section writes layers this way.
 */
import type { OffsetEdit, RuleContext } from '../rule';
import { CellMemoKey, nodeMemo } from '../rule';
import { child, itemsOf, SyntaxNode } from '../ast';
import { appendArgument } from './calls';
import { nodesUnder } from './multi-optimizer-step';
import { kerasMethodName } from './model-code';
import { initAttributeEdit } from './init-attribute';
import { lineStartAt } from '../text';

export interface SeedGeneratorUse {
  /** What to pass as `seed=` (`self.seed_generator`). */
  seed: string;
  /** Edits that create the generator in `__init__` (none when the class has one) and add `import keras`. */
  edits: OffsetEdit[];
}

const EXISTING = /\bself\.(\w+)\s*=\s*(?:[\w.]+\.)?SeedGenerator\(/;
/** Methods that run eagerly once (not traced): a draw there needs no generator. */
export const EAGER_METHODS = new Set(['__init__', 'build', 'get_config', 'from_config']);

/**
 * The seed generator of the Keras layer or model whose method encloses the current node,
 * creating one (`initialSeed`, e.g. `1337` or empty) when the class has none; null outside
 * such a method, in `__init__`, or when `__init__` does not call `super().__init__` (the
 * generator must be set after it).
 */
export function seedGeneratorFor(ctx: RuleContext, initialSeed: string): SeedGeneratorUse | null {
  const cls = ctx.cls;
  const method = kerasMethodName(ctx);
  if (!cls || (cls.keras !== 'layer' && cls.keras !== 'model') || !method || method === '__init__') {
    return null;
  }
  const classText = ctx.textOf(cls.node);
  const existing = EXISTING.exec(classText);
  if (existing) {
    return { seed: `self.${existing[1]}`, edits: [] };
  }
  if (madeInTracedMethod(cls.node, cls.name, ctx)) {
    return null;
  }
  const attribute = /\bself\.seed_generator\b/.test(classText) ? 'rng_seed_generator' : 'seed_generator';
  const creation = `self.${attribute} = keras.random.SeedGenerator(${initialSeed})`;
  const edit = initAttributeEdit(cls.node, creation, ctx);
  if (!edit) {
    return null;
  }
  const edits: OffsetEdit[] = [edit];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  return { seed: `self.${attribute}`, edits };
}

/**
 * Whether the cell makes an instance of class NAME inside a traced method of a class (`z =
 * Sampling()([mean, log_var])` in a model's `call`, keras.io's molecule VAE): a generator created in
 * its `__init__` is a new variable at every trace, which TensorFlow's tf.function refuses ("only
 * supports singleton tf.Variables created on the first call"; checked by running), so no generator
 * is added there.
 */
export function madeInTracedMethod(cls: SyntaxNode, name: string, ctx: RuleContext): boolean {
  let root = cls;
  while (root.parent) {
    root = root.parent;
  }
  const stack: Array<{ node: SyntaxNode; traced: boolean }> = [{ node: root, traced: false }];
  while (stack.length) {
    const { node, traced } = stack.pop()!;
    if (traced && node.type === 'call') {
      const fn = child(node, 'function');
      if (fn && fn.type === 'identifier' && ctx.textOf(fn) === name) {
        return true;
      }
    }
    let inside = traced;
    if (node.type === 'function_definition') {
      const holder = node.parent?.type === 'decorated_definition' ? node.parent.parent : node.parent;
      const method = holder?.type === 'block' && holder.parent?.type === 'class_definition';
      const nameNode = child(node, 'name');
      const fname = nameNode ? ctx.textOf(nameNode) : '';
      inside = traced || (method && !EAGER_METHODS.has(fname));
    }
    for (const c of node.children) {
      stack.push({ node: c, traced: inside });
    }
  }
  return false;
}

/**
 * A `keras.layers.Lambda(lambda x: ...)` whose function makes one random draw (keras.io VQ-VAE's
 * sampler: `Lambda(lambda logits: tf.random.categorical(...))`). A Lambda holds no state, and on
 * JAX a traced draw needs a generator the model tracks (a module-level generator is not advanced
 * by `predict()` there: every call draws the same numbers, checked on Keras 3.15), so the draw
 * moves into a small layer class holding one, defined before the statement that makes the Lambda.
 */
export interface RandomLambda {
  /** The `Lambda(...)` call the layer class replaces. */
  lambdaCall: SyntaxNode;
  /** The lambda's body (its text becomes `call()`'s return value). */
  body: SyntaxNode;
  /** The lambda's parameter. */
  parameter: string;
  /** Where the class goes (the start of the enclosing statement's line) and that line's indentation. */
  insertAt: number;
  indent: string;
  /** `name=...` kept from the Lambda call. */
  keywords: string[];
}

/** The Lambda around a draw `call`, when the rewrite applies (see RandomLambda), else null. */
export function randomLambda(call: SyntaxNode, ctx: RuleContext, isDraw: (n: SyntaxNode) => boolean): RandomLambda | null {
  let lambda: SyntaxNode | null = call.parent;
  while (lambda && lambda.type !== 'lambda') {
    if (lambda.type === 'block' || lambda.type === 'module') {
      return null;
    }
    lambda = lambda.parent;
  }
  const args = lambda?.parent?.type === 'argument_list' ? lambda.parent : null;
  const lambdaCall = args?.parent?.type === 'call' ? args.parent : null;
  const fn = lambdaCall ? child(lambdaCall, 'function') : null;
  if (!lambda || !args || !lambdaCall || !fn || ctx.resolveKeras(fn) !== 'keras.layers.Lambda' || args.children[0] !== lambda) {
    return null;
  }
  const params = child(lambda, 'parameters');
  const body = child(lambda, 'body');
  const names = params ? params.children.filter(c => c.type !== 'comment') : [];
  if (!body || names.length !== 1 || names[0].type !== 'identifier') {
    return null;
  }
  // Only `name=` besides the function (`output_shape=`, `arguments=`, `mask=` are Lambda's own).
  const rest = args.children.slice(1).filter(c => c.type !== 'comment');
  if (rest.some(c => c.type !== 'keyword_argument' || ctx.textOf(child(c, 'name') ?? c) !== 'name')) {
    return null;
  }
  // One draw in the function: the class's generator serves it.
  let draws = 0;
  const stack = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call' && isDraw(n)) {
      draws++;
    }
    stack.push(...n.children);
  }
  let statement: SyntaxNode = lambdaCall;
  while (statement.parent && statement.parent.type !== 'module' && statement.parent.type !== 'block') {
    statement = statement.parent;
  }
  const lineStart = lineStartAt(ctx.text, statement.start);
  const indent = ctx.text.slice(lineStart, statement.start);
  if (draws !== 1 || !/^[ \t]*$/.test(indent)) {
    return null;
  }
  return { lambdaCall, body, parameter: ctx.textOf(names[0]), insertAt: lineStart, indent, keywords: rest.map(c => ctx.textOf(c)) };
}

/** A class name not used in `text`: `base`, else `base2`, `base3`... */
export function unusedClassName(base: string, text: string): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}${i}`;
    if (!new RegExp(`\\b${name}\\b`).test(text)) {
      return name;
    }
  }
}

/**
 * The seed for a draw in a function a `keras.layers.Lambda` runs (`def sampling(args)` then
 * `Lambda(sampling)(...)`, every Keras 2 VAE; or `Lambda(lambda t: ...)`): the function takes a
 * `seed=None` parameter and each Lambda passes it a generator through `arguments=`. The Lambda
 * tracks the generator it holds in `arguments`, so JAX advances it at every traced call, as a
 * layer's own (checked by running Keras 3.15 on all three backends: new numbers per batch, and a
 * `.keras` round trip); a module-level generator is not advanced there (every batch draws the
 * same numbers). Null when the function is a method, takes `**kwargs`, or a Lambda that runs it
 * cannot be seen in the cell or already passes `arguments=` other than a dict literal.
 */
export function lambdaFunctionSeed(draw: SyntaxNode, ctx: RuleContext): SeedGeneratorUse | null {
  let fn: SyntaxNode | null = draw.parent;
  while (fn && fn.type !== 'lambda' && fn.type !== 'function_definition' && fn.type !== 'class_definition') {
    fn = fn.parent;
  }
  if (!fn || fn.type === 'class_definition') {
    return null;
  }
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
  if (fn.type === 'function_definition' && holder?.type === 'block' && holder.parent?.type === 'class_definition') {
    return null;
  }
  const params = child(fn, 'parameters');
  const paramItems = params ? itemsOf(params) : [];
  if (paramItems.some(p => p.type === 'dictionary_splat_pattern')) {
    return null;
  }
  const paramName = (p: SyntaxNode) => {
    const n = p.type === 'identifier' ? p : (child(p, 'name') ?? p.children.find(c => c.type === 'identifier') ?? null);
    return n ? ctx.textOf(n) : '';
  };
  const hasSeed = paramItems.some(p => paramName(p) === 'seed');
  // The Lambda calls that run the function.
  let lambdaCalls: SyntaxNode[];
  if (fn.type === 'lambda') {
    const call = fn.parent?.type === 'argument_list' && fn.parent.parent?.type === 'call' ? fn.parent.parent : null;
    const callee = call ? child(call, 'function') : null;
    lambdaCalls = call && callee && ctx.resolveKeras(callee) === 'keras.layers.Lambda' && itemsOf(fn.parent!)[0] === fn ? [call] : [];
  } else {
    const nameNode = child(fn, 'name');
    const name = nameNode ? ctx.textOf(nameNode) : '';
    let root = fn;
    while (root.parent) {
      root = root.parent;
    }
    lambdaCalls = lambdaCallsOf(root, ctx).filter(call => {
      const args = child(call, 'arguments');
      const first = args ? itemsOf(args)[0] : null;
      const given = first?.type === 'keyword_argument' && first && ctx.textOf(child(first, 'name') ?? first) === 'function' ? child(first, 'value') : first;
      return !!given && given.type === 'identifier' && ctx.textOf(given) === name;
    });
  }
  if (!lambdaCalls.length) {
    return null;
  }
  const generator = '"seed": keras.random.SeedGenerator()';
  const edits: OffsetEdit[] = [];
  for (const call of lambdaCalls) {
    const args = child(call, 'arguments')!;
    const given = itemsOf(args).find(a => a.type === 'keyword_argument' && ctx.textOf(child(a, 'name') ?? a) === 'arguments');
    const value = given ? child(given, 'value') : null;
    if (itemsOf(args).some(a => a.type === 'list_splat' || a.type === 'dictionary_splat')) {
      return null;
    }
    if (!value) {
      edits.push(appendArgument(args, `arguments={${generator}}`, ctx));
    } else if (value.type === 'dictionary') {
      if (/["']seed["']\s*:/.test(ctx.textOf(value))) {
        continue;
      }
      const entries = itemsOf(value);
      edits.push(entries.length ? { start: value.start + 1, end: value.start + 1, text: `${generator}, ` } : { start: value.start + 1, end: value.end - 1, text: generator });
    } else {
      return null;
    }
  }
  if (!hasSeed) {
    if (fn.type === 'lambda') {
      const last = paramItems[paramItems.length - 1];
      if (!last) {
        return null;
      }
      edits.push({ start: last.end, end: last.end, text: ', seed=None' });
    } else if (params) {
      edits.push(appendArgument(params, 'seed=None', ctx));
    }
  }
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  return { seed: 'seed', edits };
}

/** `keras.layers.Lambda(...)` calls in a tree, kept per tree. */
const LAMBDA_CALLS = new CellMemoKey<Map<SyntaxNode, SyntaxNode[]>>('lambda-calls');
function lambdaCallsOf(root: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  return nodeMemo(ctx, LAMBDA_CALLS, root, () =>
    nodesUnder(root, n => {
      if (n.type !== 'call') {
        return false;
      }
      const callee = child(n, 'function');
      return !!callee && /(^|\.)Lambda$/.test(ctx.textOf(callee)) && ctx.resolveKeras(callee) === 'keras.layers.Lambda';
    })
  );
}
