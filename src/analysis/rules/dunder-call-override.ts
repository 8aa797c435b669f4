/**
 * dunder-call-override (KM309)
 *
 * What it does: flags `def __call__(self, ...)` in a Keras Layer or Model subclass of the notebook
 * that defines no `call()` and whose `__call__` never calls the base one (`super().__call__(...)`,
 * `super(Net, self).__call__(...)`): the forward pass written as `__call__` (aymericdamien's
 * TensorFlow-Examples v2 notebooks build_custom_layers and save_restore_model).
 *
 * Why: Keras 2 tracked the weights of the sub-layers as a `tf.Module` does, so the model ran, trained
 * with a tape and saved its weights. Keras 3 builds a layer in its own `__call__`, which the override
 * replaces: calling it still runs (and its `trainable_variables` are there), but the model is never
 * built. Checked on Keras 3.15 (og49b repro_3, repro_3b; /work/og49b/km309 probe*.py):
 * `save_weights`/`load_weights` ("...a model that has not yet been built"), `count_params`,
 * `stateless_call`, `export` and a weights-only `ModelCheckpoint` raise on every backend; `fit`,
 * `evaluate`, `train_on_batch`, `test_on_batch` raise "Unable to automatically build the model" on
 * JAX and PyTorch; `predict`/`predict_on_batch` on JAX. `summary()` runs, and `save()` writes a file
 * with no weights (silently). Where the program does none of these, nothing fails and the finding
 * blocks no backend.
 *
 * Fix: rename the method `call` (Keras 2 and 3 run it; the program then ran on all three). Safe
 * unless running showed the rename can break code that ran: a method with no input (Keras needs one
 * positional input: IndexError), a first input with a default, a decorated method (`@tf.function` on
 * `call` trains nothing on TensorFlow), a body that makes state (`add_weight` in `call` of a built
 * layer raises), a body relying on float64 inputs (Keras casts floating inputs to float32), and a
 * call giving a Python value as a second positional argument (`net(x, True)`: "Only input tensors
 * may be passed as positional arguments"; tensors there are fine).
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import type { Backend } from '../types';
import type { RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts, valueBefore } from '../helpers/calls';
import { classMethods, looksLikeModel } from '../helpers/model-code';

/** Facts: a use that needs the model built, per class name (`?`: an instance of a class not known). */
const USE = 'dunder-call-use';
/** Uses that fail on every backend, on JAX and PyTorch, and on JAX only (checked on Keras 3.15). */
const ALL = /^(save_weights|load_weights|count_params|stateless_call)$/;
const ALL_MODEL = /^export$/;
const FIT = /^(fit|evaluate|train_on_batch|test_on_batch|fit_generator|evaluate_generator)$/;
const PREDICT = /^(predict|predict_on_batch|predict_generator)$/;
/** Fact: an instance called with a Python value as a second positional argument (`net(x, True)`). */
const POSITIONAL = 'dunder-call-positional';

type Kind = 'all' | 'fit' | 'predict';

/**
 * The notebook class an instance expression was made from (`net = Net()`: `Net`), `?` when it
 * cannot be told, or null when it is known to be something else (a built-in Keras model or layer).
 */
function instanceClass(receiver: SyntaxNode, at: SyntaxNode, ctx: RuleContext): string | null {
  const value = receiver.type === 'identifier' ? valueBefore(ctx.textOf(receiver), at, ctx) : null;
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  if (!fn) {
    return '?';
  }
  if (fn.type === 'identifier') {
    const binding = ctx.lookup(ctx.textOf(fn));
    if (binding?.kind === 'class') {
      return binding.keras === 'layer' || binding.keras === 'model' ? ctx.textOf(fn) : null;
    }
  }
  return ctx.resolveKeras(fn) ? null : '?';
}

function noteUse(kind: Kind, cls: string | null, ctx: RuleContext): void {
  if (cls) {
    ctx.note(`${USE}:${kind}:${cls}`);
  }
}

/** Python values that Keras 3 refuses as positional arguments after the inputs (names may hold one). */
const PLAIN = new Set(['true', 'false', 'none', 'integer', 'float', 'string', 'concatenated_string', 'unary_operator', 'identifier', 'attribute']);

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const fn = parts.fn;
  // `net(x, True)`: a second positional argument that is not a tensor made here.
  if ((fn.type === 'identifier' || fn.type === 'attribute') && (parts.positional.slice(1).some(a => PLAIN.has(a.type)) || (parts.splat && parts.positional.length > 0))) {
    const cls = ctx.isLayerInstance(fn) ? instanceClass(fn, node, ctx) : null;
    if (cls) {
      ctx.note(`${POSITIONAL}:${cls}`);
    }
  }
  if (/(^|\.)ModelCheckpoint$/.test(ctx.resolveKeras(fn) ?? '') && /save_weights_only\s*=\s*True/.test(ctx.textOf(node))) {
    noteUse('all', '?', ctx);
    return;
  }
  if (fn.type !== 'attribute') {
    return;
  }
  const method = ctx.textOf(child(fn, 'attribute') ?? fn);
  const receiver = child(fn, 'object');
  if (!receiver) {
    return;
  }
  if (ALL.test(method)) {
    noteUse('all', instanceClass(receiver, node, ctx), ctx);
    return;
  }
  const kind: Kind | null = ALL_MODEL.test(method) ? 'all' : FIT.test(method) ? 'fit' : PREDICT.test(method) ? 'predict' : null;
  if (kind) {
    const cls = instanceClass(receiver, node, ctx);
    noteUse(kind, cls === '?' && !looksLikeModel(receiver, ctx) ? null : cls, ctx);
  }
}

/** Why the rename is not safe from the method alone, or '' when it is; null: no fix (no input). */
function staticConcern(def: SyntaxNode, outer: SyntaxNode, ctx: RuleContext): { concern: string; positional: boolean } | null {
  const params = child(def, 'parameters');
  const items = params ? itemsOf(params).filter(p => /parameter|identifier|splat_pattern|separator/.test(p.type)) : [];
  const positional: SyntaxNode[] = [];
  let starArgs = false;
  for (const p of items.slice(1)) {
    if (p.type === 'keyword_separator' || p.type === 'dictionary_splat_pattern') {
      break;
    }
    if (p.type === 'list_splat_pattern') {
      starArgs = true;
      break;
    }
    if (p.type !== 'positional_separator') {
      positional.push(p);
    }
  }
  if (!positional.length && !starArgs) {
    return null;
  }
  const body = ctx.textOf(child(def, 'body') ?? def);
  const concerns: string[] = [];
  if (positional.length && /default/.test(positional[0].type)) {
    concerns.push('its first input has a default, and Keras 3 needs an input to call `call()`');
  }
  if (outer !== def) {
    concerns.push('it is decorated (`@tf.function` on `call()` trains nothing on TensorFlow: remove it)');
  }
  if (/\badd_weight\s*\(|\bVariable\s*\(|\bself\.\w+\s*=(?!=)/.test(body)) {
    concerns.push('it sets state, which Keras 3 takes in `__init__()` or `build()` only');
  }
  if (/\b(?:float64|double|float16|bfloat16)\b/.test(body)) {
    concerns.push('Keras casts floating inputs to the layer\'s dtype (float32) before `call()`');
  }
  return { concern: concerns.join('; '), positional: positional.length > 1 || starArgs };
}

const conj = (terms: string[]): string => terms.join(' & ');

function visitDefinition(node: SyntaxNode, ctx: RuleContext): void {
  const nameNode = child(node, 'name');
  const cls = ctx.cls;
  if (!nameNode || ctx.textOf(nameNode) !== '__call__' || !cls || (cls.keras !== 'layer' && cls.keras !== 'model')) {
    return;
  }
  const methods = classMethods(cls.node, ctx);
  const own = methods.get('__call__');
  if (!own || own.def !== node || methods.has('call')) {
    return;
  }
  const body = ctx.textOf(child(node, 'body') ?? node);
  if (/\bsuper\s*\([^)]*\)\s*\.\s*__call__\b|\.__call__\s*\(\s*self\b/.test(body)) {
    return;
  }
  const name = cls.name;
  const kind = cls.keras;
  const at = (k: Kind): string[] => [`anywhere:${USE}:${k}:${name}`, `anywhere:${USE}:${k}:?`];
  const allUses = at('all');
  const anyUse = [...allUses, ...at('fit'), ...at('predict')];
  const blocksOnlyIf: Partial<Record<Backend, string>> = {
    tensorflow: allUses.join(' | '),
    torch: [...allUses, ...at('fit')].join(' | ')
  };
  const noUse = anyUse.map(c => `!${c}`);
  const positionalFacts = [`anywhere:${POSITIONAL}:${name}`, `anywhere:${POSITIONAL}:?`];
  const concern = staticConcern(node, own.outer, ctx);
  const head = `\`${name}\` overrides \`__call__\` instead of \`call()\`: Keras 3 builds a ${kind} in its own \`__call__\`, so \`${name}\` runs but is never built`;
  const blockingUses = `, and Keras 3 raises where this program saves, counts or trains it: \`save_weights\`/\`load_weights\`, \`count_params()\`, \`stateless_call\` and \`export\` raise ("...a model that has not yet been built") on every backend, \`fit\`/\`evaluate\` raise "Unable to automatically build the model" on JAX and PyTorch and \`predict\` on JAX (and \`save()\` writes no weights).`;
  const quietUses = `: saving or loading its weights, \`count_params()\`, \`stateless_call\` (every backend), \`fit\`/\`evaluate\` (JAX, PyTorch) and \`predict\` (JAX) would raise, and \`save()\` writes no weights. This program does none of these, so nothing fails yet.`;
  const fixFor = (why: string): RawFix | null =>
    concern ? { title: 'Rename `__call__` to `call`', safe: !why, edits: [{ start: nameNode.start, end: nameNode.end, text: 'call' }] } : null;
  const tail = (why: string): string =>
    concern
      ? `Rename the method \`call\` (Keras 2 ran that too)${why ? `; check the rename first: ${why}` : ''}.`
      : 'It takes no input, which `call()` needs: give it one (`call(self, inputs)`) and call it on data, or make it a plain method.';
  const report = (blocking: boolean, why: string, onlyIf: string): void => {
    ctx.report(nameNode, `${head}${blocking ? blockingUses : quietUses} ${tail(why)}`, fixFor(why), undefined, onlyIf, blocking ? ['tensorflow', 'jax', 'torch'] : [], blocking ? blocksOnlyIf : undefined);
  };
  const fixed = concern?.concern ?? '';
  if (!concern || fixed || !concern.positional) {
    report(true, fixed, anyUse.join(' | '));
    report(false, fixed, conj(noUse));
    return;
  }
  // More than one positional input: unsafe where an instance is called with a Python value there.
  const positionalWhy = 'an instance is called with a Python value as a positional argument after its inputs (`net(x, True)`), which Keras 3 refuses: pass it by keyword';
  const noPositional = positionalFacts.map(c => `!${c}`);
  report(true, '', anyUse.map(u => conj([u, ...noPositional])).join(' | '));
  report(true, positionalWhy, anyUse.flatMap(u => positionalFacts.map(p => conj([u, p]))).join(' | '));
  report(false, '', conj([...noUse, ...noPositional]));
  report(false, positionalWhy, positionalFacts.map(p => conj([...noUse, p])).join(' | '));
}

export const dunderCallOverride: RuleDefinition = {
  code: 'KM309',
  name: 'dunder-call-override',
  slug: 'api-changes',
  severity: 'error',
  /** Every backend where the program saves or counts the weights; JAX and PyTorch where it trains with fit(), JAX where it predicts (checked by running). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['__call__', 'save_weights', 'load_weights', 'count_params', 'stateless_call', 'export', 'fit', 'evaluate', 'train_on_batch', 'test_on_batch', 'fit_generator', 'evaluate_generator', 'predict', 'predict_on_batch', 'predict_generator', 'ModelCheckpoint'],
  docs: {
    whatItDoes:
      'Flags `def __call__(self, ...)` in a Keras Layer or Model subclass that defines no `call()` and never calls the base `__call__` (`super().__call__(...)`).',
    why:
      'Keras 2 tracked the sub-layers\' weights as a `tf.Module` does, so such a model ran, trained with a tape and saved its weights. Keras 3 builds a layer in its own `__call__`, which the override replaces: the model runs but is never built, so `save_weights`/`load_weights` ("You are saving a model that has not yet been built"), `count_params()`, `stateless_call` and `export` raise on every backend, `fit`/`evaluate`/`train_on_batch` raise "Unable to automatically build the model" on JAX and PyTorch and `predict` on JAX, and `save()` writes no weights (checked on Keras 3.15). Where the program does none of these, nothing fails and the finding blocks no backend. The fix renames the method `call`, which Keras 2 and 3 both run: safe, except for a method without an input, a decorated one, one that makes state, relies on float64 inputs, or is called with a Python value as a second positional argument (`net(x, True)`, which Keras 3 refuses: pass it by keyword).',
    example:
      'import numpy as np\nimport keras\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.fc = keras.layers.Dense(3)\n\n    def __call__(self, x, is_training=False):\n        return self.fc(x)\n\nnet = Net()\nnet(np.ones((2, 5)))\nnet.save_weights("net.weights.h5")',
    useInstead:
      'import numpy as np\nimport keras\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.fc = keras.layers.Dense(3)\n\n    def call(self, x, is_training=False):\n        return self.fc(x)\n\nnet = Net()\nnet(np.ones((2, 5)))\nnet.save_weights("net.weights.h5")'
  },
  requires: ['__call__'],
  visitors: { function_definition: visitDefinition, call: visitCall }
};
