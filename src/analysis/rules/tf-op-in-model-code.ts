import { child, enclosingFunctionDefinition, identifiersIn, SyntaxNode } from '../ast';
import { lastAssignedValue } from '../helpers/calls';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { CellMemoKey, nodeMemo } from '../rule';
import { isTfOpName } from '../knowledge';
import { imageQualityHelper } from '../helpers/image-quality';
import { idsForStringLookup, storedConverted, storedInInit } from '../helpers/string-lookup';
import { storedScalarMath } from '../helpers/python-scalar';
import { backendProse, callParts, eagerPlace, modelCodeVariants, tfApiName, tfOpCall, tfOpClaim } from '../rule-helpers';

/** TF calls whose result is no dense numeric tensor (variables, sparse/ragged/string values, pipelines). */
const NOT_A_DENSE_TENSOR = /^tf\.(Variable|SparseTensor|RaggedTensor|TensorArray|Module|function|ragged\.|strings\.|lookup\.|data\.|io\.|sparse\.(?!to_dense$)|train\.|summary\.|distribute\.|saved_model\.)/;

/**
 * `self.attr = tf_call(...)` straight in `__init__` (the TensorFlow text-generation tutorial's
 * `self.prediction_mask = tf.sparse.to_dense(sparse_mask)`): the call runs once, eagerly, on
 * constants, but what it stores is a TensorFlow tensor, which methods then mix with the backend's
 * tensors (`predicted_logits + self.prediction_mask` fails on JAX and on PyTorch). The suggestion
 * wraps it in `keras.ops.convert_to_tensor(...)` (on TensorFlow the same tensor). Null elsewhere.
 */
function storedConstant(node: SyntaxNode, name: string, ctx: RuleContext): RawFix | null {
  if (!storedInInit(node, ctx) || NOT_A_DENSE_TENSOR.test(name)) {
    return null;
  }
  const imp = ctx.kerasImportEdit();
  const edits: OffsetEdit[] = [
    { start: node.start, end: node.start, text: 'keras.ops.convert_to_tensor(' },
    { start: node.end, end: node.end, text: ')' }
  ];
  return { title: `Store \`keras.ops.convert_to_tensor(${name}(...))\`: the backend's tensor (on TensorFlow the same tensor)`, safe: false, edits: imp ? [...edits, imp] : edits };
}

/** A list, tuple or set with a string literal among its items, anywhere in `node` (`[b"<pad>"] + sorted(words)`). */
function listsStrings(node: SyntaxNode, depth = 0): boolean {
  if (depth > 6) {
    return false;
  }
  if ((node.type === 'list' || node.type === 'tuple' || node.type === 'set') && node.children.some(c => c.type === 'string' || c.type === 'concatenated_string')) {
    return true;
  }
  return node.type !== 'call' && node.children.some(c => listsStrings(c, depth + 1));
}

/**
 * Whether the op is given string data: a string literal, a list of them, or a name (or `self.attr`
 * of the same method) last assigned one. keras.ops tensors of strings do not exist on JAX and
 * PyTorch ("dtype |S5 is not a valid JAX array type", og48b repro_6, Géron's vocabulary table).
 */
function givenStrings(parts: NonNullable<ReturnType<typeof callParts>>, ctx: RuleContext): boolean {
  const fn = enclosingFunctionDefinition(parts.fn);
  return parts.positional.some(arg => {
    if (arg.type === 'string' || arg.type === 'concatenated_string' || listsStrings(arg)) {
      return true;
    }
    if (arg.type === 'identifier') {
      const value = lastAssignedValue(ctx.textOf(arg), arg, ctx);
      return !!value && (value.type === 'string' || listsStrings(value));
    }
    if (arg.type === 'attribute' && fn) {
      // `self.vocab = [b"<pad>"] + ...` earlier in the same method.
      const before = (attributeAssignments(fn, ctx).get(ctx.textOf(arg)) ?? []).filter(a => a.start < arg.start);
      const last = before[before.length - 1];
      return !!last && /(\[|\(|\{)\s*[rbuRBU]?["']/.test(last.value);
    }
    return false;
  });
}

const ATTRIBUTE_ASSIGNMENTS = new CellMemoKey<Map<SyntaxNode, Map<string, Array<{ start: number; value: string }>>>>('self.attr assignments of a function');

/** The `self.attr = value` lines of a function, by target, read once per function. */
function attributeAssignments(fn: SyntaxNode, ctx: RuleContext): Map<string, Array<{ start: number; value: string }>> {
  return nodeMemo(ctx, ATTRIBUTE_ASSIGNMENTS, fn, () => {
    const found = new Map<string, Array<{ start: number; value: string }>>();
    for (const m of ctx.text.slice(fn.start, fn.end).matchAll(/^[ \t]*([A-Za-z_][\w.]*)[ \t]*=(?!=)(.*)$/gm)) {
      const list = found.get(m[1]) ?? [];
      list.push({ start: fn.start + m.index!, value: m[2] });
      found.set(m[1], list);
    }
    return found;
  });
}

const BODY_NAMES = new CellMemoKey<Map<SyntaxNode, Map<string, SyntaxNode[]>>>('identifiers of a function body by name');

/** The identifiers of a function body by name, indexed once per body (several ops of one body ask). */
function namesInBody(body: SyntaxNode, ctx: RuleContext): Map<string, SyntaxNode[]> {
  return nodeMemo(ctx, BODY_NAMES, body, () => {
    const index = new Map<string, SyntaxNode[]>();
    for (const id of identifiersIn(body)) {
      const list = index.get(ctx.textOf(id)) ?? [];
      list.push(id);
      index.set(ctx.textOf(id), list);
    }
    return index;
  });
}

/**
 * Whether the op's value, assigned to a name, is read only by TensorFlow calls of the same function
 * that have no keras.ops rewrite (`words = tf.constant(vocab)` then `tf.lookup.KeyValueTensorInitializer(words, ids)`):
 * the TF API that stays takes TF's tensor, so a keras.ops rewrite buys nothing there.
 */
function feedsTensorflowOnly(node: SyntaxNode, ctx: RuleContext): boolean {
  const assignment = node.parent?.type === 'assignment' && child(node.parent, 'right') === node ? node.parent : null;
  const target = assignment ? child(assignment, 'left') : null;
  const fn = enclosingFunctionDefinition(node);
  const body = fn ? child(fn, 'body') : null;
  if (!target || target.type !== 'identifier' || !body) {
    return false;
  }
  const name = ctx.textOf(target);
  const reads = (namesInBody(body, ctx).get(name) ?? []).filter(id => id !== target && id.start > node.end);
  return (
    reads.length > 0 &&
    reads.every(id => {
      const call = id.parent?.type === 'argument_list' ? id.parent.parent : id.parent?.type === 'keyword_argument' ? id.parent.parent?.parent : null;
      const callee = call?.type === 'call' ? child(call, 'function') : null;
      // A TF call that stays TensorFlow's (no keras.ops rewrite: `tf.lookup.*`), not one converted too.
      return !!callee && (ctx.resolve(callee) ?? '').startsWith('tensorflow.') && !ctx.resolveKeras(callee) && !tfOpCall(call!, ctx)?.conversion.fix;
    })
  );
}

/** Gradients taken inside model code (keras.io eikonal's `tf.gradients` in a Lambda): keras.ops has none. */
const GRADIENT_OPS = /^tf\.(gradients|hessians)$/;

/**
 * TensorFlow's companion packages, whose functions and classes are TensorFlow ops (TensorFlow
 * Probability's distributions, bijectors and `tfp.math`; TensorFlow I/O's audio and color ops): by
 * their usual short name and the package's name. No `keras.ops` rewrite (none is exact).
 */
const TF_PACKAGES: readonly { prefix: string; short: string; label: string }[] = [
  { prefix: 'tensorflow_probability.', short: 'tfp.', label: 'TensorFlow Probability' },
  { prefix: 'tensorflow_io.', short: 'tfio.', label: 'TensorFlow I/O' }
];

/** KM178's TFP calls (its Keras layers, and the distributions it rewrites in a Keras class). */
const KM178_TFP = /^tensorflow_probability\.(layers\.|(?:python\.)?distributions\.(MultivariateNormalDiag|Normal)$)/;

/** A TF-package call in model code (`tfp.math.reduce_logmeanexp(x)`, `tfd.Bernoulli(logits=x)`), reported with its package. */
function visitPackageCall(node: SyntaxNode, canonical: string, ctx: RuleContext): void {
  const pkg = TF_PACKAGES.find(p => canonical.startsWith(p.prefix));
  const parts = callParts(node, ctx);
  if (!pkg || !parts || (KM178_TFP.test(canonical) && (canonical.startsWith('tensorflow_probability.layers.') || ctx.cls?.keras))) {
    return;
  }
  const variants = modelCodeVariants(node, ctx);
  // Ops on symbolic Functional-API tensors fail on every backend, TensorFlow included (KM071's ground).
  if (!variants.length || [...parts.positional, ...[...parts.keywords.values()].map(k => k.value)].some(a => ctx.isSymbolic(a))) {
    return;
  }
  const name = pkg.short + canonical.slice(pkg.prefix.length);
  for (const variant of variants) {
    const condition = variant.condition;
    const where = variant.eager ? eagerPlace(variant) : condition === undefined ? '' : ` (\`${condition.slice('model:'.length).replace(/^\./, '')}()\` runs as model code)`;
    const { blocks, blocksOnlyIf, reason, reaching } = tfOpClaim(node, ctx, variant.eager);
    const claim = reaching
      ? `runs here only on ${backendProse(reaching)}, behind a test of \`keras.backend.backend()\`${blocks.length ? `, and fails on ${backendProse(blocks)} there` : ''}`
      : !blocks.length
        ? 'runs here on every backend, but only while TensorFlow is installed'
        : reason === 'eager'
          ? 'runs eagerly here, where TensorFlow takes JAX\'s arrays, but fails on PyTorch where it meets what calling a layer directly returns (a tensor that requires grad)'
          : blocks.includes('torch')
            ? 'fails on JAX, which traces this code, and on PyTorch where it gets tensors that require grad (in training or a direct model call; `predict` and `evaluate` run it)'
            : 'fails on JAX, which traces this code';
    ctx.report(
      parts.fn,
      `\`${name}\` is ${pkg.label}, whose functions are TensorFlow ops: it ${claim}${where}; ${pkg.label} has no Keras 3 multi-backend version, so write it with \`keras.ops\` (and \`keras.random\`) by hand, or keep the model on TensorFlow.`,
      undefined,
      undefined,
      condition,
      [...blocks],
      blocksOnlyIf
    );
  }
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const canonical = ctx.resolve(parts.fn);
  if (canonical && TF_PACKAGES.some(p => canonical.startsWith(p.prefix))) {
    visitPackageCall(node, canonical, ctx);
    return;
  }
  const name = tfApiName(canonical);
  // tf.image.ssim / image_gradients / psnr are KM244's, tf.image.crop_and_resize KM261's (a keras.ops
  // helper defined in the cell).
  if (!name || !isTfOpName(name) || imageQualityHelper(name) || name === 'tf.image.crop_and_resize') {
    return;
  }
  // `for i in tf.range(...)`: the loop is KM293's (Keras 3 runs no AutoGraph; its fix is Python's `range`).
  // Of Python integers the range is an eager constant that JAX and PyTorch iterate.
  if (name === 'tf.range' && node.parent?.type === 'for_statement' && node.field === 'right') {
    return;
  }
  // Made once in `__init__` and stored as the backend's tensor (the suggestion below): runs on every backend.
  if (storedConverted(node, ctx)) {
    return;
  }
  // `lookup(tf.convert_to_tensor(ids))` on an inverted StringLookup: the TensorFlow tensor of the ids
  // is what the layer needs to return strings on JAX (KM200's fix), not an op to convert.
  if (idsForStringLookup(node, ctx)) {
    return;
  }
  // In a notebook function, the finding holds if the notebook uses that function as model code.
  const variants = modelCodeVariants(node, ctx);
  if (!variants.length) {
    return;
  }
  // Ops on symbolic Functional-API tensors are KM071's (they fail on every backend).
  if (parts.positional.some(a => ctx.isSymbolic(a))) {
    return;
  }
  const { mapping, target, conversion, advice } = tfOpCall(node, ctx)!;
  const { unmapped } = conversion;
  // `self.scale = tf.sqrt(self.gain / fan_in)` in build(): Python numbers in, a Python float out.
  const scalar = storedScalarMath(node, name, parts, ctx);
  const stored = conversion.fix || scalar ? null : storedConstant(node, name, ctx);
  const fix = scalar ?? conversion.fix ?? stored;
  const hint = scalar
    ? `its argument is Python numbers, so use \`${scalar.edits[0].text}\` (a Python float; a tensor made in \`${ctx.fn?.name}()\` belongs to wherever the layer is built, which may be another layer's traced call, where \`keras.ops\` fails too)`
    : stored
    ? 'this tensor is made once in `__init__`: keep the TensorFlow call there and store `keras.ops.convert_to_tensor(...)` of it, the backend\'s tensor, which the methods then mix with the layer\'s own'
    : unmapped
    ? `\`${target}\` has no counterpart for ${unmapped}, so rewrite this call by hand`
    : advice
      ? advice
      : target
      ? `use \`${target}\`${mapping ? '' : ' (check its arguments)'}`
      : GRADIENT_OPS.test(name)
      ? '`keras.ops` has no gradient function: take the gradient per backend (`tf.GradientTape` on TensorFlow, `jax.grad` on JAX, `torch.autograd.grad(..., create_graph=True)` on PyTorch), or move the computation into a `train_step`'
      : 'use the matching `keras.ops` function';
  for (const variant of variants) {
    const condition = variant.condition;
    const where = variant.eager ? eagerPlace(variant) : condition === undefined ? '' : ` (\`${condition.slice('model:'.length).replace(/^\./, '')}()\` runs as model code)`;
    const { blocks, blocksOnlyIf, reason, weightsMatter, reaching, functionalMask, buildGraph, backendDtype } = tfOpClaim(node, ctx, variant.eager);
    // A keras.ops tensor made in a sublayer's build() leaks the same way (a JAX tracer, a TF graph tensor): no safe rewrite.
    // Where the op blocks nothing, a rewrite of string data or of a value only other TF calls read would break
    // what runs: it stays TensorFlow's.
    const strings = !blocks.length && givenStrings(parts, ctx);
    const keepTf = strings || (!blocks.length && feedsTensorflowOnly(node, ctx));
    const keptHint = strings
      ? 'it is given strings, which `keras.ops` tensors cannot hold on JAX and PyTorch: keep it TensorFlow\'s (or keep the strings in Python/NumPy)'
      : 'its value goes only to other TensorFlow calls here, which take TensorFlow\'s tensor: keep it with them';
    const fixHere = keepTf ? null : buildGraph && fix?.safe ? { ...fix, safe: false } : fix;
    const claim = reaching
      ? `runs here only on ${backendProse(reaching)}, behind a test of \`keras.backend.backend()\`${
          blocks.length ? `, and fails on ${backendProse(blocks)} there` : ', so it blocks no backend, only running without TensorFlow'
        }`
      : reason === 'eager'
        ? blocks.length
          ? 'runs eagerly here, where TensorFlow takes JAX\'s arrays, but fails on PyTorch where it meets what calling a layer directly returns (a tensor that requires grad)'
          : 'runs eagerly here, outside what `fit` and `predict` trace, where TensorFlow takes every backend\'s arrays: it runs on every backend, but only while TensorFlow is installed'
        : reason === 'constant'
          ? 'only makes data that `keras.ops` and Keras layers take as they take NumPy data, so it runs on every backend, but only while TensorFlow is installed'
          : reason === 'python'
            ? 'gives a Python value here, so it runs on every backend, but only while TensorFlow is installed'
            : reason === 'condition'
              ? 'is read only by a Python condition here, so it runs on JAX and PyTorch while TensorFlow is installed (JAX computes it once, when it traces the step; TensorFlow\'s symbolic build refuses the condition itself)'
            : reason === 'traced'
              ? 'fails on JAX, which traces this code (TensorFlow and PyTorch run it while TensorFlow is installed)'
              : reason === 'numpy'
                ? 'runs eagerly here and its value becomes a NumPy array, which JAX takes anywhere, but PyTorch refuses an operator between it and a tensor that requires grad (in training or a direct model call; a `keras.ops` call converts it)'
              : backendDtype
                ? 'fails on JAX, which traces this code, and on PyTorch, where the `.dtype` it is given is a `torch.dtype` that TensorFlow cannot convert'
              : weightsMatter
                ? 'fails on JAX, which traces this code, and on PyTorch where it gets tensors that require grad (in training or a direct model call, behind a layer with weights; `predict` and `evaluate` run it)'
                : 'fails on JAX, which traces this code, and on PyTorch where it gets tensors that require grad (in training or a direct model call; `predict` and `evaluate` run it)';
    // Keras 3 calls compute_mask on a functional model's KerasTensors outside any tracing.
    const mask = functionalMask ? '; in `compute_mask` it also fails on every backend, TensorFlow included, where the layer is called on a functional model\'s inputs (Keras calls it on the KerasTensors)' : '';
    // A sublayer built inside another layer's traced call keeps a tensor of that graph (withBuildGraph).
    const graph = buildGraph
      ? `; ${reason === 'constant' ? 'but' : 'and'} on TensorFlow it fails where this layer is a sublayer another layer calls on a functional model's inputs: it is then built inside the graph Keras traces for that call, and the tensor kept in \`${buildGraph}\` is "out of scope" wherever it is used later; a \`keras.ops\` rewrite is then no safe fix (its tensor leaks from that graph too, on JAX as a tracer): make it a Python or NumPy value, or a non-trainable weight`
      : '';
    ctx.report(parts.fn, `\`${name}\` ${claim}${mask}${graph}${where}; ${keepTf ? keptHint : hint}.`, fixHere, undefined, condition, [...blocks], blocksOnlyIf);
  }
}

export const tfOpInModelCode: RuleDefinition = {
  code: 'KM131',
  name: 'tf-op-in-model-code',
  slug: 'keras-ops',
  severity: 'warning',
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags each call of a TensorFlow op (`tf.*`, `tf.math.*`, `tf.linalg.*`, `tf.nn.*`, ...) inside code that runs on model tensors: methods of Keras Layer/Model/Metric/Loss (and constraint, regularizer, initializer) subclasses, loss and metric functions (`y_true, y_pred`), functions given to `Lambda`, to `compile(loss=, metrics=)` or as activations, regularizers, constraints and initializers, and the notebook functions any of those call (followed across cells). `tf.data` pipelines are not model code. Calls of TensorFlow\'s companion packages there, TensorFlow Probability (`tfp.math.*`, `tfp.distributions.*` in a loss function or Lambda, ...) and TensorFlow I/O (`tfio.*`), are TensorFlow ops too and are reported naming the package, with no rewrite (the TFP Keras layers and the distributions KM178 rewrites in a Keras class are KM178\'s). Ops listed in src/catalog/ops.json get a rewrite to `keras.ops` with every argument placed by meaning; `tf.range(1, tf.rank(x))` (or of `tf.size(tf.shape(x))`, `len(x.shape)`, `x.shape.rank`, less or more an integer) given as the axes of a TF reduction (`tf.reduce_mean(..., axis=...)`, `tf.nn.moments(..., axes=...)`, keras.io StyleGAN\'s pixel norm) becomes `tuple(range(1, len(x.shape)))`, a safe fix: the rank is static in Keras 3, and keras.ops takes the axes as Python integers (a tensor axis fails on JAX and PyTorch). A TF call with no `keras.ops` counterpart that is the whole value of a `self.attr = ...` statement in `__init__` (the TensorFlow text-generation tutorial\'s `self.prediction_mask = tf.sparse.to_dense(sparse_mask)`, made once from constants but a TensorFlow tensor that the methods then add to the backend\'s) gets a suggestion: `keras.ops.convert_to_tensor(...)` of it (on TensorFlow the same tensor; variables, sparse, ragged and string values are left alone), which is then not flagged; nor is `tf.convert_to_tensor(ids)` given to an inverted StringLookup (the TensorFlow tensor it needs to return strings, KM200\'s fix). `tf.sqrt` / `tf.exp` / `tf.math.log` of plain Python numbers stored as `self.attr = ...` in a layer\'s `build()` or `__init__()` (keras.io StyleGAN\'s `self.scale = tf.sqrt(self.gain / fan_in)`: literals, number-defaulted parameters, `input_shape[i]` and attributes set only from those) gets a suggestion of `math.sqrt` / `math.exp` / `math.log` instead: a tensor made in `build()` belongs to wherever the layer is built, and a sublayer made in another layer\'s `build()` is built inside that layer\'s traced call, where the stored tensor leaks ("out of scope" on TensorFlow, a leaked tracer on JAX, a failing call on PyTorch; `keras.ops.sqrt` too), while a Python float is the same number anywhere. A shape vector concatenated from a slice of `tf.shape(x)` and scalars (`tf.concat([tf.shape(x)[:-1], [h, -1]], 0)`) becomes the tuple `(*keras.ops.shape(x)[:-1], h, -1)` (`keras.ops.shape` is a tuple). In a constraint (a lambda, a function or a `Constraint` subclass given as `*_constraint=`), which Keras calls with the variable itself, the rewrite first makes the variable a tensor (`w = keras.ops.convert_to_tensor(w)`): `keras.ops.zeros_like`/`where` of the variable fail on JAX; only JAX is claimed there, since PyTorch runs constraints without grad. An op in eager code given strings, or whose value only TensorFlow calls without a rewrite read (`tf.lookup` initialisers), keeps TensorFlow: no rewrite.',
    why:
      'On the JAX and PyTorch backends the tensors reaching a layer are not TensorFlow tensors, so TF ops reject them: JAX traces every call (building a Functional model included); PyTorch fails only where the tensors require grad, which is in training (`fit`, `train_on_batch`, a `GradientTape` loop) and in a direct `model(x)` call (also one inside a notebook function the model is passed to), while `predict` and `evaluate` run under `torch.no_grad()` and run the op (checked on Keras 3.15); a function given to a `Lambda` layer that only ever gets the model\'s inputs (right after `keras.Input`, after weightless layers, first in a `Sequential`) and calls no layer gets tensors that need no grad, so PyTorch runs it in training too (JAX only is claimed; a named function also called elsewhere, a `Lambda` behind a layer with weights, one whose model is itself a layer of another model (a GAN\'s discriminator after its generator), or one whose model is not found in the same block, keeps the PyTorch claim). A TF tensor kept in `self.attr` in a layer\'s `build()` (`self.scale = tf.range(n, dtype=tf.float32) / 10.0`) also fails on TensorFlow where that layer is a sublayer (made in another layer\'s `__init__`/`build`) whose parent is called on a functional model\'s inputs, or a sublayer of a subclassed Model that `fit` builds: it is built inside the graph Keras traces there and the kept tensor is "out of scope" at every later use, even in `keras.ops` calls; its `keras.ops` rewrite is then only a suggestion, since a `keras.ops` tensor made there leaks too (a tracer on JAX; checked on Keras 3.15). In a layer\'s `compute_mask` the op also fails on TensorFlow: Keras 3 calls compute_mask on the KerasTensors of a functional model\'s construction, outside any tracing, so where the notebook calls the layer on a functional model\'s inputs every backend is claimed (the masking & padding guide\'s CustomEmbedding). A model\'s own method that Keras never runs and no method of its class calls (keras.io DDPM\'s `generate_images`/`plot_images`, run from a callback), and the helpers only it calls, run eagerly: TensorFlow takes JAX\'s concrete arrays and PyTorch tensors that need no grad there, so such an op claims no backend (PyTorch only where the method calls a layer directly), and its rewrite keeps the program free of TensorFlow. `keras.ops` offers the same operations for every backend (guide section "Switching to Keras ops"). Only rewrites whose arguments and defaults match exactly are marked safe (each checked against TensorFlow on every backend); the rest are suggestions, and a call passing an argument the `keras.ops` function cannot take gets no rewrite, with a message naming that argument.',
    example:
      'import keras\nimport tensorflow as tf\nclass Norm(keras.layers.Layer):\n    def call(self, x):\n        return x / tf.reduce_sum(x, axis=1, keepdims=True)',
    useInstead:
      'import keras\nclass Norm(keras.layers.Layer):\n    def call(self, x):\n        return x / keras.ops.sum(x, axis=1, keepdims=True)'
  },
  calls: { resolved: ['tensorflow.', 'tensorflow_probability.', 'tensorflow_io.'] },
  visitors: { call: visit }
};
