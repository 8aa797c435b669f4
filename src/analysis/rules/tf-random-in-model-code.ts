import { child, itemsOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { applyOffsetEdits, CallParts, callParts, eagerPlace, kerasMethodName, lineBreakOf, modelCodeVariants, removeArgument, tfApiName, tfVariableOfInitialValue } from '../rule-helpers';
import type { SeedGeneratorUse } from '../helpers/seed-generator';
import { randomLambda, seedGeneratorFor, unusedClassName } from '../helpers/seed-generator';
import { backendProse, tfOpClaim } from '../helpers/tf-op-claims';

/** TF draws whose keras.random counterpart takes the same arguments in the same order (shape, two
 * distribution parameters, dtype, seed); TF's trailing `name` is dropped. */
const SAME_SIGNATURE: Record<string, string[]> = {
  normal: ['shape', 'mean', 'stddev', 'dtype', 'seed', 'name'],
  truncated_normal: ['shape', 'mean', 'stddev', 'dtype', 'seed', 'name'],
  uniform: ['shape', 'minval', 'maxval', 'dtype', 'seed', 'name'],
  // keras.random.categorical(logits, num_samples, dtype="int32", seed=None): TF's default dtype is int64.
  categorical: ['logits', 'num_samples', 'dtype', 'seed', 'name'],
  // keras.random.shuffle(x, axis=0, seed=None) shuffles along the first axis, as TF does: the value
  // only positionally (TF's second positional, the seed, is keras's axis; its `value=` keras's `x`).
  shuffle: ['value', 'seed', 'name']
};
const TF_DTYPE = /^tensorflow\.(float16|float32|float64|bfloat16)$/;
const TF_INT_DTYPE = /^tensorflow\.(int8|int16|int32|int64|uint8)$/;
const INTEGER = /^\d+$/;

/**
 * `tf.random.normal(shape, stddev=s, seed=1)` in a layer method -> `keras.random.normal(shape,
 * stddev=s, seed=self.seed_generator)` with the generator created in `__init__` (from the
 * integer seed, if any); null when the arguments do not map one to one.
 */
function conversion(
  op: string,
  parts: CallParts,
  ctx: RuleContext,
  eager = false,
  generatorFor: (initialSeed: string) => SeedGeneratorUse | null = initial => seedGeneratorFor(ctx, initial)
): RawFix | null {
  const params = SAME_SIGNATURE[op];
  if (!params || parts.splat || parts.positional.length > 5 || !parts.args) {
    return null;
  }
  if ([...parts.keywords.keys()].some(k => !params.includes(k))) {
    return null;
  }
  if (op === 'shuffle' && (parts.positional.length !== 1 || parts.keywords.has('value'))) {
    return null;
  }
  const argument = (name: string) => parts.keywords.get(name)?.value ?? parts.positional[params.indexOf(name)] ?? null;
  const seed = argument('seed');
  const initial = seed && INTEGER.test(ctx.textOf(seed)) ? ctx.textOf(seed) : '';
  if (seed && !initial && ctx.textOf(seed) !== 'None') {
    return null; // a seed computed at run time: keep it by hand
  }
  const dtype = argument('dtype');
  let dtypeText: string | null = null;
  let target = op;
  if (dtype && ctx.textOf(dtype) !== 'None') {
    const canonical = ctx.resolve(dtype);
    const match = canonical ? TF_DTYPE.exec(canonical) : null;
    const integer = canonical ? TF_INT_DTYPE.exec(canonical) : null;
    if (match) {
      dtypeText = `"${match[1]}"`;
    } else if (integer && op === 'categorical') {
      dtypeText = `"${integer[1]}"`;
    } else if (integer && op === 'uniform' && argument('maxval')) {
      // `tf.random.uniform(shape, minval=0, maxval=T, dtype=tf.int64)` (keras.io DDPM's timesteps):
      // keras.random.randint takes the same (shape, minval, maxval, dtype, seed).
      dtypeText = `"${integer[1]}"`;
      target = 'randint';
    } else if (dtype.type === 'attribute' && ctx.textOf(dtype).endsWith('.dtype') && op !== 'categorical' && (op !== 'uniform' || !argument('maxval'))) {
      // `dtype=images.dtype`: a normal draw is a float whatever the tensor; keras.random reads every
      // backend's dtype objects (checked on TensorFlow, JAX and PyTorch). A uniform draw without
      // `maxval` is a float one too: TF raises "Must specify maxval for integer dtype" otherwise
      // (keras.io's Swin Transformer DropPath: `tf.random.uniform(shape, dtype=x.dtype)`).
    } else if (dtype.type !== 'string') {
      return null; // an integer or computed dtype: keras.random.uniform draws floats only
    }
  }
  const generator = generatorFor(initial);
  if (!generator && !eager) {
    return null;
  }
  // TF draws int64 category indices by default, keras.random.categorical int32: keep TF's.
  const addDtype = op === 'categorical' && (!dtype || ctx.textOf(dtype) === 'None') ? 'dtype="int64"' : '';
  if (addDtype && (dtype || argument('name'))) {
    return null;
  }
  const edits: OffsetEdit[] = [...(generator?.edits ?? []), { start: parts.fn.start, end: parts.fn.end, text: `keras.random.${target}` }];
  if (dtype && dtypeText) {
    edits.push({ start: dtype.start, end: dtype.end, text: dtypeText });
  }
  const name = argument('name');
  if (name) {
    edits.push(removeArgument(parts.keywords.get('name')?.node ?? name, ctx));
  }
  if (addDtype && (!generator || seed)) {
    const kept = itemsOf(parts.args);
    const at = kept[kept.length - 1].end;
    edits.push({ start: at, end: at, text: `, ${addDtype}` });
  }
  if (!generator) {
    // Eager code outside a layer (a helper only eagerly run methods call): Keras's global generator
    // draws there on every backend; an integer seed stays as it is.
    const importEdit = ctx.kerasImportEdit();
    if (importEdit) {
      edits.push(importEdit);
    }
    return { title: `Use \`keras.random.${target}\``, safe: false, edits };
  }
  if (seed) {
    edits.push({ start: seed.start, end: seed.end, text: generator.seed });
  } else {
    const kept = itemsOf(parts.args);
    const last = kept[kept.length - 1];
    const at = last ? last.end : parts.args.end - 1;
    const added = addDtype ? `${addDtype}, seed=${generator.seed}` : `seed=${generator.seed}`;
    edits.push({ start: at, end: at, text: last ? `, ${added}` : added });
  }
  return { title: `Use \`keras.random.${target}\` with a \`keras.random.SeedGenerator\` held by the layer`, safe: false, edits };
}

/** Whether a call is a TF random draw (not a stateless one, not `set_seed`). */
function isTfDraw(call: SyntaxNode, ctx: RuleContext): boolean {
  const fn = child(call, 'function');
  return !!fn && /^tf\.random\.(?!stateless_|set_seed$)/.test(tfApiName(ctx.resolve(fn)) ?? '');
}

/**
 * The draw in a `Lambda(lambda x: ...)`: the Lambda becomes a layer class holding a seed generator
 * (helpers/seed-generator.ts, RandomLambda), whose `call()` returns the function's body with the
 * draw made from `keras.random`.
 */
/** Whether the line before the one starting at `lineStart` is blank (or there is none): a class definition stands apart from the statement above it. */
function previousLineBlank(text: string, lineStart: number): boolean {
  const before = text.slice(0, lineStart).replace(/(\r\n|\r|\n)$/, '');
  const previous = before.slice(Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1);
  return lineStart === 0 || previous.trim() === '';
}

function lambdaLayerFix(op: string, parts: CallParts, node: SyntaxNode, ctx: RuleContext): RawFix | null {
  const found = randomLambda(node, ctx, n => isTfDraw(n, ctx));
  let initialSeed = '';
  const draw = found
    ? conversion(op, parts, ctx, false, initial => {
        initialSeed = initial;
        return { seed: 'self.seed_generator', edits: [] };
      })
    : null;
  if (!found || !draw || draw.edits.some(e => e.start < found.body.start || e.end > found.body.end)) {
    return null;
  }
  const start = found.body.start;
  const body = applyOffsetEdits(ctx.textOf(found.body), draw.edits.map(e => ({ start: e.start - start, end: e.end - start, text: e.text })));
  const name = unusedClassName(`${op.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase())}Draw`, ctx.text);
  const newline = lineBreakOf(ctx.text);
  const lines = [
    `class ${name}(keras.layers.Layer):`,
    '    # The Lambda\'s function, drawing from a seed generator the layer holds (a Lambda holds none).',
    '    def __init__(self, **kwargs):',
    '        super().__init__(**kwargs)',
    `        self.seed_generator = keras.random.SeedGenerator(${initialSeed})`,
    '',
    `    def call(self, ${found.parameter}):`,
    `        return ${/[\r\n]/.test(body) ? `(${body})` : body}`,
    '',
    ''
  ];
  const edits: OffsetEdit[] = [
    { start: found.insertAt, end: found.insertAt, text: (previousLineBlank(ctx.text, found.insertAt) ? '' : newline) + lines.map(l => (l ? found.indent + l : l)).join(newline) + newline },
    { start: found.lambdaCall.start, end: found.lambdaCall.end, text: `${name}(${found.keywords.join(', ')})` }
  ];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  return { title: `Make the Lambda a layer that draws with \`keras.random.${op}\` from a \`keras.random.SeedGenerator\` it holds`, safe: false, edits };
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = tfApiName(ctx.resolve(parts.fn));
  if (!name || !/^tf\.random\.(?!set_seed$)/.test(name)) {
    return;
  }
  const variants = modelCodeVariants(node, ctx);
  if (!variants.length) {
    return;
  }
  // `self.w = tf.Variable(tf.random.normal(shape))` in build(): KM091's fix makes the draw the variable's
  // initializer (`keras.initializers.RandomNormal(...)`), with no seed generator in the layer's variables.
  const variable = tfVariableOfInitialValue(node, ctx);
  if (variable && (kerasMethodName(ctx) === 'build' || kerasMethodName(ctx) === 'call') && variable.parent?.type === 'assignment') {
    return;
  }
  const stateless = /^tf\.random\.stateless_/.test(name);
  const op = name.slice('tf.random.'.length).replace(/^stateless_/, '');
  const dtype = parts.keywords.get('dtype')?.value ?? parts.positional[3] ?? null;
  const integerDraw = op === 'uniform' && !!dtype && TF_INT_DTYPE.test(ctx.resolve(dtype) ?? '');
  const keras = integerDraw ? 'randint' : op === 'truncated_normal' || op === 'normal' || op === 'uniform' || op === 'shuffle' || op === 'categorical' ? op : 'normal';
  // Only stateless ops repeat: a seeded `tf.random.normal` in a tf.function draws new values on
  // every call (checked on TensorFlow 2), so no repetition is claimed for it.
  const why = stateless
    ? 'is TensorFlow-only and returns the same values for the same seed at every call'
    : 'is TensorFlow-only';
  // A TF random op is a TF op: it fails where its value meets the backend's tensors as any TF op does
  // (JAX traces them; on PyTorch they require grad in training), and nowhere when it only makes a
  // Python value in `__init__`/`build` (helpers/tf-op-claims.ts, checked by running).
  for (const variant of variants) {
    const { blocks, blocksOnlyIf, reason, reaching } = tfOpClaim(node, ctx, variant.eager);
    const where = reaching
      ? ` (a test of \`keras.backend.backend()\` lets only ${backendProse(reaching)} run it here${blocks.length ? `; it fails on ${backendProse(blocks)}` : ''})`
      : reason === 'eager'
        ? blocks.length
          ? `${eagerPlace(variant)} (it runs eagerly there, but fails on PyTorch where it meets what calling a layer directly returns)`
          : `${eagerPlace(variant)} (it runs eagerly there, on every backend while TensorFlow is installed)`
        : reason === 'python' || reason === 'constant'
          ? ' (here it runs on every backend: its value never meets the backend\'s tensors)'
          : reason === 'condition'
            ? ' (here only a Python condition reads it, which runs on JAX and PyTorch, but JAX draws it once, when it traces the step, so every step takes the same branch; TensorFlow\'s symbolic build refuses the condition itself)'
          : reason === 'traced'
            ? ' (it fails on JAX, which traces this code)'
            : reason === 'numpy'
              ? ' (its value becomes a NumPy array, which JAX takes, but PyTorch refuses an operator between it and a tensor that requires grad in training)'
            : ' (it fails on JAX, which traces this code, and on PyTorch where it meets tensors that require grad in training)';
    ctx.report(
      parts.fn,
      `\`${name}\` in model code ${why}${where}; use \`keras.random.${keras}\` with a \`keras.random.SeedGenerator\`.`,
      stateless ? null : (conversion(op, parts, ctx, variant.eager) ?? lambdaLayerFix(op, parts, node, ctx)),
      undefined,
      variant.condition,
      [...blocks],
      blocksOnlyIf
    );
  }
}

export const tfRandomInModelCode: RuleDefinition = {
  code: 'KM151',
  name: 'tf-random-in-model-code',
  slug: 'rng',
  severity: 'warning',
  /** Per finding as for any TF op in model code (tfOpClaim): JAX traces the values; on PyTorch they require grad in training. */
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `tf.random.*` calls inside Keras layer/model methods, loss functions and Lambda layers. `normal`, `truncated_normal`, `uniform` (an integer one as `keras.random.randint`) `categorical` (same logits, num_samples and dtype; TF\'s default int64 written out, keras.random.categorical\'s is int32) and `shuffle` (its value passed positionally only: TF\'s second positional argument, the seed, is keras.random.shuffle\'s axis) are rewritten to `keras.random` with a `keras.random.SeedGenerator` held by the layer (a suggestion). A `Lambda(lambda x: ...)` making one such draw becomes a small layer class holding the generator (a Lambda holds none; on JAX a generator outside the model is not advanced by `predict()`, so every call would draw the same numbers).',
    why:
      'TF random ops only run on TensorFlow: like any TF op in model code, one whose value meets the backend\'s tensors fails on JAX (traced arrays) and on PyTorch in training (tensors that require grad refuse TensorFlow\'s conversion; checked on Keras 3.15 with a noise layer behind a Dense, a Lambda layer and a loss), while one in `__init__` whose value becomes a Python number runs on every backend; the stateless ones (`tf.random.stateless_*`) also return the same numbers for the same seed at every call. Keras 3 layers draw randomness from `keras.random` with a `SeedGenerator` held by the layer (guide section "RNG handling"). In a layer or model method, `tf.random.normal`/`uniform`/`truncated_normal` get a rewrite that creates the generator in `__init__` (seeded with the call\'s integer seed) and passes it as `seed=`; it draws other numbers and adds the generator\'s state to the layer\'s variables, so it is a suggestion.',
    example: 'import keras\nimport tensorflow as tf\nclass Noise(keras.layers.Layer):\n    def call(self, x):\n        return x + tf.random.normal(tf.shape(x))',
    useInstead:
      'import keras\nclass Noise(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.seed = keras.random.SeedGenerator(1337)\n    def call(self, x):\n        return x + keras.random.normal(keras.ops.shape(x), seed=self.seed)'
  },
  calls: { resolved: ['tensorflow.random.'] },
  // The call visitor sees only calls resolving to `tensorflow.random.*`.
  requires: ['random'],
  visitors: { call: visit }
};
