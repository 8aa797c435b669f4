import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { appendArgument, builtInSymbolicCallFact, callParts, inKerasClassMethod, lastAssignedValue, withKerasImport } from '../rule-helpers';
import { kerasMethodName } from '../helpers/model-code';
import { isIntFromEveryCaller } from '../helpers/int-values';
import { tfOp } from '../knowledge';
import { modelClassMade } from '../helpers/model-build-state';

/** The dtype TensorFlow gives a Python int or bool literal. */
function literalDtypeOf(node: SyntaxNode, ctx: RuleContext): string | null {
  const text = ctx.textOf(node).replace(/\s+/g, '');
  if (node.type === 'integer' || (node.type === 'unary_operator' && /^[-+]\d+$/.test(text))) {
    return 'int32';
  }
  return node.type === 'true' || node.type === 'false' ? 'bool' : null;
}

/** A value that can be named three times (initializer, shape, dtype): a name, an attribute, or tf.convert_to_tensor/tf.constant of one. */
function deferrableValue(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  if (node.type === 'identifier' || node.type === 'attribute') {
    return node;
  }
  const parts = node.type === 'call' ? callParts(node, ctx) : null;
  const fn = parts ? ctx.resolve(parts.fn) : null;
  if (parts && (fn === 'tensorflow.convert_to_tensor' || fn === 'tensorflow.constant') && parts.positional.length === 1 && parts.keywords.size === 0) {
    const arg = parts.positional[0];
    return arg.type === 'identifier' || arg.type === 'attribute' ? arg : null;
  }
  return null;
}

/** tf.Variable keywords keras.Variable understands (tf name -> keras name). */
const KEYWORDS: Record<string, string> = {
  initial_value: 'initializer',
  trainable: 'trainable',
  name: 'name',
  dtype: 'dtype',
  shape: 'shape'
};

function message(target: string, graphTensor: boolean): string {
  const runs = graphTensor
    ? 'on TensorFlow it fails where the layer is first built inside another layer\'s call on KerasTensors (its TensorFlow initial value belongs to the graph Keras traces there and "could not be lifted out of a `tf.function`"), and elsewhere it runs'
    : 'the layer runs on every backend';
  return `\`${target} = tf.Variable(...)\` is not tracked by a Keras 3 layer: ${runs}, but the variable is not among its \`weights\` (code reading them misses it), neither trained nor saved; use \`keras.Variable\` or \`self.add_weight\`.`;
}

/**
 * Whether a tf.Variable's initial value is a TensorFlow tensor made where it is written (a TF op,
 * an initializer called for a value, or a name the method assigned one), not NumPy or Python data
 * or a callable, which TensorFlow makes outside any graph.
 */
function isTensorMadeHere(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (node.type === 'identifier' && depth === 0) {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    return !!value && isTensorMadeHere(value, ctx, depth + 1);
  }
  if (node.type !== 'call') {
    return false;
  }
  const fn = child(node, 'function');
  if (!fn) {
    return false;
  }
  if (fn.type === 'call') {
    // `tf.random_normal_initializer()(shape=...)`, `keras.initializers.GlorotUniform()(shape)`
    const maker = child(fn, 'function');
    const name = maker ? (ctx.resolve(maker) ?? '') : '';
    return /^tensorflow\.(.*initializer|keras\.initializers\.|initializers\.)/.test(name) || (maker ? /^keras\.initializers\./.test(ctx.resolveKeras(maker) ?? '') : false);
  }
  const name = ctx.resolve(fn) ?? '';
  return name.startsWith('tensorflow.') && !name.startsWith('tensorflow.keras') && name !== 'tensorflow.Variable' && name !== 'tensorflow.function';
}

/** A Keras initializer computing what a TF op made as a variable's initial value, and the op's shape and dtype. */
interface InitialValueInitializer {
  initializer: string;
  shape: string;
  dtype: string | null;
}

/** TF random ops -> the Keras initializer and its parameters, with TensorFlow's defaults written out (Keras's differ). */
const RANDOM_OPS: Record<string, { keras: string; params: readonly (readonly [string, string])[] }> = {
  'tensorflow.random.normal': { keras: 'RandomNormal', params: [['mean', '0.0'], ['stddev', '1.0']] },
  'tensorflow.random.truncated_normal': { keras: 'TruncatedNormal', params: [['mean', '0.0'], ['stddev', '1.0']] },
  'tensorflow.random.uniform': { keras: 'RandomUniform', params: [['minval', '0.0'], ['maxval', '1.0']] }
};

/**
 * The initializer form of a variable's initial value made by a TF op in `build()`/`call()`:
 * `tf.random.normal(shape, stddev=0.1)` is `RandomNormal(mean=0.0, stddev=0.1)` of that shape,
 * `tf.zeros(shape)` is `"zeros"`, `w_init(shape=..., dtype=...)` for `w_init = tf.random_normal_initializer()`
 * (TensorFlow's custom-layers tutorial) is `RandomNormal()`. keras.Variable then makes its value when the
 * layer is built, so a layer nested in a subclassed model builds symbolically and its weights are saved
 * and restored (a value computed eagerly there left the model's build config empty and `load_model`
 * returned fresh random weights, silently; /work/og46e repro_1). Null for anything else.
 */
function initializerOfInitialValue(initial: SyntaxNode, ctx: RuleContext): InitialValueInitializer | null {
  const parts = initial.type === 'call' ? callParts(initial, ctx) : null;
  if (!parts || parts.splat) {
    return null;
  }
  const name = ctx.resolve(parts.fn) ?? '';
  const arg = (position: number, keyword: string): SyntaxNode | null => parts.positional[position] ?? parts.keywords.get(keyword)?.value ?? null;
  const dtypeText = (node: SyntaxNode | null): string | null => {
    if (!node) {
      return null;
    }
    const tf = /^tensorflow\.(\w+)$/.exec(ctx.resolve(node) ?? '');
    return tf ? `"${tf[1]}"` : ctx.textOf(node);
  };
  const random = RANDOM_OPS[name];
  if (random) {
    const shape = arg(0, 'shape');
    const dtype = arg(3, 'dtype');
    const known = [...parts.keywords.keys()].every(k => ['shape', 'dtype', 'seed', 'name', ...random.params.map(p => p[0])].includes(k));
    // An integer draw has no Keras initializer.
    if (!shape || !known || parts.positional.length > 4 || (dtype && /int/.test(ctx.textOf(dtype)))) {
      return null;
    }
    const values = random.params.map(([param, fallback], i) => {
      const given = arg(i + 1, param);
      return `${param}=${given ? ctx.textOf(given) : fallback}`;
    });
    const seed = parts.keywords.get('seed')?.value ?? parts.positional[4];
    return { initializer: `keras.initializers.${random.keras}(${[...values, ...(seed ? [`seed=${ctx.textOf(seed)}`] : [])].join(', ')})`, shape: ctx.textOf(shape), dtype: dtypeText(dtype) };
  }
  if ((name === 'tensorflow.zeros' || name === 'tensorflow.ones') && parts.positional.length <= 2 && [...parts.keywords.keys()].every(k => k === 'shape' || k === 'dtype' || k === 'name')) {
    const shape = arg(0, 'shape');
    return shape ? { initializer: name === 'tensorflow.zeros' ? '"zeros"' : '"ones"', shape: ctx.textOf(shape), dtype: dtypeText(arg(1, 'dtype')) } : null;
  }
  // `init(shape=..., dtype=...)` of a TF or Keras initializer object, made in place or held by a name of the method.
  const maker = parts.fn.type === 'identifier' ? lastAssignedValue(ctx.textOf(parts.fn), parts.fn, ctx) : parts.fn;
  const made = maker?.type === 'call' ? callParts(maker, ctx) : null;
  const shape = arg(0, 'shape');
  if (!made || !shape || parts.positional.length > 2 || [...parts.keywords.keys()].some(k => k !== 'shape' && k !== 'dtype')) {
    return null;
  }
  // TF's initializer classes -> Keras's, from the catalog's op table (exact mappings only: `tf.constant_initializer`
  // reshapes what `Constant` broadcasts).
  const mapped = tfOp(ctx.resolve(made.fn) ?? '');
  const tfClass = mapped?.keras && mapped.safe ? mapped.keras.replace(/^keras\.initializers\./, '') : null;
  const kerasClass = /^keras\.initializers\.\w+$/.test(ctx.resolveKeras(made.fn) ?? '') ? ctx.resolveKeras(made.fn)! : null;
  if (!tfClass && !kerasClass) {
    return null;
  }
  const args = child(maker!, 'arguments');
  return { initializer: `${tfClass ? `keras.initializers.${tfClass}` : kerasClass}${args ? ctx.textOf(args) : '()'}`, shape: ctx.textOf(shape), dtype: dtypeText(arg(1, 'dtype')) };
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || ctx.resolve(parts.fn) !== 'tensorflow.Variable' || !inKerasClassMethod(ctx)) {
    return;
  }
  // Only attributes of the layer (`self.w = tf.Variable(...)`) go untracked.
  const assignment = node.parent;
  const target = assignment && assignment.type === 'assignment' && node.field === 'right' ? child(assignment, 'left') : null;
  if (!target || target.type !== 'attribute' || ctx.textOf(child(target, 'object') ?? target) !== 'self') {
    return;
  }
  // tf.Variable's second positional argument is `trainable`, keras.Variable's is `shape`.
  let expressible = parts.positional.length <= 1 && !parts.splat;
  const edits: OffsetEdit[] = [{ start: parts.fn.start, end: parts.fn.end, text: 'keras.Variable' }];
  for (const [name, kw] of parts.keywords) {
    const renamed = KEYWORDS[name];
    if (renamed === undefined) {
      expressible = false;
    } else if (renamed !== name) {
      edits.push({ start: kw.name.start, end: kw.name.end, text: renamed });
    }
  }
  // `dtype=tf.int64` becomes the dtype string every backend understands.
  const dtypeArg = parts.keywords.get('dtype')?.value;
  const tfDtype = dtypeArg && dtypeArg.type === 'attribute' ? /^tensorflow\.(u?int\d+|float\d+|bfloat16|bool|complex\d+)$/.exec(ctx.resolve(dtypeArg) ?? '') : null;
  if (tfDtype) {
    edits.push({ start: dtypeArg!.start, end: dtypeArg!.end, text: `"${tfDtype[1]}"` });
  }
  // tf.Variable(0) is an int32 counter; older Keras 3 releases turn an untyped
  // keras.Variable(0) into floatx, so the dtype is written out for integer and bool literals.
  const initial = parts.positional[0] ?? parts.keywords.get('initial_value')?.value;
  // Also a parameter of `__init__()` every construction of the class in the code gives an integer:
  // `tf.Variable(a)` in a layer made as `CustomLayer(5)` (keras.io serialization guide).
  const literalDtype = initial ? literalDtypeOf(initial, ctx) ?? (isIntFromEveryCaller(initial, ctx, true) ? 'int32' : null) : null;
  if (literalDtype && !parts.keywords.has('dtype') && parts.args) {
    edits.push(appendArgument(parts.args, `dtype="${literalDtype}"`, ctx));
  }
  // An integer or bool variable (a step counter) is no weight to train: keras.Variable's default
  // `trainable=True` makes PyTorch refuse it ("Only Tensors of floating point and complex dtype can
  // require gradients"; keras.io AdaMatch's `tf.Variable(0, dtype="int64")`, checked by running).
  const dtypeText = tfDtype ? tfDtype[1] : dtypeArg?.type === 'string' ? ctx.textOf(dtypeArg).slice(1, -1) : literalDtype;
  if (dtypeText && /^(u?int\d+|bool)$/.test(dtypeText) && !parts.keywords.has('trainable') && parts.args) {
    edits.push(appendArgument(parts.args, 'trainable=False', ctx));
  }
  // A layer first built inside another layer's call on KerasTensors builds inside the graph Keras 3
  // traces to infer that call's output (TensorFlow's scratch FuncGraph): a TF tensor made in build()
  // belongs to it and tf.Variable refuses it ("could not be lifted out of a `tf.function`"); NumPy
  // data, a callable, or a layer used directly in a functional model or held by a subclassed Model
  // run (keras.io Swin Transformer; checked by running, claims/tf_variable_graph_initial_value.py).
  const method = kerasMethodName(ctx);
  const graphTensor = method === 'build' && !!initial && isTensorMadeHere(initial, ctx);
  // A Keras model of the class that the notebook trains (`model.fit(...)`) trains nothing of the
  // variable, on every backend (Keras warns that the model has no trainable weights): /work/og46e
  // repro_5, TensorFlow's basic-training-loops guide, whose `fit` left `w` at its initial value.
  // Only a weight to train: not an integer or bool counter, nor one made `trainable=False`.
  const trainable = !(dtypeText && /^(u?int\d+|bool)$/.test(dtypeText)) && !/^False$/.test(ctx.textOf(parts.keywords.get('trainable')?.value ?? node).trim());
  const trained = ctx.cls!.keras === 'model' && trainable ? `anywhere:${TRAINED_MODEL_CLASS}${ctx.cls!.name}` : null;
  const report = (fix: Parameters<RuleContext['report']>[2], why = '', onlyIf?: string): void => {
    const graph = graphTensor ? `anywhere:${builtInSymbolicCallFact(ctx.cls!.name)}` : null;
    const both = (a: string | undefined, b: string): string => (a ? `${a} & ${b}` : b);
    if (trained) {
      // Two findings: where the notebook trains the model (every backend), and where it does not.
      const tf = graph ? `${trained} | ${graph}` : trained;
      const trains = ' The notebook trains this model (`fit`): it trains nothing of the variable, on every backend.';
      ctx.report(node, message(ctx.textOf(target), graphTensor) + trains + why, fix, undefined, both(onlyIf, trained), ['tensorflow', 'jax', 'torch'], { tensorflow: tf });
    }
    const otherwise = trained ? both(onlyIf, `!${trained}`) : onlyIf;
    ctx.report(node, message(ctx.textOf(target), graphTensor) + why, fix, undefined, otherwise, graphTensor ? ['tensorflow'] : [], graph ? { tensorflow: graph } : undefined);
  };
  if (!expressible) {
    report(null);
    return;
  }
  // A `tf.GradientTape` of the cell differentiating the attribute (`t.gradient(loss, [model.w])`, then
  // `model.w.assign_sub(...)`: the TensorFlow basic-training-loops guide) records the tf.Variable on
  // every backend; it would not record a keras.Variable on JAX or PyTorch ("'Variable' object has no
  // attribute '_id'"; checked on Keras 3.15, /work/og44b r1): that loop has to be rewritten first.
  const attribute = ctx.textOf(child(target, 'attribute') ?? target);
  const taped = new RegExp(`\\.gradient\\s*\\([^\\n]*\\.${attribute}\\b`).test(ctx.text) && /GradientTape/.test(ctx.text);
  if (taped) {
    // Also where `fit` trains the model: as a keras.Variable the tape step would fail on JAX and PyTorch
    // ("'Variable' object has no attribute '_id'") with no finding left to say so (TensorFlow's
    // basic-training-loops guide, re-run after `fix --unsafe`): the tape comes first.
    report(null, ` No fix: a \`tf.GradientTape\` of the cell takes the gradient with respect to \`.${attribute}\`, which it would no longer record on JAX or PyTorch as a \`keras.Variable\`; take that gradient per backend first (or use \`model.trainable_variables\` with a Keras optimizer in a \`train_step\`).`);
    return;
  }
  // In build() or call() the variable may be created while Keras infers a parent layer's output
  // (a sublayer is built inside its parent's call), in a stateless scope where keras.Variable
  // refuses a value and accepts only an initializer: "You are attempting to create a variable
  // while in a stateless scope" on every backend (checked by running, keras.io Swin Transformer).
  // A named value (or tf.convert_to_tensor of one) becomes a Constant initializer with its shape.
  const value = initial ? deferrableValue(initial, ctx) : null;
  const made = initial && (method === 'build' || method === 'call') && !parts.keywords.has('shape') ? initializerOfInitialValue(initial, ctx) : null;
  if (made && initial && parts.args) {
    edits.push({ start: initial.start, end: initial.end, text: made.initializer });
    if (parts.positional[0] === initial) {
      edits.push({ start: initial.start, end: initial.start, text: 'initializer=' });
    }
    edits.push(appendArgument(parts.args, `shape=${made.shape}`, ctx));
    if (made.dtype && !parts.keywords.has('dtype') && !literalDtype) {
      edits.push(appendArgument(parts.args, `dtype=${made.dtype}`, ctx));
    }
  } else if (value && initial && (method === 'build' || method === 'call') && !parts.keywords.has('shape') && parts.args) {
    const v = ctx.textOf(value);
    edits.push({ start: initial.start, end: initial.end, text: `keras.initializers.Constant(${v})` });
    if (parts.positional[0] === initial) {
      edits.push({ start: initial.start, end: initial.start, text: 'initializer=' });
    }
    edits.push(appendArgument(parts.args, `shape=${v}.shape`, ctx));
    if (!parts.keywords.has('dtype') && !literalDtype) {
      edits.push(appendArgument(parts.args, `dtype=${v}.dtype`, ctx));
    }
  }
  // Never safe: once tracked, the variable changes what `layer.weights` holds (and so what
  // save_weights/load_weights and an optimizer over `trainable_weights` see).
  report({
    title: 'Use `keras.Variable`',
    safe: false,
    edits: withKerasImport(ctx, edits)
  });
}

/** Noted where the notebook trains an instance of a Keras Model subclass of its own: `trained-model-class:NAME`. */
const TRAINED_MODEL_CLASS = 'trained-model-class:';

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const method = parts?.fn.type === 'attribute' ? ctx.textOf(child(parts.fn, 'attribute') ?? parts.fn) : '';
  const receiver = parts?.fn.type === 'attribute' ? child(parts.fn, 'object') : null;
  if (!receiver || (method !== 'fit' && method !== 'train_on_batch')) {
    return;
  }
  const cls = modelClassMade(receiver, node, ctx);
  const name = cls ? child(cls, 'name') : null;
  if (name) {
    ctx.note(TRAINED_MODEL_CLASS + ctx.textOf(name));
  }
}

function visitAnyCall(node: SyntaxNode, ctx: RuleContext): void {
  visit(node, ctx);
  visitCall(node, ctx);
}

export const tfVariableInLayer: RuleDefinition = {
  code: 'KM091',
  name: 'tf-variable-in-layer',
  slug: 'tf-variable-tracking',
  severity: 'error',
  // Checked by running (TF, JAX, PyTorch): the code runs everywhere, the variable just is not
  // trained or saved, a silent failure that blocks no backend; except a TF tensor made in the
  // build() of a layer built inside another layer's symbolic call, which fails on TensorFlow, and a
  // model of the class the notebook trains with `fit`, which trains nothing of it on every backend
  // (claimed per finding; claims/tf_variable_in_trained_model.py).
  blocks: [],
  fixAvailability: 'sometimes',
  triggers: ['fit', 'train_on_batch'],
  docs: {
    whatItDoes: 'Flags `self.x = tf.Variable(...)` in methods of Keras Layer/Model subclasses.',
    why:
      'Keras 3 tracks only its own variables. A `tf.Variable` attribute is invisible to `trainable_weights`, so it is not trained and not saved, and Keras warns that the model has no trainable weights (guide section "TensorFlow variables tracking"). The rewrite to `keras.Variable` is offered when the call uses only arguments both constructors share; it is a suggestion, not a safe fix, because a tracked variable changes what `layer.weights` holds (saved weights files, optimizers over `trainable_weights`). An initial value made by a TF op or initializer in `build()`/`call()` (`tf.random.normal(shape, stddev=0.1)`, `tf.zeros(shape)`, `w_init(shape=...)` of `tf.random_normal_initializer()`) becomes the matching Keras initializer with TensorFlow\'s defaults written out and the shape (`keras.Variable(initializer=keras.initializers.RandomNormal(mean=0.0, stddev=0.1), shape=...)`): keras.Variable then makes the value when the layer is built, so a layer nested in a subclassed model builds symbolically and a `.keras` round trip restores its weights (a value computed eagerly there left the build config empty and `load_model` returned fresh random weights, silently, on every backend). Where the notebook trains a model of the class with `fit`, the finding claims every backend: the variable is not trained (checked on Keras 3.15).',
    example: 'import keras\nimport tensorflow as tf\nclass Scale(keras.layers.Layer):\n    def build(self, shape):\n        self.w = tf.Variable(tf.ones(shape[-1:]))',
    useInstead: 'import keras\nclass Scale(keras.layers.Layer):\n    def build(self, shape):\n        self.w = self.add_weight(shape=shape[-1:], initializer="ones")'
  },
  calls: { resolved: ['tensorflow.Variable'], names: ['fit', 'train_on_batch'] },
  // Findings are on calls resolving to `tensorflow.Variable` (`fit` only notes which classes are trained).
  requires: ['Variable'],
  visitors: { call: visitAnyCall }
};
