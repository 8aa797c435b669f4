import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import { WEIGHTLESS_LAYER } from '../knowledge';
import type { RuleContext, RuleDefinition } from '../rule';
import { classMethodDefinitions, onlyVisibleDefinition } from '../helpers/model-code';
import { callApiName, callParts, lastAssignedValue, modelCodeCondition, withKerasImport } from '../rule-helpers';

/** Calls that make a concrete tensor (or array a layer converts to one) from written data. */
const CONSTANT_MAKERS = /^(tf\.(range|constant|convert_to_tensor|ones|zeros|fill|eye|linspace)|keras\.ops\.(arange|convert_to_tensor|ones|zeros|full|eye|linspace|numpy\.\w+)|numpy\.(arange|array|asarray|ones|zeros|eye|linspace))$/;

/** Calls that keep a concrete tensor concrete, given it as their first argument (`tf.expand_dims(positions, 0)`). */
const CONSTANT_RESHAPERS = /^(tf\.(expand_dims|reshape|cast)|keras\.ops\.(expand_dims|reshape|cast)|numpy\.(expand_dims|reshape))$/;

/**
 * A call making a concrete tensor, or a name last assigned one; also such a tensor given a batch
 * axis or a new shape (`tf.range(n)[tf.newaxis, :]`, `tf.expand_dims(positions, 0)`,
 * `np.arange(n).reshape(1, n)`), as a program adding it to a batch with a merging layer writes it.
 */
function isConstantTensor(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  const value = node.type === 'identifier' ? lastAssignedValue(ctx.textOf(node), node, ctx) : node;
  if (!value || depth > 4) {
    return false;
  }
  if (value.type === 'subscript') {
    const object = child(value, 'value');
    return !!object && isConstantTensor(object, ctx, depth + 1);
  }
  if (value.type !== 'call') {
    return false;
  }
  const name = callApiName(value, ctx, true);
  if (name && CONSTANT_MAKERS.test(name)) {
    return true;
  }
  const first = callParts(value, ctx)?.positional[0];
  if (name && CONSTANT_RESHAPERS.test(name)) {
    return !!first && isConstantTensor(first, ctx, depth + 1);
  }
  // `np.arange(n).reshape(1, n)`
  const fn = child(value, 'function');
  const attr = fn && fn.type === 'attribute' ? child(fn, 'attribute') : null;
  const object = fn && fn.type === 'attribute' ? child(fn, 'object') : null;
  return !name && !!attr && !!object && /^(reshape|astype)$/.test(ctx.textOf(attr)) && isConstantTensor(object, ctx, depth + 1);
}

/** The function or method a call runs: `helper(...)`, or `obj.method(...)` with `obj = Class(...)` a class of this code. */
function calledDefinition(call: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const fn = child(call, 'function');
  if (fn && fn.type === 'identifier') {
    return onlyVisibleDefinition(call, 'function_definition', ctx.textOf(fn), ctx);
  }
  const object = fn && fn.type === 'attribute' ? child(fn, 'object') : null;
  const attr = fn && fn.type === 'attribute' ? child(fn, 'attribute') : null;
  const made = object && object.type === 'identifier' ? lastAssignedValue(ctx.textOf(object), object, ctx) : null;
  const classFn = made && made.type === 'call' ? child(made, 'function') : null;
  const cls = classFn && classFn.type === 'identifier' ? onlyVisibleDefinition(made!, 'class_definition', ctx.textOf(classFn), ctx) : null;
  return cls && attr ? classMethodDefinitions(cls, ctx).get(ctx.textOf(attr)) ?? null : null;
}

/**
 * The constructor call behind the value a function returns at `index` of its returned tuple (null:
 * the whole value), over its `return` statements that return something (keras.io CCT's
 * `embed_layer = layers.Embedding(...)`, `return embed_layer, sequence_length`, else `return None`):
 * the one call they all name, else null.
 */
function returnedConstructor(def: SyntaxNode, index: number | null, ctx: RuleContext): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  const stack = [...(child(def, 'body')?.children ?? [])];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
      continue;
    }
    if (n.type !== 'return_statement') {
      stack.push(...n.children);
      continue;
    }
    const value = n.children.find(c => c.type !== 'return' && c.type !== 'comment') ?? null;
    if (!value || value.type === 'none') {
      continue;
    }
    const items = value.type === 'expression_list' || value.type === 'tuple' ? value.children.filter(c => c.type !== ',' && c.type !== '(' && c.type !== ')' && c.type !== 'comment') : null;
    const item = index === null ? (items ? null : value) : items && items.length > index ? items[index] : null;
    const ctor = item && item.type === 'identifier' ? lastAssignedValue(ctx.textOf(item), n, ctx) : item;
    if (!ctor || ctor.type !== 'call' || (found && ctx.textOf(found) !== ctx.textOf(ctor))) {
      return null;
    }
    found = ctor;
  }
  return found;
}

/**
 * The constructor call of the layer a name holds: its last assigned value, or, for a name assigned
 * (or unpacked from) what a function of this code returns, the constructor that function returns.
 */
function layerConstructor(name: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const value = lastAssignedValue(ctx.textOf(name), name, ctx, true);
  if (!value || value.type !== 'call') {
    return null;
  }
  const valueFn = child(value, 'function');
  const api = valueFn ? ctx.resolveKeras(valueFn) : null;
  if (api && /^keras\.layers\./.test(api)) {
    return value;
  }
  const def = calledDefinition(value, ctx);
  if (!def) {
    return null;
  }
  // Unpacked (`layer, n = helper(...)`): the position of the name in the pattern.
  const assignment = value.parent;
  const left = assignment && assignment.type === 'assignment' ? child(assignment, 'left') : null;
  let index: number | null = null;
  if (left && (left.type === 'pattern_list' || left.type === 'tuple_pattern')) {
    const targets = left.children.filter(c => c.type !== ',' && c.type !== '(' && c.type !== ')');
    index = targets.findIndex(c => c.type === 'identifier' && ctx.textOf(c) === ctx.textOf(name));
    if (index < 0) {
      return null;
    }
  }
  return returnedConstructor(def, index, ctx);
}

/** The built-in layer with weights that `fn` constructs in place or names (`layers.Embedding(...)`, `emb`), else null. */
function weightedLayer(fn: SyntaxNode, ctx: RuleContext): string | null {
  const ctor = fn.type === 'call' ? fn : fn.type === 'identifier' ? layerConstructor(fn, ctx) : null;
  const ctorFn = ctor && ctor.type === 'call' ? child(ctor, 'function') : null;
  const name = ctorFn ? ctx.resolveKeras(ctorFn) : null;
  if (!name || !/^keras\.layers\.[A-Z]\w*$/.test(name) || WEIGHTLESS_LAYER.test(name) || /^keras\.layers\.(Layer|Lambda|Input|TFSMLayer)$/.test(name)) {
    return null;
  }
  return name.slice('keras.layers.'.length);
}

/** Whether `node`'s value (or the name it is assigned to, later in the block) is combined with a symbolic tensor by an operator. */
function meetsSymbolic(node: SyntaxNode, ctx: RuleContext, isSymbolic: (n: SyntaxNode) => boolean): boolean {
  const combined = (expr: SyntaxNode, other: (n: SyntaxNode) => boolean): boolean => {
    const op = expr.parent;
    // `x += emb(positions)` (keras.io CCT's `encoded_patches += position_embeddings`)
    if (op && op.type === 'augmented_assignment' && child(op, 'right') === expr) {
      const target = child(op, 'left');
      return !!target && other(target);
    }
    // `layers.Add()([x, emb(positions)])`, `layers.add([x, pos])`: an element of the list a call
    // (a merging layer) is given, with a symbolic tensor among the other elements.
    const argList = op && (op.type === 'list' || op.type === 'tuple') ? op.parent : null;
    if (op && argList && argList.type === 'argument_list' && argList.parent?.type === 'call') {
      return op.children.some(c => c !== expr && c.type !== 'comment' && other(c));
    }
    if (!op || op.type !== 'binary_operator') {
      return false;
    }
    // (the operator itself is no child here: the operands are)
    return op.children.some(c => c !== expr && c.type !== 'comment' && other(c));
  };
  if (combined(node, isSymbolic)) {
    return true;
  }
  const assign = node.parent;
  const left = assign && assign.type === 'assignment' && child(assign, 'right') === node ? child(assign, 'left') : null;
  const block = assign?.parent?.parent;
  if (!left || left.type !== 'identifier' || !block) {
    return false;
  }
  const name = ctx.textOf(left);
  let found = false;
  const stack = [block];
  while (stack.length && !found) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && n.start > node.end && ctx.textOf(n) === name) {
      found = combined(n, isSymbolic);
    }
    if (n.type !== 'function_definition' || n === block.parent) {
      stack.push(...n.children);
    }
  }
  return found;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const fn = child(node, 'function');
  const parts = fn && (fn.type === 'call' || fn.type === 'identifier') ? callParts(node, ctx) : null;
  if (!fn || !parts || parts.positional.length !== 1 || parts.splat) {
    return;
  }
  const layer = weightedLayer(fn, ctx);
  const arg = parts.positional[0];
  if (!layer || ctx.isSymbolic(arg) || !isConstantTensor(arg, ctx)) {
    return;
  }
  // Inside a layer's call() the layer runs on every step and is trained: nothing to report.
  const condition = modelCodeCondition(node, ctx);
  if (condition === true) {
    return;
  }
  // In a notebook helper (keras.io TokenLearner's `position_embedding(projected_patches)`), a
  // parameter the model-building code passes KerasTensors to: the finding holds when such a call exists.
  const helper = ctx.notebookFunction();
  const params = new Set<string>();
  for (const param of (helper ? child(helper.node, 'parameters')?.children : null) ?? []) {
    const name = param.type === 'identifier' ? param : child(param, 'name');
    if (name && name.type === 'identifier') {
      params.add(ctx.textOf(name));
    }
  }
  let viaParameter = false;
  // A name the helper computed from its parameters (keras.io BST: `sequence_movies_ids = inputs[...]`,
  // `encoded = encode_movie(sequence_movies_ids)`, `encoded + position_embedding(positions)`).
  const fromParameter = (n: SyntaxNode, depth: number): boolean => {
    if (n.type === 'identifier' && params.has(ctx.textOf(n))) {
      return true;
    }
    if (depth > 4 || !helper) {
      return false;
    }
    const stack = [n];
    while (stack.length) {
      const m = stack.pop()!;
      if (m.type === 'identifier' && (m.parent?.type !== 'attribute' || child(m.parent, 'object') === m)) {
        if (params.has(ctx.textOf(m))) {
          return true;
        }
        const value = lastAssignedValue(ctx.textOf(m), m, ctx);
        // A tensor comes out of a call or an index (`encode(x)`, `inputs["k"]`), not out of arithmetic on numbers (`dim ** 0.5`).
        if (value && value !== n && /[([]/.test(ctx.textOf(value)) && fromParameter(value, depth + 1)) {
          return true;
        }
      } else if (m.type !== 'lambda' && m.type !== 'keyword_argument') {
        stack.push(...m.children);
      }
    }
    return false;
  };
  const symbolicOperand = (n: SyntaxNode): boolean => {
    if (ctx.isSymbolic(n)) {
      return true;
    }
    if (n.type === 'identifier' && helper && fromParameter(n, 0)) {
      viaParameter = true;
      return true;
    }
    return false;
  };
  if (!meetsSymbolic(node, ctx, symbolicOperand)) {
    return;
  }
  const onlyIf = viaParameter && helper ? `functional:${helper.name}` : condition === null ? undefined : `!${condition}`;
  const text = `keras.ops.stop_gradient(${ctx.textOf(node)})`;
  ctx.report(
    node,
    `\`${layer}\` is called on a constant (\`${ctx.textOf(arg).slice(0, 40)}\`) while the functional model is built: its output is a constant of the model, so its weights are neither trained nor saved (in Keras 2 as in Keras 3), and on PyTorch, where that constant keeps the graph of the layer's weights, the second training step fails ("Trying to backward through the graph a second time"). \`${text.length > 70 ? 'keras.ops.stop_gradient(...)' : text}\` keeps the same constant on every backend; to train the layer, call it inside a layer's call() (a position-embedding layer).`,
    { title: 'Wrap it in `keras.ops.stop_gradient(...)` (the constant the model used, on every backend)', safe: true, edits: withKerasImport(ctx, [{ start: node.start, end: node.end, text }]) },
    undefined,
    onlyIf
  );
}

export const layerOnConstantInFunctionalModel: RuleDefinition = {
  code: 'KM199',
  name: 'layer-on-constant-in-functional-model',
  slug: 'api-changes',
  severity: 'warning',
  blocks: ['torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a built-in layer with weights (`Embedding`, `Dense`, ...) called on a concrete tensor (`tf.range(...)`, `keras.ops.arange(...)`, `np.arange(...)`, or a name assigned one) outside model code, whose result an operator (`+`, `+=`, ...) combines with a symbolic Functional-API tensor, or that is given in a list with one to a merging layer (`layers.Add()([x, emb(positions)])`): keras.io\'s `positions = tf.range(num_patches)`, `x = x + layers.Embedding(num_patches, dim)(positions)`. The constant may be given a batch axis first (`tf.range(n)[tf.newaxis, :]`, `tf.expand_dims(...)`, `np.arange(n).reshape(1, n)`). The layer may be named, or returned by a function or method of the program (keras.io CCT\'s `pos_embed, seq_length = tokenizer.positional_embedding(image_size)`).',
    why:
      'A layer called on a concrete tensor runs at once and returns a concrete tensor, which the functional model then holds as a constant: the layer is not part of the model, so its weights are never trained nor saved (checked on Keras 2 and Keras 3). On PyTorch that constant still carries the autograd graph of the layer\'s weights, freed by the first training step\'s backward pass, so the second step raises "Trying to backward through the graph a second time" (checked on Keras 3.15). `keras.ops.stop_gradient(...)` keeps the very constant the model used (same values on TensorFlow and JAX) and runs on PyTorch. To train the layer, as the program probably meant, call it inside a layer\'s `call()` on every step (the Keras team wrote a `PositionEmbedding` layer for keras.io\'s MLP-Mixer example).',
    example:
      'import keras\nimport tensorflow as tf\n\ninputs = keras.Input(shape=(16, 8))\npositions = tf.range(start=0, limit=16, delta=1)\nx = inputs + keras.layers.Embedding(input_dim=16, output_dim=8)(positions)\nmodel = keras.Model(inputs, x)',
    useInstead:
      'import keras\nimport tensorflow as tf\n\ninputs = keras.Input(shape=(16, 8))\npositions = tf.range(start=0, limit=16, delta=1)\nx = inputs + keras.ops.stop_gradient(keras.layers.Embedding(input_dim=16, output_dim=8)(positions))\nmodel = keras.Model(inputs, x)'
  },
  visitors: { call: visit }
};
