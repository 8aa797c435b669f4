import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { appendArgument, callParts, kerasMethodName, modelCodeCondition, KERAS_CALLEES } from '../rule-helpers';
import { EAGER_METHODS, lambdaFunctionSeed, madeInTracedMethod, seedGeneratorFor } from '../helpers/seed-generator';

/** keras.random draws and the position of their `seed` parameter. */
const SEED_POSITION: Record<string, number> = {
  normal: 4,
  uniform: 4,
  truncated_normal: 4,
  randint: 4,
  binomial: 4,
  beta: 4,
  gamma: 3,
  categorical: 3,
  dropout: 3,
  shuffle: 2
};

/**
 * Noted where a model class's `make_train_function()` sets `self.jit_compile = False` (as the
 * per-backend train_step rewrite does on JAX): Keras 3.15's JAX trainer then runs its steps
 * un-jitted (predict and evaluate after fit() too), and an unseeded draw takes the global seed
 * generator. That holds for a layer made inside a traced method (keras.io molecule VAE's
 * `Sampling()` in `call()`, ran after `fix --unsafe` on JAX), which no symbolic build traces; a
 * layer of a functional or Sequential model is traced when the model is made, and fails on JAX
 * whatever the steps do (checked by running).
 */
const UNJITTED = 'train-function-unjitted';

function visitAssignment(node: SyntaxNode, ctx: RuleContext): void {
  const left = child(node, 'left');
  const right = child(node, 'right');
  if (left && right && ctx.textOf(left).replace(/\s+/g, '') === 'self.jit_compile' && ctx.textOf(right) === 'False' && ctx.fn?.name === 'make_train_function') {
    ctx.note(UNJITTED);
  }
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat) {
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  const op = name && name.startsWith('keras.random.') ? name.slice('keras.random.'.length) : null;
  if (!op || !(op in SEED_POSITION)) {
    return;
  }
  const seed = parts.keywords.get('seed')?.value ?? parts.positional[SEED_POSITION[op]];
  if (seed && ctx.textOf(seed) !== 'None') {
    return;
  }
  const method = kerasMethodName(ctx);
  if (method && EAGER_METHODS.has(method)) {
    return;
  }
  const condition = modelCodeCondition(node, ctx);
  if (condition === null) {
    return;
  }
  let fix = null;
  const layerGenerator = seedGeneratorFor(ctx, '');
  const generator = layerGenerator ?? lambdaFunctionSeed(node, ctx);
  const argumentList = parts.args;
  if (generator && argumentList) {
    const edits: OffsetEdit[] = [...generator.edits];
    const seedKeyword = parts.keywords.get('seed');
    if (seedKeyword) {
      edits.push({ start: seedKeyword.value.start, end: seedKeyword.value.end, text: generator.seed });
    } else {
      edits.push(appendArgument(argumentList, `seed=${generator.seed}`, ctx));
    }
    fix = {
      title: layerGenerator
        ? `Draw from a \`keras.random.SeedGenerator\` held by the layer (\`seed=${generator.seed}\`)`
        : 'Draw from a `keras.random.SeedGenerator` the Lambda holds (passed as `arguments={"seed": ...}`)',
      safe: false,
      edits
    };
  }
  const conditions = condition === true ? [] : [condition];
  if (ctx.cls && madeInTracedMethod(ctx.cls.node, ctx.cls.name, ctx)) {
    // Never traced by a symbolic build: runs where the steps run un-jitted (see UNJITTED).
    conditions.push(`!anywhere:${UNJITTED}`);
  }
  ctx.report(
    parts.fn,
    `\`keras.random.${op}\` without a seed in model code fails on JAX when the model is traced ("you should only use seeded random ops"); create a \`keras.random.SeedGenerator\` in \`__init__\` and pass it as \`seed=\`.`,
    fix,
    undefined,
    conditions.length ? conditions.join(' & ') : undefined
  );
}

export const unseededRandomInModelCode: RuleDefinition = {
  code: 'KM189',
  name: 'unseeded-random-in-model-code',
  slug: 'rng',
  severity: 'warning',
  /** ValueError on JAX when fit/predict trace the layer; TensorFlow and PyTorch draw from the global generator (checked by running). */
  blocks: ['jax'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `keras.random` draws (`normal`, `uniform`, `dropout`, ...) without a `seed` in code that runs on model tensors: the methods of a Keras layer or model other than `__init__`/`build`, losses, metrics and Lambda functions.',
    why:
      'JAX traces `call` inside `fit` and `predict`; an unseeded draw would be frozen into the trace, so Keras refuses it: "When tracing a JAX function, you should only use seeded random ops" (guide section "RNG handling"). TensorFlow and PyTorch run it. In a layer the fix creates a `keras.random.SeedGenerator` in `__init__` (adding an `__init__` when there is none) and passes it as `seed=`; the generator\'s state becomes a variable of the layer, so the fix is a suggestion. In a function a `Lambda` runs (`Lambda(sampling)`, the Keras 2 VAE), the function takes a `seed=None` parameter and the Lambda passes it a generator through `arguments={"seed": keras.random.SeedGenerator()}`: the Lambda tracks it, so JAX advances it at every call (a module-level generator would give every batch the same numbers). Not reported for a layer made inside a traced method (never traced by a symbolic build) where a model\'s `make_train_function()` sets `self.jit_compile = False`, as the per-backend train_step rewrite does on JAX: Keras then runs the steps un-jitted and draws from its global seed generator (checked by running keras.io\'s molecule VAE).',
    example:
      'import keras\nclass Sampling(keras.layers.Layer):\n    def call(self, inputs):\n        z_mean, z_log_var = inputs\n        epsilon = keras.random.normal(keras.ops.shape(z_mean))\n        return z_mean + keras.ops.exp(0.5 * z_log_var) * epsilon',
    useInstead:
      'import keras\nclass Sampling(keras.layers.Layer):\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        self.seed_generator = keras.random.SeedGenerator()\n\n    def call(self, inputs):\n        z_mean, z_log_var = inputs\n        epsilon = keras.random.normal(keras.ops.shape(z_mean), seed=self.seed_generator)\n        return z_mean + keras.ops.exp(0.5 * z_log_var) * epsilon'
  },
  calls: { resolved: KERAS_CALLEES },
  // Findings are on calls resolving to `keras.random.*`; the fact needs `jit_compile`.
  requires: ['random', 'jit_compile'],
  visitors: { call: visit, assignment: visitAssignment }
};
