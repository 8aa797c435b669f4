import { child, definedInPlainFunctionsFromModule, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { assignedBefore, callParts, lastAssignedValue, lineStartAt } from '../rule-helpers';
import { callsInBody, isDataset, mappedBodies, PREPROCESSING_LAYER, tensorflowName } from '../helpers/tf-data';

const SEQUENTIAL = new Set(['keras.Sequential', 'keras.models.Sequential']);
const MODELS = new Set(['keras.Model', 'keras.models.Model', 'keras.models.load_model', 'keras.saving.load_model', 'keras.models.clone_model']);

/**
 * Keras functions that compute on the backend's tensors: `keras.ops.*`, `keras.activations.*`,
 * and the `preprocess_input` of the applications in "caffe" mode (ResNet v1, VGG: a channel flip
 * with keras.ops). The others (MobileNet, Inception, Xception, ResNet v2 scale with Python
 * operators; DenseNet's "torch" mode; EfficientNet, ConvNeXt, MobileNetV3 pass the input
 * through) run inside tf.data on every backend (checked by running on JAX and PyTorch).
 */
const BACKEND_FUNCTION = /^keras\.(ops\.|activations\.|applications\.(resnet|resnet50|vgg16|vgg19|imagenet_utils)\.preprocess_input$)/;
const KERAS_INPUT = new Set(['keras.Input', 'keras.layers.Input']);

/** The statement holding an assignment's value (`name = value` as a whole line), at module level or in a script's `main()`. */
function statementOf(value: SyntaxNode): SyntaxNode | null {
  const assignment = value.parent;
  const stmt = assignment?.type === 'assignment' ? assignment.parent : null;
  return stmt?.type === 'expression_statement' && definedInPlainFunctionsFromModule(stmt) ? stmt : null;
}

/** Whole lines of a statement, for deleting it. */
function lineRange(stmt: SyntaxNode, text: string): { start: number; end: number } {
  const start = lineStartAt(text, stmt.start);
  const m = /\r\n|\r|\n/g;
  m.lastIndex = stmt.end;
  const found = m.exec(text);
  return { start, end: found ? found.index + found[0].length : text.length };
}

/** Occurrences of `name` as a word in `text`. */
function mentions(name: string, text: string): number {
  return text.match(new RegExp(`(?<![\\w.])${name}\\b`, 'g'))?.length ?? 0;
}

/**
 * A functional model made only of preprocessing layers, applied one after the other to its
 * `keras.Input` (`inp = keras.Input(...)`, `out = RandomFlip(...)(inp)`, `out =
 * RandomTranslation(...)(out)`, `model = keras.Model(inp, out)`), in this cell, called and
 * nothing else: the same layers in a `keras.layers.Pipeline`, which runs inside tf.data on every
 * backend. A suggestion: a Pipeline is a layer, not a model (no summary(), save() or fit()).
 */
function pipelineFix(name: string, model: SyntaxNode, ctx: RuleContext): RawFix | null {
  const parts = callParts(model, ctx);
  const modelStmt = statementOf(model);
  const fnName = parts ? ctx.resolveKeras(parts.fn) : null;
  if (!parts || !modelStmt || !fnName || !MODELS.has(fnName) || fnName.endsWith('load_model') || fnName.endsWith('clone_model') || parts.splat) {
    return null;
  }
  const inputs = parts.positional[0] ?? parts.keywords.get('inputs')?.value;
  const outputs = parts.positional[1] ?? parts.keywords.get('outputs')?.value;
  const extra = [...parts.keywords.keys()].filter(k => k !== 'inputs' && k !== 'outputs' && k !== 'name');
  if (!inputs || !outputs || inputs.type !== 'identifier' || outputs.type !== 'identifier' || extra.length || parts.positional.length > 2) {
    return null;
  }
  const root = modelStmt.parent!;
  const inputName = ctx.textOf(inputs);
  const layers: string[] = [];
  const chain: SyntaxNode[] = [];
  let current = ctx.textOf(outputs);
  let before: SyntaxNode = modelStmt;
  for (let guard = 0; current !== inputName && guard < 50; guard++) {
    const value = assignedBefore(root, current, before, ctx);
    const stmt = value ? statementOf(value) : null;
    const layer = value?.type === 'call' ? child(value, 'function') : null;
    const args = value?.type === 'call' ? (child(value, 'arguments')?.children ?? []).filter(a => a.type !== 'comment') : [];
    const layerFn = layer?.type === 'call' ? child(layer, 'function') : null;
    const layerName = layerFn ? ctx.resolveKeras(layerFn) : null;
    if (!stmt || !layer || !layerName || !PREPROCESSING_LAYER.test(layerName) || args.length !== 1 || args[0].type !== 'identifier') {
      return null;
    }
    layers.unshift(ctx.textOf(layer));
    chain.unshift(stmt);
    current = ctx.textOf(args[0]);
    before = stmt;
  }
  const inputValue = assignedBefore(root, inputName, before, ctx);
  const inputStmt = inputValue ? statementOf(inputValue) : null;
  const inputFn = inputValue?.type === 'call' ? child(inputValue, 'function') : null;
  if (!inputStmt || !inputFn || !KERAS_INPUT.has(ctx.resolveKeras(inputFn) ?? '') || layers.length === 0) {
    return null;
  }
  // The chain's names are used by the chain only, and the model only called.
  const removed = [inputStmt, ...chain];
  const inside = [...removed, modelStmt].map(s => ctx.textOf(s)).join('\n');
  const names = new Set([inputName, ...chain.map(s => ctx.textOf(child(s.children[0], 'left')!))]);
  if ([...names].some(n => n === name || mentions(n, ctx.text) !== mentions(n, inside))) {
    return null;
  }
  // (a quote before the name: a string, such as the model's own name=)
  const uses = ctx.text.match(new RegExp(`(?<![\\w.'"])${name}\\b\\s*(.)`, 'g')) ?? [];
  if (uses.some(u => !/[(=]$/.test(u) || /==$/.test(u))) {
    return null;
  }
  const nameArg = parts.keywords.get('name');
  const edits: OffsetEdit[] = removed.map(s => ({ ...lineRange(s, ctx.text), text: '' }));
  edits.push({
    start: model.start,
    end: model.end,
    text: `keras.layers.Pipeline([${layers.join(', ')}]${nameArg ? `, ${ctx.textOf(nameArg.node)}` : ''})`
  });
  const imp = ctx.kerasImportEdit();
  return {
    title: `Make \`${name}\` a \`keras.layers.Pipeline\` of its preprocessing layers (it runs in tf.data on every backend; a Pipeline is a layer: no summary(), save() or fit())`,
    safe: false,
    edits: imp ? [...edits, imp] : edits
  };
}

/** The fact a cell notes for `NAME = <a Keras layer or model that is no preprocessing layer>`: other cells may map it. */
const fact = (name: string): string => `keras-callable:${name}`;

/**
 * What a value is, when it makes a Keras layer or model that fails inside tf.data on JAX and
 * PyTorch: its class's name (`Dense`, `Model`, a subclass's name); null for preprocessing
 * layers (which run there), Sequentials (KM179's subject) and anything else.
 */
function failingCallable(value: SyntaxNode | null, ctx: RuleContext): string | null {
  if (!value || value.type !== 'call') {
    return null;
  }
  const fn = child(value, 'function');
  if (!fn) {
    return null;
  }
  const name = ctx.resolveKeras(fn);
  const last = (name ?? ctx.textOf(fn)).split('.').pop() ?? '';
  if (name) {
    if (PREPROCESSING_LAYER.test(name) || SEQUENTIAL.has(name)) {
      return null;
    }
    if (MODELS.has(name) || /^keras\.applications\.\w+\.\w+$|^keras\.applications\.[A-Z]\w*$/.test(name) || /^keras\.layers\.[A-Z]\w*$/.test(name)) {
      return last;
    }
    return null;
  }
  // A subclass of a Keras layer or model defined in the notebook.
  return ctx.kerasKindOfClass(fn) ? last : null;
}

const CAFFE_MEAN = '[103.939, 116.779, 123.68]';

/** Places where an expression needs no parentheses: as an argument, an element, an assigned or returned value. */
const BARE_CONTEXT = new Set(['argument_list', 'expression_list', 'tuple', 'list', 'assignment', 'return_statement', 'keyword_argument', 'parenthesized_expression']);

/**
 * The "caffe" `preprocess_input(x)` (one argument: the default mode and the channels-last data
 * format) written with TensorFlow ops, which run in tf.data on every backend: the RGB -> BGR flip
 * is `tf.reverse(x, axis=[-1])` and the ImageNet BGR means are subtracted in x's dtype, as Keras
 * does. A suggestion: with `keras.config.set_image_data_format("channels_first")` the channels are
 * not last.
 */
function caffePreprocessFix(call: SyntaxNode, ctx: RuleContext): RawFix | null {
  const parts = callParts(call, ctx);
  const tf = tensorflowName(ctx);
  if (!parts || !tf || parts.splat || parts.positional.length !== 1 || parts.keywords.size > 0) {
    return null;
  }
  const arg = parts.positional[0];
  const x = ctx.textOf(arg);
  const mean = arg.type === 'identifier' ? `${tf}.constant(${CAFFE_MEAN}, ${x}.dtype)` : CAFFE_MEAN;
  const expr = `${tf}.reverse(${x}, axis=[-1]) - ${mean}`;
  const bare = call.parent && BARE_CONTEXT.has(call.parent.type) && !(call.parent.type === 'assignment' && child(call.parent, 'right') !== call);
  return {
    title: `Write \`${ctx.textOf(child(call, 'function')!)}\` with TensorFlow ops (RGB -> BGR, minus the ImageNet means; channels last), which run in tf.data on every backend`,
    safe: false,
    edits: [{ start: call.start, end: call.end, text: bare ? expr : `(${expr})` }]
  };
}

function message(name: string, what: string): string {
  return `\`${name}\` ${what} inside \`tf.data.Dataset.map()\`: on JAX and PyTorch it fails with "Cannot convert a symbolic tf.Tensor to a numpy array" (Keras 3 switches only its preprocessing layers to TensorFlow inside tf.data; other layers, models and \`keras.ops\` compute with the backend's own tensors). Apply it in the model instead, or keep the pipeline to preprocessing layers and TensorFlow ops.`;
}

/** `NAME = Dense(...)` at the top of a cell: a later cell may map it. */
function noteAssignment(node: SyntaxNode, ctx: RuleContext): void {
  if (ctx.fn || node.parent?.type !== 'expression_statement') {
    return;
  }
  const target = child(node, 'left');
  const what = target && target.type === 'identifier' ? failingCallable(child(node, 'right'), ctx) : null;
  if (what) {
    ctx.note(fact(ctx.textOf(target!)));
  }
}

/** The top-level `class NAME` of the cell defined before `before`, or null. */
function classDefinition(root: SyntaxNode, name: string, before: number, ctx: RuleContext): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  for (const statement of root.children) {
    if (statement.start >= before) {
      break;
    }
    const def = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
    const defName = def && def.type === 'class_definition' ? child(def, 'name') : null;
    if (defName && ctx.textOf(defName) === name) {
      found = def;
    }
  }
  return found;
}

/** The `def NAME` directly in a class body, or null. */
function methodOf(cls: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode | null {
  for (const statement of child(cls, 'body')?.children ?? []) {
    const def = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
    const defName = def && def.type === 'function_definition' ? child(def, 'name') : null;
    if (defName && ctx.textOf(defName) === name) {
      return def;
    }
  }
  return null;
}

/**
 * Whether a layer class's call() only calls preprocessing layers it made in `__init__()`
 * (`self.augment = keras.layers.RandomFlip(...)`, then `self.augment(inputs)`) and TensorFlow
 * functions: run without Layer.__call__ (as `layer.call`), it computes on tf.data's tensors on
 * every backend (Keras 3 switches its preprocessing layers to TensorFlow inside tf.data).
 */
function callsOnlyPreprocessing(cls: SyntaxNode, ctx: RuleContext): boolean {
  const call = methodOf(cls, 'call', ctx);
  const init = methodOf(cls, '__init__', ctx);
  if (!call || !init) {
    return false;
  }
  const preprocessing = new Set<string>();
  const stack = [...(child(init, 'body')?.children ?? [])];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      const fn = right?.type === 'call' ? child(right, 'function') : null;
      const resolved = fn ? ctx.resolveKeras(fn) : null;
      if (left?.type === 'attribute' && ctx.textOf(child(left, 'object')!) === 'self' && resolved && PREPROCESSING_LAYER.test(resolved)) {
        preprocessing.add(ctx.textOf(child(left, 'attribute')!));
      }
    }
    stack.push(...n.children);
  }
  const calls = callsInBody(call);
  return (
    calls.length > 0 &&
    calls.every(c => {
      const fn = child(c, 'function');
      if (!fn) {
        return false;
      }
      if (fn.type === 'attribute' && ctx.textOf(child(fn, 'object')!) === 'self') {
        return preprocessing.has(ctx.textOf(child(fn, 'attribute')!));
      }
      const resolved = ctx.resolve(fn);
      return !!resolved && resolved.startsWith('tensorflow.') && !ctx.resolveKeras(fn);
    })
  );
}

/**
 * `dataset.map(Augment())`: a layer of a class of the cell given to map() itself, which
 * Layer.__call__ runs on the backend's tensors. When its call() only applies preprocessing
 * layers (the TensorFlow image-segmentation tutorial's Augment), `.call` maps the method instead.
 */
function visitMappedLayer(node: SyntaxNode, root: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const mapped = parts ? (parts.positional[0] ?? parts.keywords.get('map_func')?.value) : undefined;
  const receiver = parts && parts.fn.type === 'attribute' ? child(parts.fn, 'object') : null;
  // A dataset, or a chain of tf.data's own methods (`dataset['train'].map(load).cache().shuffle(n).batch(b)`).
  if (!parts || !mapped || !receiver || !(isDataset(receiver, ctx) || /\.(batch|shuffle|repeat|prefetch|cache|unbatch|padded_batch)\s*\(/.test(ctx.textOf(receiver)))) {
    return;
  }
  const value = mapped.type === 'identifier' ? (lastAssignedValue(ctx.textOf(mapped), node, ctx) ?? assignedBefore(root, ctx.textOf(mapped), node, ctx)) : mapped;
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  if (!fn || fn.type !== 'identifier' || ctx.kerasKindOfClass(fn) !== 'layer') {
    return;
  }
  // A class of the cell (Keras's own layers given to map() are preprocessing layers, which run there).
  const cls = classDefinition(root, ctx.textOf(fn), node.start, ctx);
  if (!cls) {
    return;
  }
  const fix: RawFix | null =
    callsOnlyPreprocessing(cls, ctx)
      ? {
          title: `Map \`${ctx.textOf(mapped)}.call\`: its preprocessing layers run in tf.data on every backend`,
          safe: false,
          edits: [{ start: mapped.end, end: mapped.end, text: '.call' }]
        }
      : null;
  ctx.report(
    mapped,
    message(ctx.textOf(mapped), `is a Keras layer (\`${ctx.textOf(fn)}\`) given`) +
      (fix ? ` Its call() only applies preprocessing layers, which work there: map its \`call\` method, which runs them without Layer.__call__ (which converts tf.data's tensors to the backend's).` : ''),
    fix
  );
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  if (!callParts(node, ctx)) {
    return;
  }
  let root = node;
  while (root.parent) {
    root = root.parent;
  }
  visitMappedLayer(node, root, ctx);
  for (const call of mappedBodies(node, ctx).flatMap(callsInBody)) {
    const fn = child(call, 'function');
    if (!fn) {
      continue;
    }
    const kerasName = ctx.resolveKeras(fn);
    if (kerasName && BACKEND_FUNCTION.test(kerasName)) {
      const fix = /\.preprocess_input$/.test(kerasName) ? caffePreprocessFix(call, ctx) : null;
      ctx.report(
        call,
        message(ctx.textOf(fn), 'is a Keras function called') +
          (fix ? ` Its "caffe" preprocessing (a channel flip and the ImageNet means) can be written with TensorFlow ops, which run there.` : ''),
        fix
      );
      continue;
    }
    if (fn.type !== 'identifier' || kerasName) {
      continue;
    }
    const name = ctx.textOf(fn);
    const value = lastAssignedValue(name, node, ctx) ?? assignedBefore(root, name, node, ctx);
    const what = failingCallable(value, ctx);
    if (what) {
      ctx.report(
        call,
        message(name, `is a Keras ${/Model$|^load_model$|^clone_model$/.test(what) ? 'model' : 'layer'} (\`${what}\`) called`),
        value && /Model$/.test(what) ? pipelineFix(name, value, ctx) : null
      );
    } else if (!value && ctx.lookup(name)?.kind === 'layer') {
      // Made in an earlier cell: flagged when that cell made such a layer or model.
      ctx.report(call, message(name, 'is a Keras layer or model called'), null, undefined, 'earlier:' + fact(name));
    }
  }
}

export const kerasLayerInTfDataMap: RuleDefinition = {
  code: 'KM195',
  name: 'keras-layer-in-tf-data-map',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['map'],
  docs: {
    whatItDoes:
      'Flags a Keras layer that is no preprocessing layer (`Dense`, `Conv2D`, a custom `Layer`), a Keras model other than a `Sequential` (a functional `keras.Model`, even one made only of preprocessing layers; a loaded or applications model), or a `keras.ops`/`keras.activations` function or a "caffe"-mode `preprocess_input` (ResNet v1, VGG; called with the image alone, the fix, a suggestion, writes it with TensorFlow ops: `tf.reverse(x, axis=[-1]) - tf.constant([103.939, 116.779, 123.68], x.dtype)`, the channel flip and ImageNet means Keras applies for the default channels-last format), called inside the function given to `tf.data.Dataset.map()` or in a function of the cell that it calls (the layer made in the cell or an earlier one). A functional model that only chains preprocessing layers from its `keras.Input`, made in the cell and only called, gets a `keras.layers.Pipeline` of the same layers as a suggestion. A layer of a class of the cell given to `map()` itself (`ds.map(Augment())`, on a dataset or a chain of tf.data methods) is flagged too; when its call() only applies preprocessing layers it made in `__init__()` (and TensorFlow functions), the fix (a suggestion) maps its `call` method (`ds.map(Augment().call)`), which runs them without Layer.__call__: the TensorFlow image-segmentation tutorial\'s Augment then ran on TensorFlow, JAX and PyTorch, flipping image and mask alike.',
    why:
      'Keras 3 runs its preprocessing layers (`RandomFlip`, `Rescaling`, `Normalization`, `TextVectorization`, ..., and `keras.layers.Pipeline`) inside tf.data on every backend by switching them to TensorFlow while tf.data traces the function. Everything else computes with the backend\'s own tensors: on JAX and PyTorch the map fails with "Cannot convert a symbolic tf.Tensor to a numpy array" (TensorFlow runs it; checked by running Keras 3.15 on each backend with a `Dense`, a `Conv2D`, a custom layer, a functional model of `RandomFlip` and `Rescaling`, `keras.ops.clip` and `resnet50.preprocess_input`). The other applications\' `preprocess_input` (MobileNet, Inception, Xception, ResNet v2: Python arithmetic; DenseNet; EfficientNet, ConvNeXt: the input passed through) run in tf.data on every backend and are not flagged. A `Sequential` is KM179\'s. The Pipeline rewrite is a suggestion (a Pipeline is a layer: no `summary()`, `save()` or `fit()`); for other layers and models there is no rewrite that keeps the pipeline: apply them in the model, or use preprocessing layers and TensorFlow ops in tf.data.',
    example:
      'import keras\nimport tensorflow as tf\ninp = keras.Input((32, 32, 3))\naugment = keras.Model(inp, keras.layers.Rescaling(1 / 255)(keras.layers.RandomFlip("horizontal")(inp)))\nds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32).map(lambda a, b: (augment(a, training=True), b))',
    useInstead:
      'import keras\nimport tensorflow as tf\naugment = keras.layers.Pipeline([keras.layers.RandomFlip("horizontal"), keras.layers.Rescaling(1 / 255)])\nds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32).map(lambda a, b: (augment(a, training=True), b))'
  },
  calls: { names: ['map'] },
  // Findings are in the functions `.map()` calls are given (the assignments only note facts for them).
  requires: ['map'],
  visitors: { call: visit, assignment: noteAssignment }
};
