/**
 * bag-of-words-vectorization-of-string-column (KM275)
 *
 * What it does: flags a `TextVectorization` layer with `output_mode="multi_hot"`, `"count"` or
 * `"tf_idf"` applied to a `keras.Input(shape=(1,), dtype="string")`: the keras.io preprocessing
 * guide's end-to-end model, `x = text_vectorizer(inputs)` then `outputs = model(x)`.
 *
 * Why: Keras 2 gave the symbolic output the shape `(None, vocabulary)`, as the layer gives on data.
 * Keras 3 keeps the input's axis of one in the symbolic output, `(None, 1, vocabulary)`, while the
 * layer still returns `(batch, vocabulary)` on data: a model built for `(None, vocabulary)` then
 * fails to build on every backend ("expected shape=(None, 23), found shape=(None, 1, 23)"), and
 * layers applied directly get the extra axis. `keras.Input(shape=(), dtype="string")` (one string
 * per example) gives the Keras 2 shapes, and the model takes the same data as before: a batch of
 * strings, `(batch,)` or `(batch, 1)`. Checked by running Keras 3.15 on TensorFlow (building,
 * calling and predicting); the string model itself runs on TensorFlow only (KM192).
 *
 * Example:
 *   inputs = keras.Input(shape=(1,), dtype="string")
 *   x = text_vectorizer(inputs)  # TextVectorization(output_mode="multi_hot")
 *   end_to_end_model = keras.Model(inputs, model(x))
 *
 * Use instead:
 *   inputs = keras.Input(shape=(), dtype="string")
 *   x = text_vectorizer(inputs)
 *   end_to_end_model = keras.Model(inputs, model(x))
 *
 * Fix (safe): the input's shape becomes `()`, when the input is used only by the vectorizer and
 * the `keras.Model(...)` naming its inputs; otherwise a suggestion (another layer reading the input
 * would see the new shape too).
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue, stringValue } from '../helpers/calls';
import { closingBracket, codeOnly } from '../helpers/code-text';

/** Output modes that reduce the tokens of each string to one vector. */
const BAG_MODES = new Set(['multi_hot', 'count', 'tf_idf']);
const INPUT_FACTORIES = new Set(['keras.Input', 'keras.layers.Input']);
const MODEL_CLASSES = new Set(['keras.Model', 'keras.models.Model', 'keras.Sequential', 'keras.models.Sequential']);

/** The call a name was last assigned (or the call itself), else null. */
function constructedBy(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const value = node.type === 'identifier' ? lastAssignedValue(ctx.textOf(node), node, ctx) : node;
  return value?.type === 'call' ? value : null;
}

/** The output mode of the bag-of-words `TextVectorization` a callee names or constructs, else null. */
function bagMode(callee: SyntaxNode, ctx: RuleContext): string | null {
  const ctor = constructedBy(callee, ctx);
  const parts = ctor && callParts(ctor, ctx);
  if (!parts || ctx.resolveKeras(parts.fn) !== 'keras.layers.TextVectorization') {
    return null;
  }
  const mode = stringValue(parts.keywords.get('output_mode')?.value, ctx);
  // Keras spells TF-IDF `tf_idf` and also takes `tf-idf` (the keras.io guide writes the latter).
  return mode && BAG_MODES.has(mode.replace('-', '_')) ? mode : null;
}

/** The shape argument of a `keras.Input(shape=(1,), dtype="string")` call an argument names, else null. */
function stringColumnShape(argument: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const input = constructedBy(argument, ctx);
  const parts = input && callParts(input, ctx);
  if (!parts || !INPUT_FACTORIES.has(ctx.resolveKeras(parts.fn) ?? '')) {
    return null;
  }
  const dtype = parts.keywords.get('dtype')?.value;
  const isString = !!dtype && (stringValue(dtype, ctx) === 'string' || /^(tf|tensorflow)\.string$/.test(ctx.textOf(dtype)));
  const shape = parts.keywords.get('shape')?.value ?? (parts.keywords.has('shape') ? null : parts.positional[0] ?? null);
  return isString && shape && /^(\(\s*1\s*,\s*\)|\[\s*1\s*\])$/.test(ctx.textOf(shape)) ? shape : null;
}

/**
 * Whether the input name, from its `name = keras.Input(...)` to the next assignment of the name,
 * is used only by this vectorizer call and inside `keras.Model(...)` calls (the fix then changes
 * nothing else).
 */
function usedOnlyThere(name: string, input: SyntaxNode, call: SyntaxNode, ctx: RuleContext): boolean {
  const code = codeOnly(ctx.text);
  const from = input.parent?.type === 'assignment' ? input.parent.start : input.start;
  const rebound = new RegExp(`(^|\\n)[ \\t]*${name}[ \\t]*=(?!=)`, 'g');
  rebound.lastIndex = input.end;
  const to = rebound.exec(code)?.index ?? code.length;
  const mentions = [...code.slice(from, to).matchAll(new RegExp(`\\b${name}\\b`, 'g'))].map(m => from + m.index);
  const modelSpans = [...code.slice(from, to).matchAll(/\b(?:keras\.)?(?:models\.)?Model\s*\(/g)].map(m => {
    const open = from + m.index + m[0].length - 1;
    return [open, closingBracket(code, open)] as const;
  });
  return mentions.every(
    at => at === from || (call.start <= at && at < call.end) || modelSpans.some(([open, close]) => open < at && at < close)
  );
}

/** Whether the call's value (directly, or the name it is assigned to) is handed to a Keras model call. */
function feedsAModel(call: SyntaxNode, ctx: RuleContext): boolean {
  let value: SyntaxNode = call;
  const assignment = call.parent?.type === 'assignment' && child(call.parent, 'right') === call ? call.parent : null;
  const target = assignment ? child(assignment, 'left') : null;
  const consumers: SyntaxNode[] = [];
  if (call.parent?.type === 'argument_list' && call.parent.parent?.type === 'call') {
    consumers.push(call.parent.parent);
  }
  if (target?.type === 'identifier') {
    value = target;
    const name = ctx.textOf(target);
    const scope = assignment!.parent?.parent;
    const stack = scope ? [...scope.children] : [];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'call' && n.start > value.end) {
        const args = child(n, 'arguments');
        if (args?.children.some(a => a.type === 'identifier' && ctx.textOf(a) === name)) {
          consumers.push(n);
        }
      }
      if (n.type !== 'function_definition' && n.type !== 'class_definition') {
        stack.push(...n.children);
      }
    }
  }
  return consumers.some(consumer => {
    const fn = child(consumer, 'function');
    const ctor = fn && fn.type === 'identifier' ? constructedBy(fn, ctx) : null;
    const parts = ctor && callParts(ctor, ctx);
    return !!parts && MODEL_CLASSES.has(ctx.resolveKeras(parts.fn) ?? '');
  });
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.positional.length !== 1 || parts.keywords.size || parts.splat) {
    return;
  }
  const mode = bagMode(parts.fn, ctx);
  const shape = mode ? stringColumnShape(parts.positional[0], ctx) : null;
  if (!mode || !shape) {
    return;
  }
  const argument = parts.positional[0];
  const input = argument.type === 'identifier' ? lastAssignedValue(ctx.textOf(argument), argument, ctx) : null;
  const safe = !!input && usedOnlyThere(ctx.textOf(argument), input, node, ctx);
  const fails = feedsAModel(node, ctx);
  ctx.report(
    node,
    `\`${ctx.textOf(parts.fn)}\` (TextVectorization, output_mode="${mode}") is applied to a string Input of shape \`${ctx.textOf(shape)}\`: Keras 3 keeps that axis of one in the symbolic output, \`(None, 1, vocabulary)\` where Keras 2 gave \`(None, vocabulary)\` (on data the layer still returns \`(batch, vocabulary)\`)` +
      (fails
        ? ', so the model it feeds, built for `(None, vocabulary)`, fails to build on every backend ("expected shape=(None, V), found shape=(None, 1, V)").'
        : ', so the layers after it get an extra axis.') +
      ' Declare the input as `keras.Input(shape=(), dtype="string")` (one string per example; it takes the same data).',
    { title: 'Use `shape=()` for the string input', safe, edits: [{ start: shape.start, end: shape.end, text: '()' }] },
    undefined,
    undefined,
    fails ? ['tensorflow', 'jax', 'torch'] : []
  );
}

export const bagOfWordsVectorizationOfStringColumn: RuleDefinition = {
  code: 'KM275',
  name: 'bag-of-words-vectorization-of-string-column',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Where the output feeds a Keras model built for `(None, vocabulary)`: checked by running Keras
   * 3.15.1 on TensorFlow, JAX and PyTorch (the model fails to build on each; tf_keras 2.21 builds it).
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a `TextVectorization` layer with `output_mode="multi_hot"`, `"count"` or `"tf_idf"` (constructed in place or by a name) applied to a `keras.Input(shape=(1,), dtype="string")` (by name or in place): the keras.io preprocessing guide\'s end-to-end models. It claims every backend where the result, directly or through the name it is assigned to, goes into a call of a Keras model (`model(x)` with `model` a `keras.Model`/`Sequential`); otherwise it only warns of the extra axis. The fix writes the input\'s shape as `()`: safe when the input is used only by that call and in `keras.Model(...)` calls, a suggestion otherwise.',
    why:
      'Keras 2 gave the symbolic output `(None, vocabulary)`, as on data. Keras 3 keeps the string input\'s axis of one in the symbolic output, `(None, 1, vocabulary)`, though the layer still returns `(batch, vocabulary)` on data: a model built for `(None, vocabulary)` fails to build on every backend ("Input 0 ... is incompatible with the layer: expected shape=(None, 23), found shape=(None, 1, 23)"), and layers applied directly get the extra axis. `keras.Input(shape=(), dtype="string")` gives the Keras 2 shapes and takes the same data, `(batch,)` or `(batch, 1)` strings (checked by building, calling and predicting on Keras 3.15 with TensorFlow). The `int` mode and `StringLookup` keep the Keras 2 shapes. A string model runs on TensorFlow only: see KM192. Not covered by the migration guide.',
    example:
      'import keras\ntext_vectorizer = keras.layers.TextVectorization(output_mode="multi_hot")\ntext_vectorizer.adapt(["the brain is wider than the sky"])\nfeatures = keras.Input(shape=(text_vectorizer.vocabulary_size(),))\nmodel = keras.Model(features, keras.layers.Dense(1)(features))\ninputs = keras.Input(shape=(1,), dtype="string")\nx = text_vectorizer(inputs)\nend_to_end_model = keras.Model(inputs, model(x))',
    useInstead:
      'import keras\ntext_vectorizer = keras.layers.TextVectorization(output_mode="multi_hot")\ntext_vectorizer.adapt(["the brain is wider than the sky"])\nfeatures = keras.Input(shape=(text_vectorizer.vocabulary_size(),))\nmodel = keras.Model(features, keras.layers.Dense(1)(features))\ninputs = keras.Input(shape=(), dtype="string")\nx = text_vectorizer(inputs)\nend_to_end_model = keras.Model(inputs, model(x))'
  },
  // Findings are on calls of a TextVectorization layer.
  requires: ['TextVectorization'],
  visitors: { call: visit }
};
