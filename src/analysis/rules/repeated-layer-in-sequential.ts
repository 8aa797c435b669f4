/**
 * repeated-layer-in-sequential (KM335)
 *
 * What it does: flags a `Sequential` built from a list that holds one layer object more than once
 * (appended on every pass of a loop, or listed twice).
 *
 * Why: Keras 2's Sequential without an input shape ran `model.layers`, each object once (repeats
 * dropped); Keras 3 calls the layer at every place, which fails where the sizes differ. The safe
 * fix keeps each layer once (`list(dict.fromkeys(...))`), the model Keras 2 built.
 */
import { child, descendants, enclosingFunctionDefinition, itemsOf, rootOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { binds, callParts, lastAssignedValue } from '../helpers/calls';

const SEQUENTIAL = /^keras\.(models\.)?Sequential$/;
/** A list item or appended value that gives the Sequential an input shape (Keras 2 then called every listed layer). */
const GIVES_INPUT = /\bInput(Layer)?\s*\(|\binput_(shape|dim)\s*=|\bbatch_input_shape\s*=/;

/** The block or module that holds the statements `node` is in (its function's body, else the module). */
function scopeOf(node: SyntaxNode): SyntaxNode {
  const def = enclosingFunctionDefinition(node);
  return def ? child(def, 'body') ?? def : rootOf(node);
}

/**
 * The innermost `for` or `while` loop around `node` inside `scope` that runs it on every pass,
 * or null (also under an `if` or `try` in the loop: `if norm not in parts:` appends it once).
 */
function loopAround(node: SyntaxNode, scope: SyntaxNode): SyntaxNode | null {
  for (let p = node.parent; p && p !== scope; p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'while_statement') {
      return p;
    }
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition' || p.type === 'if_statement' || p.type === 'try_statement') {
      return null;
    }
  }
  return null;
}

/** Whether the loop (its target or a statement in its body) assigns `name`: then each pass may append a new object. */
function loopAssigns(loop: SyntaxNode, name: string, ctx: RuleContext): boolean {
  if (loop.type === 'for_statement' && binds(child(loop, 'left'), name, ctx)) {
    return true;
  }
  for (const n of descendants(loop)) {
    if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'named_expression') {
      const left = child(n, n.type === 'named_expression' ? 'name' : 'left');
      if (left && binds(left, name, ctx)) {
        return true;
      }
    } else if (n.type === 'for_statement' && binds(child(n, 'left'), name, ctx)) {
      return true;
    }
  }
  return false;
}

/**
 * The name of a layer object that `listName.append(NAME)` appends on every pass of a loop, before
 * `at`, to the list `listName` starts as (`[]`), when nothing appended to it gives an input shape.
 */
function appendedInLoop(listName: string, at: SyntaxNode, ctx: RuleContext): string | null {
  // What the list starts as (`[]`; a statement that names nothing Keras may be left out of the analysed text: then unknown).
  const start = lastAssignedValue(listName, at, ctx);
  if (start && (start.type !== 'list' || GIVES_INPUT.test(ctx.textOf(start)))) {
    return null;
  }
  const from = start ? start.end : 0;
  const scope = scopeOf(at);
  let repeated: string | null = null;
  for (const n of descendants(scope)) {
    if (n.start >= at.start) {
      break;
    }
    if (n.type !== 'call' || n.start < from) {
      continue;
    }
    const fn = child(n, 'function');
    const object = fn?.type === 'attribute' ? child(fn, 'object') : null;
    const attr = fn?.type === 'attribute' ? child(fn, 'attribute') : null;
    if (!object || !attr || object.type !== 'identifier' || ctx.textOf(object) !== listName) {
      continue;
    }
    const method = ctx.textOf(attr);
    const parts = callParts(n, ctx);
    if (method !== 'append' && method !== 'extend' && method !== 'insert') {
      continue;
    }
    if (method !== 'append' || GIVES_INPUT.test(ctx.textOf(n))) {
      return null; // something else reaches the list (extend, insert, an Input): not followed
    }
    const value = parts && !parts.splat && parts.positional.length === 1 ? parts.positional[0] : null;
    if (!value || value.type !== 'identifier' || repeated) {
      continue;
    }
    const name = ctx.textOf(value);
    const loop = loopAround(n, scope);
    if (loop && loop.start >= from && !loopAssigns(loop, name, ctx)) {
      repeated = name;
    }
  }
  return repeated;
}

/** A name listed twice in a list literal of layers (`[norm, Dense(8), norm]`), when no item gives an input shape. */
function listedTwice(list: SyntaxNode, ctx: RuleContext): string | null {
  if (GIVES_INPUT.test(ctx.textOf(list))) {
    return null;
  }
  const seen = new Set<string>();
  for (const item of itemsOf(list)) {
    if (item.type !== 'identifier') {
      continue;
    }
    const name = ctx.textOf(item);
    if (seen.has(name)) {
      return name;
    }
    seen.add(name);
  }
  return null;
}

function visit(call: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(call, ctx);
  if (!parts || parts.splat || !SEQUENTIAL.test(ctx.resolveKeras(parts.fn) ?? '')) {
    return;
  }
  const arg = parts.positional[0] ?? parts.keywords.get('layers')?.value;
  if (!arg) {
    return;
  }
  let repeated: string | null = null;
  let how = '';
  if (arg.type === 'list') {
    repeated = listedTwice(arg, ctx);
    how = `\`${repeated}\` is listed more than once`;
  } else if (arg.type === 'identifier') {
    repeated = appendedInLoop(ctx.textOf(arg), call, ctx);
    how = `\`${repeated}\` is appended to \`${ctx.textOf(arg)}\` on every pass of a loop`;
  }
  if (!repeated) {
    return;
  }
  const text = ctx.textOf(arg);
  ctx.report(
    arg,
    `${how}, and the list becomes a \`Sequential\`: a Keras 2 Sequential built without an input shape kept each layer object once (the repeats were dropped), while Keras 3 calls the layer at every place it is listed. Where its input there has another size, the model fails on every backend (a \`BatchNormalization\`: "expected axis -1 of input shape to have value ..."; a \`LayerNormalization\`: an error in its call, or "Unable to automatically build the model" at \`fit\`); where it has the same size, the layer runs again with the same weights. \`list(dict.fromkeys(...))\` keeps each layer once, as Keras 2 did; to have a new layer at each place, create it in the loop (pass a layer class or a \`functools.partial\` and call it).`,
    { title: 'Keep each layer once, as Keras 2 did', safe: true, edits: [{ start: arg.start, end: arg.end, text: `list(dict.fromkeys(${text}))` }] }
  );
}

export const repeatedLayerInSequential: RuleDefinition = {
  code: 'KM335',
  name: 'repeated-layer-in-sequential',
  slug: 'api-changes',
  severity: 'warning',
  // Fails only where the repeated layer gets inputs of another size: no backend claimed.
  blocks: [],
  fixAvailability: 'always',
  triggers: ['Sequential'],
  docs: {
    whatItDoes:
      'Flags a `Sequential` model built from a list that holds one layer object more than once: a layer appended on every pass of a loop (keras.io TabTransformer\'s `mlp_layers.append(normalization_layer)` with one `LayerNormalization` instance passed in), or a name listed twice in a list literal.',
    why:
      'A Keras 2 Sequential model built without an input shape ran the layers of `model.layers`, which lists each layer object once: the repeats were silently dropped. Keras 3 keeps the list as given and calls the layer at every place: where the input at the second place has another size (a `BatchNormalization` before a wider `Dense`), building the model fails on every backend ("Input 0 of layer ... is incompatible with the layer: expected axis -1 of input shape to have value 4, but received input with shape (None, 8)"); where it has the same size, the model applies the layer more often than in Keras 2, with shared weights. Keeping each layer once (`list(dict.fromkeys(layers))`, in order of first appearance) builds the model Keras 2 built, so the fix is safe. A list that gives an input shape (`keras.Input`, `input_shape=`) is not flagged: there Keras 2 called every listed layer too. Not covered by the migration guide.',
    example:
      'import keras\nfrom keras import layers\n\ndef mlp(units_list, norm):\n    stack = []\n    for units in units_list:\n        stack.append(norm)\n        stack.append(layers.Dense(units, activation="relu"))\n    return keras.Sequential(stack)\n\nblock = mlp([8, 4], layers.BatchNormalization())',
    useInstead:
      'import keras\nfrom keras import layers\n\ndef mlp(units_list, norm):\n    stack = []\n    for units in units_list:\n        stack.append(norm)\n        stack.append(layers.Dense(units, activation="relu"))\n    return keras.Sequential(list(dict.fromkeys(stack)))\n\nblock = mlp([8, 4], layers.BatchNormalization())'
  },
  requires: ['Sequential'],
  calls: { names: ['Sequential'] },
  visitors: { call: visit }
};
