/**
 * build-without-build-method (KM296)
 *
 * What it does: flags `model.build(input_shape)` of an instance of a `keras.Model` subclass of the
 * notebook that defines `call()` but no `build()` of its own.
 *
 * Why: Keras 2's `Model.build(shape)` called such a model on a placeholder, which built every
 * sublayer. Keras 3's only marks the model built (with a warning that it "does not have a `build()`
 * method implemented"): it has no variables, `summary()` shows 0 parameters, and a `load_weights()`
 * after it restores nothing, silently, on every backend (Keras 3.15; og47c repro_3, dragen1860's
 * ResNet and Pix2Pix; claims/build_without_build_method.py).
 *
 * Fix: call the model once on a batch of zeros of that shape (`model(keras.ops.zeros((1, 3)))`), which
 * builds every sublayer on every backend: safe where the shape is a literal (unknown dimensions become
 * 1), a suggestion for a shape held by a name.
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import type { Backend } from '../types';
import { callParts, calleeName, escapeRegExp } from '../rule-helpers';
import { withKerasImport } from '../helpers/calls';
import { classMethodDefinitions } from '../helpers/model-code';
import { modelClassMade } from '../helpers/model-build-state';

/** Uses after the build that read the weights it should have made. */
const WEIGHT_READS = 'load_weights|get_weights|set_weights|variables|weights|trainable_weights|trainable_variables|count_params|summary';

/** `(None, 32, 32, 3)` -> `(1, 32, 32, 3)`: a literal shape of integers and None, else null. */
function batchOfOne(shape: SyntaxNode, ctx: RuleContext): string | null {
  if (shape.type !== 'tuple' && shape.type !== 'list') {
    return null;
  }
  const items = itemsOf(shape);
  if (!items.length || !items.every(i => i.type === 'integer' || i.type === 'none' || i.type === 'identifier')) {
    return null;
  }
  const dims = items.map((item, i) => (i === 0 || item.type === 'none' ? '1' : ctx.textOf(item)));
  return `keras.ops.zeros((${dims.join(', ')}${dims.length === 1 ? ',' : ''}))`;
}

/** The zeros the model is called on instead: [text, exact] (a list of shapes gives a list of batches), or null. */
function zerosFor(shape: SyntaxNode, ctx: RuleContext): [string, boolean] | null {
  const one = batchOfOne(shape, ctx);
  if (one) {
    return [one, itemsOf(shape).every(i => i.type !== 'identifier')];
  }
  if (shape.type === 'list' || shape.type === 'tuple') {
    const each = itemsOf(shape).map(s => batchOfOne(s, ctx));
    if (each.length > 1 && each.every(e => e !== null)) {
      return [`[${each.join(', ')}]`, itemsOf(shape).every(s => itemsOf(s).every(i => i.type !== 'identifier'))];
    }
    return null;
  }
  if (shape.type === 'identifier' || shape.type === 'attribute') {
    return [`keras.ops.zeros((1,) + tuple(${ctx.textOf(shape)})[1:])`, false];
  }
  return null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'build' || parts.splat) {
    return;
  }
  const model = child(parts.fn, 'object');
  const cls = model?.type === 'identifier' ? modelClassMade(model, node, ctx) : null;
  if (!model || !cls) {
    return;
  }
  // A base class of the notebook may define build(); only a class right on keras.Model counts.
  const bases = child(cls, 'superclasses');
  const direct = !!bases && bases.children.every(b => b.type === '(' || b.type === ')' || b.type === ',' || /^keras\.(models\.)?Model$/.test(ctx.resolveKeras(b) ?? ''));
  const methods = classMethodDefinitions(cls, ctx);
  if (!direct || methods.has('build') || !methods.has('call')) {
    return;
  }
  const shape = parts.positional[0] ?? parts.keywords.get('input_shape')?.value;
  if (!shape || parts.positional.length + parts.keywords.size !== 1) {
    return;
  }
  const name = ctx.textOf(model);
  const statement = node.parent?.type === 'expression_statement' ? node.parent : null;
  const zeros = zerosFor(shape, ctx);
  const fix = zeros && statement
    ? {
        title: `Call \`${name}\` on zeros of that shape`,
        safe: zeros[1],
        edits: withKerasImport(ctx, [{ start: node.start, end: node.end, text: `${name}(${zeros[0]})` }])
      }
    : null;
  // Claimed where the cell then reads the weights the build should have made.
  const after = ctx.text.slice(node.end);
  const reads = new RegExp(`(?<![\\w.])${escapeRegExp(name)}\\s*\\.\\s*(?:${WEIGHT_READS})\\b`).test(after);
  const blocks: Backend[] = reads ? ['tensorflow', 'jax', 'torch'] : [];
  ctx.report(
    parts.fn,
    `\`${name}.build(...)\` of the \`keras.Model\` subclass \`${ctx.textOf(child(cls, 'name') ?? cls)}\`, which has \`call()\` but no \`build()\`: Keras 2 called the model on a placeholder to build every sublayer; Keras 3 only marks it built (with a warning), so it has no weights${reads ? ', and the weights read below are missing (a `load_weights()` restores nothing, silently)' : ''}. Call it once on a batch of zeros instead${zeros ? ` (\`${name}(${zeros[0].length > 60 ? 'keras.ops.zeros(...)' : zeros[0]})\`)` : ''}.`,
    fix,
    undefined,
    undefined,
    blocks
  );
}

export const buildWithoutBuildMethod: RuleDefinition = {
  code: 'KM296',
  name: 'build-without-build-method',
  slug: 'api-changes',
  severity: 'warning',
  /** load_weights() after it restored nothing on TensorFlow, JAX and PyTorch (Keras 3.15; claims/build_without_build_method.py). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['build'],
  docs: {
    whatItDoes:
      'Flags `model.build(input_shape)` of an instance of a `keras.Model` subclass of the notebook that defines `call()` and no `build()` of its own. It claims every backend where the cell then reads the weights (`load_weights`, `get_weights`, `variables`, `count_params`, `summary`, ...).',
    why:
      'Keras 2\'s `Model.build(shape)` called such a model on a placeholder, which built every sublayer. Keras 3\'s only marks the model built, with a warning that it "does not have a `build()` method implemented": the model has no variables, `summary()` shows 0 parameters, and `load_weights()` after it restores nothing, silently, on TensorFlow, JAX and PyTorch (checked on Keras 3.15). Calling the model once on a batch of zeros of that shape builds every sublayer on every backend: the fix, safe for a literal shape (unknown dimensions become 1), a suggestion for a shape held by a name.',
    example:
      'import keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(5)\n    def call(self, x):\n        return self.dense(x)\nnet = Net()\nnet.build((None, 3))\nnet.load_weights("net.weights.h5")',
    useInstead:
      'import keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(5)\n    def call(self, x):\n        return self.dense(x)\nnet = Net()\nnet(keras.ops.zeros((1, 3)))\nnet.load_weights("net.weights.h5")'
  },
  calls: { names: ['build'] },
  requires: ['build'],
  visitors: { call: visit }
};
