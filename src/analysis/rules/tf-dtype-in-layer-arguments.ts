/**
 * tf-dtype-in-layer-arguments (KM307)
 *
 * What it does: flags a TensorFlow dtype object (`tf.float32`) given to a custom Keras layer or
 * model class of the notebook that has no `get_config()` of its own: as an `__init__` default
 * (`def __init__(self, dtype=tf.float32, **kwargs)`) or as an argument where the class is made
 * (`Scale(2.0, out_dtype=tf.float32)`).
 *
 * Why: Keras 3 writes such a class's config from its constructor arguments, which must be
 * serializable; a `tf.DType` is not, so `model.save()`, a whole-model `ModelCheckpoint`,
 * `clone_model` and `get_config()` raise NotImplementedError ("created by passing non-serializable
 * argument values") on every backend (og49d: Géron's handson-ml3 `TimeEncoding` and
 * `PositionalEncoding`; claims/tf_dtype_in_layer_arguments.py). Keras 2 only needed a config when
 * saving to HDF5 or JSON, and read its SavedModel without one. Where the program never asks for
 * the config, nothing fails and the finding blocks no backend.
 *
 * Fix: the dtype's name as a string (`"float32"`), which Keras and TensorFlow take wherever they
 * take a dtype. Safe.
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../helpers/calls';
import { pathUses } from '../helpers/paths';
import { onlyVisibleDefinition } from '../helpers/model-code';

/** TensorFlow dtype objects and the names Keras takes for them. */
const DTYPES: Record<string, string> = {
  float16: 'float16',
  half: 'float16',
  float32: 'float32',
  float64: 'float64',
  double: 'float64',
  bfloat16: 'bfloat16',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  uint64: 'uint64',
  bool: 'bool',
  string: 'string',
  complex64: 'complex64',
  complex128: 'complex128'
};

/** The fact a call that needs a layer's config notes (a whole-model save, a clone, `get_config()`). */
const CONFIG_NEEDED = 'layer-config-needed';

/** The Keras dtype name of a `tf.float32`-like expression, or null. */
function tfDtype(node: SyntaxNode | null | undefined, ctx: RuleContext): string | null {
  if (!node || node.type !== 'attribute') {
    return null;
  }
  const m = /^tensorflow\.(?:dtypes\.)?(\w+)$/.exec(ctx.resolve(node) ?? '');
  return m && Object.prototype.hasOwnProperty.call(DTYPES, m[1]) ? DTYPES[m[1]] : null;
}

/** Whether a class body defines `get_config` (Keras then uses it, not the constructor's arguments). */
function definesGetConfig(cls: SyntaxNode, ctx: RuleContext): boolean {
  const body = child(cls, 'body');
  return !!body && body.children.some(c => {
    const def = c.type === 'decorated_definition' ? c.children.find(d => d.type === 'function_definition') : c;
    return def?.type === 'function_definition' && ctx.textOf(child(def, 'name') ?? def) === 'get_config';
  });
}

/**
 * Whether `cls` is a Keras layer or model class whose config Keras 3 makes from its constructor's
 * arguments: neither it nor a base class of the cell defines `get_config`.
 */
function autoConfigured(cls: SyntaxNode, ctx: RuleContext): boolean {
  const seen = new Set<SyntaxNode>();
  let current: SyntaxNode | undefined = cls;
  let keras = false;
  while (current && !seen.has(current)) {
    seen.add(current);
    if (definesGetConfig(current, ctx)) {
      return false;
    }
    const bases = child(current, 'superclasses');
    const first = bases ? itemsOf(bases).find(b => b.type !== 'keyword_argument') : undefined;
    if (!first) {
      return false;
    }
    const kind = ctx.kerasKindOfClass(first);
    if (kind === 'layer' || kind === 'model') {
      keras = true;
    }
    current = first.type === 'identifier' ? (onlyVisibleDefinition(first, 'class_definition', ctx.textOf(first), ctx) ?? undefined) : undefined;
  }
  return keras;
}

function report(node: SyntaxNode, dtype: string, where: string, ctx: RuleContext): void {
  const fix = { title: `Use \`"${dtype}"\``, safe: true, edits: [{ start: node.start, end: node.end, text: `"${dtype}"` }] };
  const message = `\`${ctx.textOf(node)}\` ${where}: Keras 3 makes the layer's config from its constructor's arguments, and a TensorFlow dtype object is not serializable`;
  ctx.report(node, `${message}, so saving the model (or \`clone_model\`, \`get_config()\`) raises NotImplementedError on every backend. Use the dtype's name, \`"${dtype}"\`.`, fix, undefined, `anywhere:${CONFIG_NEEDED}`);
  ctx.report(node, `${message}; this program never asks for it (no model save, clone or \`get_config()\`), so nothing fails yet. Use the dtype's name, \`"${dtype}"\`.`, fix, undefined, `!anywhere:${CONFIG_NEEDED}`, []);
}

/** `def __init__(self, ..., dtype=tf.float32)` in a class whose config Keras 3 makes from its arguments. */
function visitDefinition(node: SyntaxNode, ctx: RuleContext): void {
  if (ctx.textOf(child(node, 'name') ?? node) !== '__init__' || !ctx.cls || !autoConfigured(ctx.cls.node, ctx)) {
    return;
  }
  const params = child(node, 'parameters');
  for (const p of params ? itemsOf(params) : []) {
    if (p.type !== 'default_parameter' && p.type !== 'typed_default_parameter') {
      continue;
    }
    const value = child(p, 'value');
    const dtype = tfDtype(value, ctx);
    if (value && dtype) {
      report(value, dtype, `is the default of \`${ctx.textOf(child(p, 'name') ?? p)}\` in \`${ctx.cls.name}.__init__\``, ctx);
    }
  }
}

const SAVERS = /^keras\.(models|saving)\.(save_model|clone_model)$|^keras\.callbacks\.ModelCheckpoint$/;

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  noteConfigNeeded(node, parts.fn, ctx);
  if (parts.fn.type !== 'identifier' || parts.splat) {
    return;
  }
  const given = [...parts.positional, ...[...parts.keywords.values()].map(k => k.value)].filter(value => tfDtype(value, ctx));
  const cls = given.length ? onlyVisibleDefinition(node, 'class_definition', ctx.textOf(parts.fn), ctx) : null;
  if (!cls || !autoConfigured(cls, ctx)) {
    return;
  }
  for (const value of given) {
    report(value, tfDtype(value, ctx)!, `is given to \`${ctx.textOf(parts.fn)}\``, ctx);
  }
}

/** Notes CONFIG_NEEDED at a call that makes Keras 3 ask layers for their config. */
function noteConfigNeeded(node: SyntaxNode, fn: SyntaxNode, ctx: RuleContext): void {
  if (ctx.noted(CONFIG_NEEDED)) {
    return;
  }
  const name = fn.type === 'attribute' ? ctx.textOf(child(fn, 'attribute') ?? fn) : ctx.textOf(fn);
  if (name === 'get_config' || name === 'to_json') {
    // `super().get_config()` in a layer's own get_config asks for the base config only.
    if (ctx.fn?.name !== 'get_config') {
      ctx.note(CONFIG_NEEDED);
    }
    return;
  }
  const resolved = ctx.resolveKeras(fn);
  if (resolved && SAVERS.test(resolved)) {
    const weightsOnly = resolved.endsWith('ModelCheckpoint') && /save_weights_only\s*=\s*True/.test(ctx.textOf(node));
    if (!weightsOnly) {
      ctx.note(CONFIG_NEEDED);
    }
    return;
  }
  if (name === 'save' && pathUses(node, ctx).some(u => u.call === node && u.kind === 'save-model')) {
    ctx.note(CONFIG_NEEDED);
  }
}

export const tfDtypeInLayerArguments: RuleDefinition = {
  code: 'KM307',
  name: 'tf-dtype-in-layer-arguments',
  slug: 'api-changes',
  severity: 'error',
  /** Every backend, where the program saves or clones the model or asks for its config (checked by running). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['get_config', 'to_json', 'clone_model', 'save_model', 'ModelCheckpoint'],
  docs: {
    whatItDoes:
      'Flags a TensorFlow dtype object (`tf.float32`, `tf.int64`, ...) given to a custom Keras layer or model class without its own `get_config()`: as an `__init__` default or as an argument where the class is made.',
    why:
      'Keras 3 makes such a class\'s config from its constructor\'s arguments, which must be serializable. A `tf.DType` is not, so `model.save()`, a whole-model `ModelCheckpoint`, `clone_model` and `get_config()` raise NotImplementedError ("created by passing non-serializable argument values") on every backend (checked on Keras 3.15). Keras 2 read its SavedModel without a config. Where the program never asks for the config, nothing fails and the finding blocks no backend. Not covered by the migration guide. The fix writes the dtype\'s name (`"float32"`), which Keras and TensorFlow take wherever they take a dtype: safe.',
    example:
      'import tensorflow as tf\nimport keras\n\nclass Scale(keras.layers.Layer):\n    def __init__(self, factor, dtype=tf.float32, **kwargs):\n        super().__init__(dtype=dtype, **kwargs)\n        self.factor = factor\n\n    def call(self, inputs):\n        return inputs * self.factor\n\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, Scale(2.0)(inputs))\nmodel.save("scale.keras")',
    useInstead:
      'import tensorflow as tf\nimport keras\n\nclass Scale(keras.layers.Layer):\n    def __init__(self, factor, dtype="float32", **kwargs):\n        super().__init__(dtype=dtype, **kwargs)\n        self.factor = factor\n\n    def call(self, inputs):\n        return inputs * self.factor\n\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, Scale(2.0)(inputs))\nmodel.save("scale.keras")'
  },
  requires: Object.keys(DTYPES),
  visitors: { function_definition: visitDefinition, call: visitCall }
};
