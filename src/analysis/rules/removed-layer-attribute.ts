import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../rule-helpers';
import { isLayersLoopVariable, isModelLayerLookup, kerasLayerClassOf } from '../helpers/layer-calls';
import { builtInLayerArgumentFact, noteLayerArguments, selfAttributeParameter } from '../helpers/layer-arguments';

/** `model.layers[3]`, `model.get_layer("dense")`, `layer`: expressions that are layers, not models. */
function isLayerExpression(node: SyntaxNode, ctx: RuleContext): boolean {
  if (isModelLayerLookup(node, ctx) || isLayersLoopVariable(node, ctx)) {
    return true;
  }
  if (node.type === 'identifier' && /^(layer|lyr|l)\d*$|_layer$/i.test(ctx.textOf(node))) {
    return true;
  }
  // A name holding one built-in layer (`dense = keras.layers.Dense(4)`; og47b repro_7, Géron's ch. 17), not a model.
  const cls = kerasLayerClassOf(node, ctx) ?? '';
  return /^keras\.layers\.[A-Z]\w*$/.test(cls);
}

/**
 * An expression known to hold a Keras layer or model: a name bound to one (a constructor, a
 * factory, `load_model`), `self` in a Layer or Model subclass, `model.layers[i]`,
 * `model.get_layer(...)`, a loop variable over `.layers`.
 */
function isKerasLayerOrModel(node: SyntaxNode, ctx: RuleContext): boolean {
  if (isModelLayerLookup(node, ctx) || isLayersLoopVariable(node, ctx)) {
    return true;
  }
  if (node.type !== 'identifier') {
    return false;
  }
  const name = ctx.textOf(node);
  if (name === 'self') {
    return ctx.cls?.keras === 'layer' || ctx.cls?.keras === 'model';
  }
  const binding = ctx.lookup(name);
  return binding?.kind === 'layer' || (binding?.kind === 'value' && binding.loaded === true);
}

interface RemovedMember {
  /** Only Keras 2 layers had it (`get_output_at`), so any receiver counts; else only one known to be a layer or model (`submodules` is a tf.Module's too). */
  kerasOnly: boolean;
  /** What to write instead, for the message. */
  instead: string;
}

/**
 * Keras 2 Layer and Model members Keras 3 dropped (AttributeError on every backend, Keras 3.15),
 * beyond `input_shape`/`output_shape`/`add_update`/`vocab_size` above. Keras 2's layers were
 * `tf.Module`s, so `submodules` and `name_scope` came from there; the node accessors came from
 * its functional graph. The `*_at(0)` accessors have a fix (NODE_ZERO_ACCESSORS).
 */
const REMOVED_MEMBERS: Record<string, RemovedMember> = {
  submodules: {
    kerasOnly: false,
    instead: 'Keras 3 layers and models are not `tf.Module`s; `model.layers` lists the direct layers and `model._flatten_layers(include_self=False)` walks the nested ones'
  },
  name_scope: { kerasOnly: false, instead: 'Keras 3 layers are not `tf.Module`s; use `keras.name_scope(layer.name)`' },
  with_name_scope: { kerasOnly: false, instead: 'Keras 3 layers are not `tf.Module`s; use `keras.name_scope(...)` inside the method' },
  updates: {
    kerasOnly: false,
    instead: 'Keras 3 layers apply their state updates (BatchNormalization\'s moving statistics) in `call()` on every backend, as Keras 2 did in eager TensorFlow; drop the use'
  },
  state_updates: { kerasOnly: true, instead: 'Keras 3 layers apply their state updates in `call()`; drop the use' },
  input_mask: { kerasOnly: false, instead: 'Keras 3 keeps a mask on the tensor; call `layer.compute_mask(inputs)`' },
  output_mask: { kerasOnly: false, instead: 'Keras 3 keeps a mask on the tensor; call `layer.compute_mask(inputs)`' },
  inbound_nodes: { kerasOnly: true, instead: 'Keras 3 keeps a layer\'s nodes private (`layer._inbound_nodes`, whose nodes differ from Keras 2\'s)' },
  outbound_nodes: { kerasOnly: true, instead: 'Keras 3 keeps a layer\'s nodes private (`layer._outbound_nodes`, whose nodes differ from Keras 2\'s)' },
  get_input_mask_at: { kerasOnly: true, instead: 'Keras 3 keeps a mask on the tensor; call `layer.compute_mask(inputs)`' },
  get_output_mask_at: { kerasOnly: true, instead: 'Keras 3 keeps a mask on the tensor; call `layer.compute_mask(inputs)`' },
  get_weight_paths: { kerasOnly: true, instead: 'Keras 3 variables carry their path: `{v.path: v for v in model.weights}` (paths with `/`, not Keras 2\'s `.`)' },
  compute_output_signature: { kerasOnly: true, instead: 'use `compute_output_spec`, which takes `keras.KerasTensor`s, not `tf.TensorSpec`s' },
  get_input_at: { kerasOnly: true, instead: 'use `.input` for the first call; Keras 3 keeps later calls\' nodes private (`layer._inbound_nodes[i].input_tensors`)' },
  get_output_at: { kerasOnly: true, instead: 'use `.output` for the first call; Keras 3 keeps later calls\' nodes private (`layer._inbound_nodes[i].output_tensors`)' },
  get_input_shape_at: { kerasOnly: true, instead: 'use `.input.shape` for the first call' },
  get_output_shape_at: { kerasOnly: true, instead: 'use `.output.shape` for the first call' }
};

/** `layer.get_output_at(0)` is `layer.output` in Keras 3 (the first call's tensors, for a shared layer too). */
const NODE_ZERO_ACCESSORS: Record<string, string> = {
  get_input_at: 'input',
  get_output_at: 'output',
  get_input_shape_at: 'input.shape',
  get_output_shape_at: 'output.shape'
};

function visitRemovedMember(node: SyntaxNode, object: SyntaxNode, attr: SyntaxNode, name: string, ctx: RuleContext): void {
  const member = REMOVED_MEMBERS[name];
  // A module's attribute (`tf.Module.submodules`, `keras.layers.X`) is not an instance's member.
  if (ctx.resolve(object) || (!member.kerasOnly && !isKerasLayerOrModel(object, ctx))) {
    return;
  }
  // Assigning it (`self.updates = []`) makes it an attribute of the program's own.
  if (node.parent?.type === 'assignment' && node.field === 'left') {
    return;
  }
  const call = node.parent?.type === 'call' && node.field === 'function' ? node.parent : null;
  const written = ctx.textOf(call ?? node);
  const shown = written.length <= 80 ? written : `${ctx.textOf(object).slice(0, 40)}.${name}${call ? '(...)' : ''}`;
  const message = `Keras 3 layers and models have no \`${name}\` (Keras 2 did): \`${shown}\` raises AttributeError on every backend; ${REMOVED_MEMBERS[name].instead}.`;
  const zero = call ? NODE_ZERO_ACCESSORS[name] : undefined;
  const parts = zero && call ? callParts(call, ctx) : null;
  const index = parts && !parts.splat && parts.keywords.size + parts.positional.length === 1 ? (parts.positional[0] ?? parts.keywords.get('node_index')?.value) : undefined;
  if (call && zero && index && ctx.textOf(index) === '0') {
    // Safe: the same tensors (or shape) the Keras 2 call gave, and the line failed without it.
    ctx.report(attr, message, { title: `Use \`.${zero}\``, safe: true, edits: [{ start: attr.start, end: call.end, text: zero }] });
    return;
  }
  if (name === 'submodules' && !call) {
    // Keras 3's own walk of the nested layers gave the same layers in the same order as Keras 2's
    // `submodules` (a subclassed model, a Sequential with its InputLayer; checked on Keras 3.15 and
    // tf_keras 2.21): a suggestion, as the method is private and Keras 2 also listed other tf.Modules.
    const text = `tuple(${ctx.textOf(object)}._flatten_layers(include_self=False))`;
    ctx.report(attr, message, { title: `Use \`${text}\``, safe: false, edits: [{ start: node.start, end: node.end, text }] });
    return;
  }
  ctx.report(attr, message);
}

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const attr = child(node, 'attribute');
  const object = child(node, 'object');
  if (!attr || !object || ctx.resolve(node)) {
    return;
  }
  const name = ctx.textOf(attr);
  if (name in REMOVED_MEMBERS) {
    visitRemovedMember(node, object, attr, name, ctx);
    return;
  }
  if (name !== 'output_shape' && name !== 'input_shape') {
    return;
  }
  // `self.dense.input_shape` where `self.dense = dense`, a parameter the class's callers give a layer
  // (Géron's DenseTranspose, og47b ch17): reported where some call does (KM207 notes it too).
  const attrOfSelf = object.type === 'attribute' && ctx.textOf(child(object, 'object') ?? object) === 'self' && ctx.cls?.keras ? child(object, 'attribute') : null;
  const param = attrOfSelf && ctx.cls ? selfAttributeParameter(ctx.cls.node, ctx.textOf(attrOfSelf), ctx) : null;
  const onlyIf = param && ctx.cls ? `anywhere:${builtInLayerArgumentFact(ctx.cls.name, param)}` : undefined;
  if (!onlyIf && !isLayerExpression(object, ctx)) {
    return;
  }
  // Assigning it (`layer.input_shape = ...`) is not the Keras 2 read.
  if (node.parent?.type === 'assignment' && node.field === 'left') {
    return;
  }
  const replacement = name === 'output_shape' ? 'output.shape' : 'input.shape';
  ctx.report(attr, `Keras 3 layers have no \`${name}\` (models still do); use \`${ctx.textOf(object)}.${replacement}\` for a layer of a built model.`, {
    title: `Use \`.${replacement}\``,
    safe: false,
    edits: [{ start: attr.start, end: attr.end, text: replacement }]
  }, undefined, onlyIf);
}

/** The lookup layers whose Keras 2 `vocab_size()` (a deprecated alias) Keras 3 dropped for `vocabulary_size()`. */
const LOOKUP_LAYERS = /(?:^|\.)(StringLookup|IntegerLookup|TextVectorization)$/;

/** `lookup.vocab_size()` on a name holding a lookup layer. */
function visitVocabSize(node: SyntaxNode, parts: NonNullable<ReturnType<typeof callParts>>, ctx: RuleContext): void {
  const receiver = child(parts.fn, 'object');
  const layer = receiver ? LOOKUP_LAYERS.exec(kerasLayerClassOf(receiver, ctx) ?? '') : null;
  const attr = child(parts.fn, 'attribute');
  if (!layer || !attr || parts.positional.length || parts.keywords.size) {
    return;
  }
  ctx.report(attr, `Keras 3's \`${layer[1]}\` has no \`vocab_size()\` (Keras 2's deprecated alias): "'${layer[1]}' object has no attribute 'vocab_size'". Use \`vocabulary_size()\`.`, {
    title: 'Use `vocabulary_size()`',
    safe: true,
    edits: [{ start: attr.start, end: attr.end, text: 'vocabulary_size' }]
  });
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  // Every call reaches here (for noteLayerArguments): only `.vocab_size(` / `.add_update(` calls matter.
  const fn = child(node, 'function');
  const last = fn?.type === 'attribute' ? child(fn, 'attribute') : null;
  if (!last || !/^(vocab_size|add_update)$/.test(ctx.textOf(last))) {
    return;
  }
  const parts = callParts(node, ctx);
  if (parts && parts.fn.type === 'attribute' && calleeName(parts.fn, ctx) === 'vocab_size') {
    visitVocabSize(node, parts, ctx);
    return;
  }
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'add_update') {
    return;
  }
  const receiver = child(parts.fn, 'object');
  if (!receiver || ctx.textOf(receiver) !== 'self' || !ctx.cls?.keras) {
    return;
  }
  ctx.report(parts.fn, 'Keras 3 layers have no `add_update()`; assign the new value to the variable directly (`self.moving_mean.assign(...)`).');
}

export const removedLayerAttribute: RuleDefinition = {
  code: 'KM174',
  name: 'removed-layer-attribute',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: ['output_shape', 'input_shape', 'add_update', 'vocab_size', ...Object.keys(REMOVED_MEMBERS)],
  docs: {
    whatItDoes:
      'Flags `output_shape`/`input_shape` read from a layer (`model.layers[i]`, `model.get_layer(...)`, a loop over `model.layers`) `self.add_update(...)` in custom layers, `vocab_size()` of a `StringLookup`, `IntegerLookup` or `TextVectorization` layer (the name last assigned one), and the other Keras 2 layer and model members Keras 3 dropped: the node accessors (`get_output_at`, `get_input_shape_at`, `inbound_nodes`, ...), `get_weight_paths()`, `compute_output_signature()`, `state_updates`, and, on a value known to be a Keras layer or model, the `tf.Module` members `submodules` and `name_scope`, `updates` and the masks.',
    why:
      'Keras 3 layers dropped these Keras 2 members (Sequential and Functional models keep `output_shape`), so the code raises AttributeError. Not covered by the migration guide. `layer.output.shape` gives the same tuple for a layer used once in a built model, so it is offered as a suggestion. `vocab_size()` was Keras 2\'s deprecated alias of `vocabulary_size()` on lookup layers (TensorFlow\'s CSV tutorial; "\'StringLookup\' object has no attribute \'vocab_size\'" on Keras 3.15): renaming it is safe. Keras 2 layers were `tf.Module`s with a functional graph of nodes; Keras 3 layers are neither, and each of the other members raises AttributeError on TensorFlow, JAX and PyTorch (claims/removed_layer_members.py). `get_output_at(0)` and the other first-node accessors become `.output`, `.input`, `.output.shape`, `.input.shape` (safe: the first call\'s tensors, as before, for a shared layer too).',
    example: 'for layer in model.layers:\n    print(layer.name, layer.output_shape)',
    useInstead: 'for layer in model.layers:\n    print(layer.name, layer.output.shape)'
  },
  // Every call: the notebook's own layer classes given layers (noteLayerArguments) have any name.
  // Findings are on `.output_shape`, `.input_shape`, `add_update(...)`, `vocab_size()` and the REMOVED_MEMBERS names.
  requires: ['output_shape', 'input_shape', 'add_update', 'vocab_size', ...Object.keys(REMOVED_MEMBERS)],
  attributes: { names: ['output_shape', 'input_shape', ...Object.keys(REMOVED_MEMBERS)] },
  visitors: {
    attribute: visitAttribute,
    call: (node, ctx) => {
      visitCall(node, ctx);
      noteLayerArguments(node, ctx);
    }
  }
};
