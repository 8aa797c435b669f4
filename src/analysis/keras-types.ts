/**
 * Keras type inference: whether an expression is a Keras layer or model instance, which kind
 * of Keras class a class expression denotes, and whether a value is a symbolic Functional-API
 * tensor (KerasTensor). Answers come from the bindings in scope (scope.ts) and the shared Keras
 * knowledge (knowledge.ts).
 */
import { child, containerDepth, itemsOf, MAX_EXPRESSION_DEPTH, SyntaxNode } from './ast';
import {
  BACKEND_VALUE_FUNCTIONS,
  OPS_VALUE_FUNCTIONS,
  FEATURE_SPACE_TENSORS,
  INPUT_FACTORIES,
  KERAS_TENSOR_FUNCTIONS,
  kerasKindOfName,
  PYTHON_BUILTINS,
  WEIGHTLESS_LAYER
} from './knowledge';
import { Binding, KerasKind, kerasName, normaliseKeras, Scopes } from './scope';

/** Methods of a container that hand back its values, and builtins that copy them. */
const CONTAINER_VIEWS = new Set(['values', 'copy']);
const CONTAINER_BUILTINS = new Set(['list', 'tuple', 'sorted', 'reversed']);

export class KerasTypes {
  private readonly symbolicMemo = new Map<SyntaxNode, boolean>();
  /** The Scopes.version the memo's answers were given under. */
  private memoVersion = -1;
  private symbolicDepth = 0;
  private lastKerasInput: string | null = null;
  private lastKerasOutput: string | null = null;

  constructor(private readonly scopes: Scopes) {}

  /** Like Scopes.resolve() but with `tensorflow.keras` folded into `keras` (null for non-Keras names). */
  resolveKeras(node: SyntaxNode): string | null {
    const canonical = this.scopes.resolve(node);
    if (canonical === null) {
      return null;
    }
    if (canonical !== this.lastKerasInput) {
      const name = kerasName(canonical);
      this.lastKerasInput = canonical;
      this.lastKerasOutput = name ? normaliseKeras(name) : null;
    }
    return this.lastKerasOutput;
  }

  /** Which kind of Keras object a class expression denotes, following notebook classes. */
  kerasKindOfClass(node: SyntaxNode): KerasKind | null {
    if (node.type === 'identifier') {
      const b = this.scopes.lookup(this.scopes.textOf(node));
      if (b && b.kind === 'class') {
        return b.keras;
      }
    }
    const name = this.resolveKeras(node);
    return name ? kerasKindOfName(name) : null;
  }

  /** The Keras kind of a class definition from its bases: model wins over layer, layer over component. */
  classKind(node: SyntaxNode): KerasKind | null {
    const supers = child(node, 'superclasses');
    if (!supers) {
      return null;
    }
    let kind: KerasKind | null = null;
    for (const base of supers.children) {
      const k = this.kerasKindOfClass(base);
      if (k === 'model' || (k === 'layer' && kind !== 'model') || (k === 'component' && kind === null)) {
        kind = k;
      }
    }
    return kind;
  }

  isSymbolic(node: SyntaxNode): boolean {
    while (node.type === 'parenthesized_expression' && node.children.length === 1) {
      node = node.children[0];
    }
    // A name's answer is its binding now (a name read before its assignment in the walk, by a
    // look-ahead over a function body, must not keep that earlier answer): not memoised.
    if (node.type === 'identifier') {
      return this.scopes.lookup(this.scopes.textOf(node))?.kind === 'symbolic';
    }
    // An expression's answer holds while the bindings do: one read ahead of a local assignment
    // (`return keras.ops.concatenate([t, x])` looked at before the function's own `x = ...`
    // shadows a symbolic module-level `x`) must not stand once the assignment is walked.
    if (this.memoVersion !== this.scopes.version) {
      this.symbolicMemo.clear();
      this.memoVersion = this.scopes.version;
    }
    const memo = this.symbolicMemo.get(node);
    if (memo !== undefined) {
      return memo;
    }
    // Pathologically deep expressions: give up (answer "not symbolic") instead of overflowing.
    if (this.symbolicDepth > MAX_EXPRESSION_DEPTH) {
      return false;
    }
    this.symbolicDepth++;
    let result: boolean;
    try {
      result = this.computeSymbolic(node);
    } finally {
      this.symbolicDepth--;
    }
    this.symbolicMemo.set(node, result);
    return result;
  }

  private computeSymbolic(node: SyntaxNode): boolean {
    switch (node.type) {
      case 'identifier':
        return this.scopes.lookup(this.scopes.textOf(node))?.kind === 'symbolic';
      case 'parenthesized_expression':
      case 'keyword_argument':
        return node.children.some(c => c.field !== 'name' && this.isSymbolic(c));
      case 'binary_operator':
      case 'unary_operator':
      case 'list':
      case 'tuple':
      case 'dictionary':
      case 'pair':
        return node.children.some(c => c.field !== 'key' && this.isSymbolic(c));
      case 'subscript': {
        const value = child(node, 'value');
        return value !== null && this.isSymbolic(value);
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension': {
        // The body comes first (the compact tree keeps no field names here); a dict
        // comprehension's body is a `pair` (`{name: keras.Input(name=name, ...) for name in NAMES}`),
        // whose value decides.
        const body = node.children[0];
        return body !== undefined && body.type !== 'for_in_clause' && this.isSymbolic(body);
      }
      case 'conditional_expression': {
        // `keras.Input(shape=(), dtype="float32") if numeric else keras.Input(shape=(), dtype="string")`:
        // either branch (children: value, condition, value).
        const parts = node.children.filter(c => c.type !== 'comment');
        return [parts[0], parts[2]].some(c => c !== undefined && this.isSymbolic(c));
      }
      case 'attribute': {
        const attr = child(node, 'attribute');
        const obj = child(node, 'object');
        if (!attr || !obj) {
          return false;
        }
        const name = this.scopes.textOf(attr);
        if (name === 'output' || name === 'outputs' || name === 'input' || name === 'inputs') {
          return this.isLayerInstance(obj);
        }
        return false;
      }
      case 'call':
        return this.callIsSymbolic(node);
      default:
        return false;
    }
  }

  /** Whether an expression is (probably) a Keras layer or model instance. */
  isLayerInstance(node: SyntaxNode): boolean {
    if (this.isCallbackModel(node)) {
      return true;
    }
    while (node.type === 'subscript' || node.type === 'attribute' || node.type === 'parenthesized_expression') {
      const inner = node.type === 'parenthesized_expression' ? node.children[0] : child(node, node.type === 'subscript' ? 'value' : 'object');
      if (!inner) {
        return false;
      }
      node = inner;
    }
    if (node.type === 'identifier') {
      return this.scopes.lookup(this.scopes.textOf(node))?.kind === 'layer';
    }
    if (node.type === 'call') {
      const fnNode = child(node, 'function');
      // `resnet50.get_layer("conv4_block6_2_relu")`: a model's layer by name (keras.io DeepLabV3+,
      // Grad-CAM), whatever the model came from (an applications constructor, a helper function).
      const method = fnNode?.type === 'attribute' ? child(fnNode, 'attribute') : null;
      if (method && this.scopes.textOf(method) === 'get_layer') {
        return true;
      }
      // `downsample(64, 4)(x)`: a notebook function that returns a layer.
      if (fnNode && fnNode.type === 'identifier' && this.scopes.lookup(this.scopes.textOf(fnNode))?.kind === 'factory') {
        return true;
      }
      const kind = fnNode !== null ? this.kerasKindOfClass(fnNode) : null;
      return kind === 'layer' || kind === 'model';
    }
    return false;
  }

  /**
   * `self.model` in a method of a `keras.callbacks.Callback` subclass: the model being trained
   * (Keras sets it before training starts).
   */
  private isCallbackModel(node: SyntaxNode): boolean {
    if (node.type !== 'attribute') {
      return false;
    }
    const obj = child(node, 'object');
    const attr = child(node, 'attribute');
    if (!obj || !attr || obj.type !== 'identifier' || this.scopes.textOf(obj) !== 'self' || this.scopes.textOf(attr) !== 'model') {
      return false;
    }
    const cls = this.scopes.fn?.classScope ?? null;
    const supers = cls ? child(cls.node, 'superclasses') : null;
    return !!supers && supers.children.some(base => /^keras\.callbacks\.\w+$/.test(this.resolveKeras(base) ?? ''));
  }

  private callIsSymbolic(node: SyntaxNode): boolean {
    const fnNode = child(node, 'function');
    const args = child(node, 'arguments');
    if (!fnNode) {
      return false;
    }
    const name = this.resolveKeras(fnNode);
    if (name && INPUT_FACTORIES.has(name)) {
      return true;
    }
    // `inputs = create_model_inputs()`: a notebook function that returns the KerasTensors it makes.
    if (fnNode.type === 'identifier' && this.scopes.lookup(this.scopes.textOf(fnNode))?.kind === 'tensors') {
      return true;
    }
    // `inputs.values()` of a container of KerasTensors, and `list(...)` of one.
    if (fnNode.type === 'attribute') {
      const method = child(fnNode, 'attribute');
      const object = child(fnNode, 'object');
      if (method && FEATURE_SPACE_TENSORS.has(this.scopes.textOf(method)) && !(args && args.children.length)) {
        return true;
      }
      if (method && object && CONTAINER_VIEWS.has(this.scopes.textOf(method)) && this.isSymbolic(object)) {
        return true;
      }
    }
    if (fnNode.type === 'identifier' && CONTAINER_BUILTINS.has(this.scopes.textOf(fnNode)) && args && args.children.some(a => this.isSymbolic(a))) {
      return true;
    }
    if (!args || !args.children.some(a => this.isSymbolic(a))) {
      return false;
    }
    if (this.isLayerInstance(fnNode)) {
      return true;
    }
    if (name && ((name.startsWith('keras.ops.') && !OPS_VALUE_FUNCTIONS.has(name.slice('keras.ops.'.length))) || /^keras\.layers\.[a-z]\w*$/.test(name))) {
      return true;
    }
    // Keras 2 `K.mean(x)` on a KerasTensor built a symbolic tensor too (and is a keras.ops call
    // once migrated); the shape and value helpers return Python values.
    if (name && name.startsWith('keras.backend.') && !BACKEND_VALUE_FUNCTIONS.has(name.slice('keras.backend.'.length))) {
      return true;
    }
    if (name && KERAS_TENSOR_FUNCTIONS.test(name)) {
      return true;
    }
    const canonical = this.scopes.resolve(fnNode);
    // A TF op on a KerasTensor fails, but what it would produce is still symbolic: later
    // ops on the result fail the same way.
    if (canonical !== null) {
      return canonical.startsWith('tensorflow.') && !kerasName(canonical);
    }
    // A notebook helper or a loop variable (`for block in blocks: x = block(x)`) applied to a
    // KerasTensor is Functional-model building: its result is symbolic too. Builtins are not.
    if (fnNode.type === 'identifier') {
      const callee = this.scopes.textOf(fnNode);
      const binding = this.scopes.lookup(callee);
      return !PYTHON_BUILTINS.has(callee) && (binding === undefined || binding.kind === 'factory');
    }
    // A layer made in place from a class a notebook function returned (`Norm = get_norm_layer(norm)`,
    // then `Norm()(h)`; og47c repro_1, LynnHo's WGAN-GP modules): applied to a KerasTensor, it is one.
    return fnNode.type === 'call';
  }

  /** The binding an assignment's right-hand side gives its target. */
  bindingOf(value: SyntaxNode): Binding | null {
    if (value.type === 'identifier' || value.type === 'attribute') {
      const canonical = this.scopes.resolve(value);
      if (canonical) {
        return { kind: 'module', canonical };
      }
      if (value.type === 'identifier') {
        const b = this.scopes.lookup(this.scopes.textOf(value));
        return b && b.kind !== 'value' ? b : null;
      }
    }
    if (value.type === 'call') {
      const fnNode = child(value, 'function');
      const kind = fnNode ? this.kerasKindOfClass(fnNode) : null;
      if (fnNode && (kind === 'layer' || kind === 'model') && !this.callIsSymbolic(value)) {
        if (this.isMultiOutputModel(value, fnNode)) {
          return { kind: 'layer', multiOutput: true };
        }
        return this.isWeightlessLayerCall(value, fnNode) ? { kind: 'layer', weightless: true } : { kind: 'layer' };
      }
      // `model = keras.models.load_model(path)`: what the file holds (a model, a FeatureSpace, ...) is
      // unknown, so it is a plain value, but one bound in the environment: the cells that use the name
      // are then relevant, and the rules about loaded models see how every cell uses it.
      if (fnNode && /^keras\.(models|saving)\.load_model$/.test(this.resolveKeras(fnNode) ?? '')) {
        return { kind: 'value', loaded: true };
      }
      // `vectorize_layer = get_vectorize_layer(texts, ...)`: a notebook function that returns a layer.
      const factory = fnNode && fnNode.type === 'identifier' ? this.scopes.lookup(this.scopes.textOf(fnNode)) : undefined;
      if (factory?.kind === 'factory' && !this.callIsSymbolic(value)) {
        return factory.weightless ? { kind: 'layer', weightless: true } : { kind: 'layer' };
      }
    }
    // `lstm = model.layers[3]`, `dense = model.get_layer("head")`: a layer of a model.
    if (this.isLayerOfModel(value)) {
      return { kind: 'layer' };
    }
    if (containerDepth(value) > 1 && this.isSymbolic(value)) {
      return { kind: 'nested' }; // a nested structure of KerasTensors (Functional inputs)
    }
    if (!this.isSymbolic(value)) {
      return null;
    }
    return this.needsNoGrad(value) ? { kind: 'symbolic', noGrad: true } : { kind: 'symbolic' };
  }

  /** `model.layers[i]` or `model.get_layer(...)` of a layer or model instance. */
  private isLayerOfModel(value: SyntaxNode): boolean {
    let owner: SyntaxNode | null = null;
    if (value.type === 'subscript') {
      const base = child(value, 'value');
      const attr = base?.type === 'attribute' ? child(base, 'attribute') : null;
      owner = attr && this.scopes.textOf(attr) === 'layers' ? child(base!, 'object') : null;
    } else if (value.type === 'call') {
      const fnNode = child(value, 'function');
      const attr = fnNode?.type === 'attribute' ? child(fnNode, 'attribute') : null;
      owner = attr && this.scopes.textOf(attr) === 'get_layer' ? child(fnNode!, 'object') : null;
    }
    return owner !== null && this.isLayerInstance(owner);
  }

  /**
   * Whether a KerasTensor expression is a model input, or comes from one through layers without
   * trainable weights only (`augmented = data_augmentation(inputs)`): in training on PyTorch it
   * does not require grad.
   */
  needsNoGrad(node: SyntaxNode): boolean {
    if (node.type === 'identifier') {
      const b = this.scopes.lookup(this.scopes.textOf(node));
      return b?.kind === 'symbolic' && b.noGrad === true;
    }
    if (node.type !== 'call') {
      return false;
    }
    const fnNode = child(node, 'function');
    const args = child(node, 'arguments');
    if (!fnNode) {
      return false;
    }
    const name = this.resolveKeras(fnNode);
    if (name && INPUT_FACTORIES.has(name)) {
      return true;
    }
    const weightless =
      fnNode.type === 'identifier'
        ? (b => b?.kind === 'layer' && b.weightless === true)(this.scopes.lookup(this.scopes.textOf(fnNode)))
        : fnNode.type === 'call' && this.isWeightlessLayerCall(fnNode, child(fnNode, 'function'));
    const inputs = args ? itemsOf(args) : [];
    return weightless && inputs.length > 0 && inputs.every(a => a.type !== 'keyword_argument' && this.needsNoGrad(a));
  }

  /**
   * Whether a class statement is a direct `keras.layers.Layer` subclass that makes no weights and
   * holds no layers: no `add_weight` / `Variable` call, no attribute assigned a call of a class or
   * of a layer factory (`self.dense = Dense(4)`, `self.block = make_block()`) nor a name bound to a
   * layer, and no call of an attribute that is not one of its own methods (`self.inner(x)`): keras.io
   * ViT's `Patches` (`tf.image.extract_patches` and a reshape). Its output on eager data needs no grad.
   */
  isWeightlessLayerClass(node: SyntaxNode): boolean {
    const supers = child(node, 'superclasses');
    const bases = supers ? itemsOf(supers) : [];
    if (bases.length !== 1 || !/^keras\.(layers\.)?Layer$/.test(this.resolveKeras(bases[0]) ?? '')) {
      return false;
    }
    const body = child(node, 'body');
    const methods = new Set<string>();
    for (const statement of body ? body.children : []) {
      const def = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
      const name = def?.type === 'function_definition' ? child(def, 'name') : null;
      if (name) {
        methods.add(this.scopes.textOf(name));
      }
    }
    const stack = body ? [body] : [];
    while (stack.length) {
      const n = stack.pop()!;
      stack.push(...n.children);
      if (n.type === 'call') {
        const fn = child(n, 'function');
        const last = fn?.type === 'attribute' ? this.scopes.textOf(child(fn, 'attribute') ?? fn) : fn ? this.scopes.textOf(fn) : '';
        if (/^(add_weight|add_variable|Variable)$/.test(last)) {
          return false;
        }
        const object = fn?.type === 'attribute' ? child(fn, 'object') : null;
        if (object && this.scopes.textOf(object) === 'self' && !methods.has(last)) {
          return false; // `self.inner(x)`, `self.add_loss(...)`: not known to be weightless
        }
      } else if (n.type === 'assignment') {
        const left = child(n, 'left');
        const right = child(n, 'right');
        if (!left || !right || !this.scopes.textOf(left).startsWith('self.')) {
          continue;
        }
        const inner = [right];
        while (inner.length) {
          const v = inner.pop()!;
          inner.push(...v.children);
          const callee = v.type === 'call' ? child(v, 'function') : null;
          const named = v.type === 'identifier' ? this.scopes.lookup(this.scopes.textOf(v)) : undefined;
          if (named && (named.kind === 'layer' || named.kind === 'factory')) {
            return false;
          }
          if (callee && (this.kerasKindOfClass(callee) !== null || /^[A-Z]/.test(this.scopes.textOf(callee).split('.').pop() ?? '') || (callee.type === 'identifier' && this.scopes.lookup(this.scopes.textOf(callee))?.kind === 'factory'))) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** `layers.RandomFlip()`, `keras.Sequential([layers.Rescaling(1 / 255), layers.RandomFlip()])`: no trainable weights. */
  private isWeightlessLayerCall(call: SyntaxNode, fnNode: SyntaxNode | null): boolean {
    // An instance of a notebook layer class without weights (`Patches(patch_size)`).
    const bound = fnNode?.type === 'identifier' ? this.scopes.lookup(this.scopes.textOf(fnNode)) : undefined;
    if (bound?.kind === 'class' && bound.weightless === true) {
      return true;
    }
    const name = fnNode ? this.resolveKeras(fnNode) : null;
    if (!name) {
      return false;
    }
    if (WEIGHTLESS_LAYER.test(name)) {
      return true;
    }
    if (name !== 'keras.Sequential' && name !== 'keras.models.Sequential') {
      return false;
    }
    const args = child(call, 'arguments');
    const list = args?.children.find(a => a.type === 'list' || a.type === 'tuple');
    const items = list ? list.children.filter(c => c.type === 'call') : [];
    return items.length > 0 && list!.children.every(c => c.type !== 'identifier' && c.type !== 'attribute' && c.type !== 'list_splat') &&
      items.every(c => {
        const fn = child(c, 'function');
        const n = fn ? this.resolveKeras(fn) : null;
        return !!n && (WEIGHTLESS_LAYER.test(n) || INPUT_FACTORIES.has(n));
      });
  }

  /** `keras.Model(inputs, [a, b])`: a Functional model with several outputs. */
  private isMultiOutputModel(call: SyntaxNode, fnNode: SyntaxNode): boolean {
    const name = this.resolveKeras(fnNode);
    if (name !== 'keras.Model' && name !== 'keras.models.Model') {
      return false;
    }
    const args = child(call, 'arguments');
    if (!args) {
      return false;
    }
    const text = (n: SyntaxNode): string => this.scopes.textOf(n);
    const keyword = args.children.find(a => a.type === 'keyword_argument' && text(child(a, 'name') ?? a) === 'outputs');
    const positional = args.children.filter(a => a.type !== 'keyword_argument' && a.type !== 'comment');
    const outputs = keyword ? child(keyword, 'value') : positional[1];
    return !!outputs && (outputs.type === 'list' || outputs.type === 'tuple' || outputs.type === 'dictionary') && outputs.children.filter(c => c.type !== 'comment').length > 1;
  }
}
