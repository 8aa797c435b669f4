import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { appendArgument, builtInSymbolicCallFact, callParts, inKerasClassMethod, lastAssignedValue, withKerasImport } from '../rule-helpers';
import { kerasMethodName } from '../helpers/model-code';
import { isIntFromEveryCaller } from '../helpers/int-values';

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
  const report = (fix: Parameters<RuleContext['report']>[2], why = ''): void => {
    if (graphTensor) {
      ctx.report(node, message(ctx.textOf(target), true) + why, fix, undefined, undefined, ['tensorflow'], { tensorflow: `anywhere:${builtInSymbolicCallFact(ctx.cls!.name)}` });
    } else {
      ctx.report(node, message(ctx.textOf(target), false) + why, fix);
    }
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
  if (new RegExp(`\\.gradient\\s*\\([^\\n]*\\.${attribute}\\b`).test(ctx.text) && /GradientTape/.test(ctx.text)) {
    report(null, ` No fix: a \`tf.GradientTape\` of the cell takes the gradient with respect to \`.${attribute}\`, which it would no longer record on JAX or PyTorch as a \`keras.Variable\`; take that gradient per backend first (or use \`model.trainable_variables\` with a Keras optimizer in a \`train_step\`).`);
    return;
  }
  // In build() or call() the variable may be created while Keras infers a parent layer's output
  // (a sublayer is built inside its parent's call), in a stateless scope where keras.Variable
  // refuses a value and accepts only an initializer: "You are attempting to create a variable
  // while in a stateless scope" on every backend (checked by running, keras.io Swin Transformer).
  // A named value (or tf.convert_to_tensor of one) becomes a Constant initializer with its shape.
  const value = initial ? deferrableValue(initial, ctx) : null;
  if (value && initial && (method === 'build' || method === 'call') && !parts.keywords.has('shape') && parts.args) {
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

export const tfVariableInLayer: RuleDefinition = {
  code: 'KM091',
  name: 'tf-variable-in-layer',
  slug: 'tf-variable-tracking',
  severity: 'error',
  // Checked by running (TF, JAX, PyTorch): the code runs everywhere, the variable just is not
  // trained or saved, a silent failure that blocks no backend; except a TF tensor made in the
  // build() of a layer built inside another layer's symbolic call, which fails on TensorFlow
  // (claimed per finding).
  blocks: [],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `self.x = tf.Variable(...)` in methods of Keras Layer/Model subclasses.',
    why:
      'Keras 3 tracks only its own variables. A `tf.Variable` attribute is invisible to `trainable_weights`, so it is not trained and not saved, and Keras warns that the model has no trainable weights (guide section "TensorFlow variables tracking"). The rewrite to `keras.Variable` is offered when the call uses only arguments both constructors share; it is a suggestion, not a safe fix, because a tracked variable changes what `layer.weights` holds (saved weights files, optimizers over `trainable_weights`).',
    example: 'import keras\nimport tensorflow as tf\nclass Scale(keras.layers.Layer):\n    def build(self, shape):\n        self.w = tf.Variable(tf.ones(shape[-1:]))',
    useInstead: 'import keras\nclass Scale(keras.layers.Layer):\n    def build(self, shape):\n        self.w = self.add_weight(shape=shape[-1:], initializer="ones")'
  },
  calls: { resolved: ['tensorflow.Variable'] },
  // Findings are on calls resolving to `tensorflow.Variable`.
  requires: ['Variable'],
  visitors: { call: visit }
};
