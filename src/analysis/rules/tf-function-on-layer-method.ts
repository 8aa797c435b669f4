import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { tensorflowOnlyDecoratorsFix } from '../helpers/backend-branch';
import { callsIn, passesArguments, tfFunctionDecorators } from '../helpers/tape-context';
import { constructorsOfCallee, selfAttribute } from '../helpers/layer-calls';
import { classMethodDefinitions } from '../helpers/model-code';
import { callParts, lineStartAt, noteGradRuns, RUNS_WITH_GRAD } from '../rule-helpers';
import type { Backend } from '../types';

/** Methods Keras itself runs (other rules convert their TensorFlow steps). */
const KERAS_STEPS = new Set(['train_step', 'test_step', 'predict_step', 'call', 'build', '__init__']);

/** How many `self.method(...)` hops are followed from the decorated method. */
const MAX_DEPTH = 3;

/**
 * Noted where a notebook Keras class is constructed with a Keras layer or model as an argument:
 * `layer-argument:CLASS.NAME` for a keyword, `layer-argument:CLASS#I` for the I-th positional one.
 */
const LAYER_ARGUMENT = 'layer-argument:';

/**
 * The `__init__` parameter an attribute holds as it was passed (`self.encoder = encoder`, the only
 * assignment of the attribute), with its position after `self`; null otherwise.
 */
function constructorParameter(cls: SyntaxNode, methods: Map<string, SyntaxNode>, attr: string, ctx: RuleContext): { name: string; index: number } | null {
  const init = methods.get('__init__');
  const params = init ? child(init, 'parameters') : null;
  if (!init || !params) {
    return null;
  }
  const names = params.children
    .filter(p => p.type !== 'comment')
    .map(p => (p.type === 'identifier' ? ctx.textOf(p) : p.type === 'default_parameter' || p.type === 'typed_default_parameter' ? ctx.textOf(child(p, 'name') ?? p) : p.type === 'typed_parameter' ? ctx.textOf(p.children[0]) : null));
  const values: SyntaxNode[] = [];
  const stack = [...cls.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      if (left && right && left.type === 'attribute' && ctx.textOf(left).replace(/\s+/g, '') === 'self.' + attr) {
        values.push(right);
      }
    }
    stack.push(...n.children);
  }
  const value = values.length === 1 ? values[0] : null;
  if (!value || value.type !== 'identifier' || value.start < init.start || value.end > init.end) {
    return null;
  }
  const index = names.indexOf(ctx.textOf(value));
  return index >= 1 ? { name: ctx.textOf(value), index: index - 1 } : null;
}

/** A Keras layer or model call the method reaches: for sure, or if the constructor gets a layer as `param`. */
interface Reached {
  call: SyntaxNode;
  /** Set when the callee is an `__init__` parameter kept as an attribute: the call is a layer's if a layer is passed there. */
  param?: { name: string; index: number };
}

/**
 * The calls, in the method or the methods of its class it calls through `self.name(...)`, of
 * a Keras layer or model the instance holds (`self.decoder(z)`, every constructor of the attribute a
 * Keras layer or model) or of the instance itself (`self(x)`), with arguments, or of an attribute
 * holding what `__init__` was given (`self.encoder = encoder`): the first sure one alone, else
 * the conditional ones.
 */
function kerasCallReached(def: SyntaxNode, cls: SyntaxNode, ctx: RuleContext): Reached[] {
  const methods = classMethodDefinitions(cls, ctx);
  const conditional: Reached[] = [];
  const seen = new Set<SyntaxNode>();
  let frontier = [def];
  for (let depth = 0; depth <= MAX_DEPTH && frontier.length; depth++) {
    const next: SyntaxNode[] = [];
    for (const method of frontier) {
      if (seen.has(method)) {
        continue;
      }
      seen.add(method);
      for (const call of callsIn(method)) {
        const fn = child(call, 'function');
        if (!fn || !passesArguments(call)) {
          continue;
        }
        if (fn.type === 'identifier' && ctx.textOf(fn) === 'self') {
          return [{ call }];
        }
        const attr = selfAttribute(fn, ctx);
        if (!attr) {
          continue;
        }
        const callee = methods.get(attr);
        if (callee) {
          next.push(callee);
          continue;
        }
        const ctors = constructorsOfCallee(fn, ctx);
        const isKeras = (ctor: SyntaxNode): boolean => {
          const ctorFn = child(ctor, 'function');
          const kind = ctorFn ? ctx.kerasKindOfClass(ctorFn) : null;
          return kind === 'layer' || kind === 'model';
        };
        if (ctors && ctors.length > 0 && ctors.every(isKeras)) {
          return [{ call }];
        }
        const param = !ctors || ctors.length === 0 ? constructorParameter(cls, methods, attr, ctx) : null;
        if (param) {
          conditional.push({ call, param });
        }
      }
    }
    frontier = next;
  }
  return conditional;
}

/** `MyModel(encoder=MyEncoder(...))`: notes which arguments of a notebook Keras class are Keras layers or models. */
function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  // Where the notebook trains decides the TensorFlow claim of `@tf.function` on a model's `call()`.
  noteGradRuns(node, ctx);
  const fn = child(node, 'function');
  if (!fn || fn.type !== 'identifier') {
    return;
  }
  const name = ctx.textOf(fn);
  const binding = ctx.lookup(name);
  if (!binding || binding.kind !== 'class' || (binding.keras !== 'layer' && binding.keras !== 'model')) {
    return;
  }
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  parts.positional.forEach((arg, i) => {
    if (ctx.isLayerInstance(arg)) {
      ctx.note(`${LAYER_ARGUMENT}${name}#${i}`);
    }
  });
  for (const [keyword, kw] of parts.keywords) {
    if (ctx.isLayerInstance(kw.value)) {
      ctx.note(`${LAYER_ARGUMENT}${name}.${keyword}`);
    }
  }
}

/** Functions whose loops over Python values stay Python loops without AutoGraph. */
const PYTHON_ITERATORS = new Set(['range', 'enumerate', 'zip', 'reversed', 'list', 'tuple', 'sorted']);

/** Whether `node` is made of Python values only: literals, `self.<attr>`, names, and Python calls of those (no TF or keras.ops call in it). */
function pythonValued(node: SyntaxNode, ctx: RuleContext): boolean {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      const fn = child(n, 'function');
      const name = fn ? ctx.resolve(fn) ?? ctx.textOf(fn) : '';
      if (/^(tensorflow|keras)\./.test(name) || (fn?.type === 'identifier' && !PYTHON_ITERATORS.has(name) && name !== 'len' && name !== 'isinstance')) {
        return false;
      }
    }
    stack.push(...n.children);
  }
  return true;
}

/**
 * The first statement of a `@tf.function` method's body that needs AutoGraph, which only
 * tf.function applies (Keras 3 traces `call()` without it): a `while` loop, a `for` loop over
 * anything but Python values (`for step in tf.range(n)`, og50b's handson-ml3 `MyRNN`), or an
 * `if` on a computed condition (`if self.flag:`, `if mask is None:`, `if training:` are Python).
 * Without the decorator such a body fails on TensorFlow ("Iterating over a symbolic `tf.Tensor`
 * is not allowed", checked on Keras 3.15), so removing it is not safe there.
 */
function autographStatement(fn: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const stack = [...(child(fn, 'body')?.children ?? [])];
  while (stack.length) {
    const n = stack.shift()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda' || n.type === 'decorated_definition') {
      continue;
    }
    if (n.type === 'while_statement') {
      return n;
    }
    if (n.type === 'for_statement') {
      const iterable = child(n, 'right');
      if (!iterable || !pythonValued(iterable, ctx)) {
        return n;
      }
    }
    if (n.type === 'if_statement' || n.type === 'elif_clause') {
      const condition = child(n, 'condition');
      if (!condition || !pythonValued(condition, ctx) || /\b(?!self\b|training\b|mask\b|None\b|not\b|and\b|or\b|is\b|True\b|False\b)[A-Za-z_]\w*\b(?!\s*\()/.test(ctx.textOf(condition).replace(/\bself\.\w+(\.\w+)*/g, 'self'))) {
        return n;
      }
    }
    stack.push(...n.children);
  }
  return null;
}

/**
 * `@tf.function` on `call()` itself. Keras compiles `call()` in fit/predict (traced by the backend),
 * so the decorator only hands the body TensorFlow's symbolic tensors: on JAX always ("Unable to
 * automatically build the model", the layer's variables meet a TF graph), on PyTorch where the body
 * calls a layer or a `keras.ops` function ("Cannot convert a symbolic tf.Tensor"; plain operators on
 * the layer's weights ran), and on TensorFlow for a subclassed model whose layers are built inside it
 * in training ("No gradients provided for any variable"; a Layer in a functional model and a model
 * only predicted with ran). Checked on Keras 3.15 (/work/og46b repro_11, repro_12; /tmp/tfcall).
 * Removing the decorator is safe: Keras traces `call()` itself (`compile(jit_compile=True)` for XLA).
 */
function reportTfFunctionOnCall(node: SyntaxNode, decorators: SyntaxNode[], kind: 'layer' | 'model', ctx: RuleContext): void {
  const cls = ctx.cls!;
  const reached = kerasCallReached(node, cls.node, ctx);
  const usesKeras = reached.length > 0 || callsIn(node).some(c => (ctx.resolveKeras(child(c, 'function') ?? c) ?? '').startsWith('keras.'));
  const blocks: Backend[] = ['jax'];
  const blocksOnlyIf: Partial<Record<Backend, string>> = {};
  if (usesKeras) {
    blocks.push('torch');
  }
  if (kind === 'model' && reached.length > 0) {
    blocks.unshift('tensorflow');
    blocksOnlyIf.tensorflow = `anywhere:${RUNS_WITH_GRAD}`;
  }
  const edits = decorators.map(expr => {
    const decorator = expr.parent?.type === 'decorator' ? expr.parent : expr;
    // The decorator's whole line, with its line break (`\r\n`, `\n` or `\r`: CR-only files too).
    const text = ctx.text;
    let end = decorator.end;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') {
      end++;
    }
    end += text.startsWith('\r\n', end) ? 2 : end < text.length ? 1 : 0;
    return { start: lineStartAt(text, decorator.start), end, text: '' };
  });
  const jit = decorators.some(d => /jit_compile\s*=\s*True/.test(ctx.textOf(d)));
  const autograph = autographStatement(node, ctx);
  if (autograph) {
    const head = ctx.textOf(autograph).split(/\r\n|\r|\n/)[0].replace(/:\s*$/, '');
    ctx.report(
      decorators[0],
      `\`call()\` of a Keras ${kind} decorated with \`@tf.function\`: the decorator only hands it TensorFlow's symbolic tensors, which JAX${usesKeras ? ' and PyTorch' : ''} cannot take. ` +
        `Its body relies on AutoGraph (\`${head}\`), which only tf.function applies (Keras 3 traces \`call()\` without it), so the decorator stays on TensorFlow; ` +
        'rewrite that code with `keras.ops` (`keras.ops.fori_loop`, `keras.ops.cond`) or plain Python values to run on JAX and PyTorch.',
      tensorflowOnlyDecoratorsFix(decorators, ctx),
      undefined,
      undefined,
      blocks,
      blocksOnlyIf
    );
    return;
  }
  ctx.report(
    decorators[0],
    `\`call()\` of a Keras ${kind} decorated with \`@tf.function\`: Keras traces \`call()\` itself, and the decorator only hands it TensorFlow's symbolic tensors, which JAX${usesKeras ? ' and PyTorch' : ''} cannot take${kind === 'model' && reached.length ? ' (on TensorFlow too, a subclassed model whose layers are built inside it trains nothing: "No gradients provided for any variable")' : ''}. Remove the decorator${jit ? ' (for XLA, `compile(jit_compile=True)`)' : ''}.`,
    { title: 'Remove `@tf.function` from `call()`', safe: true, edits },
    undefined,
    undefined,
    blocks,
    blocksOnlyIf
  );
}

function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const cls = ctx.cls;
  const nameNode = child(node, 'name');
  const method = nameNode ? ctx.textOf(nameNode) : '';
  if (!cls || (cls.keras !== 'layer' && cls.keras !== 'model') || (KERAS_STEPS.has(method) && method !== 'call')) {
    return;
  }
  // A method of the class itself (not a function nested in one).
  const body = node.parent?.type === 'decorated_definition' ? node.parent.parent : node.parent;
  if (!body || body.parent !== cls.node) {
    return;
  }
  const decorators = tfFunctionDecorators(node, ctx);
  if (decorators.length === 0) {
    return;
  }
  if (method === 'call') {
    reportTfFunctionOnCall(node, decorators, cls.keras, ctx);
    return;
  }
  const calls = kerasCallReached(node, cls.node, ctx);
  if (calls.length === 0) {
    return;
  }
  const reached = calls[0].call;
  // Through attributes holding what the constructor gets: only where it gets a layer or model there.
  const onlyIf = calls[0].param
    ? calls.map(c => `anywhere:${LAYER_ARGUMENT}${cls.name}.${c.param!.name} | anywhere:${LAYER_ARGUMENT}${cls.name}#${c.param!.index}`).join(' | ')
    : undefined;
  ctx.report(
    decorators[0],
    `\`${method}()\` is a \`@tf.function\` method of a Keras ${cls.keras} that runs Keras layers (\`${ctx.textOf(child(reached, 'function')!)}(...)\`): ` +
      'tf.function traces it with TensorFlow tensors, which the layers cannot take on JAX or PyTorch ("Cannot convert a symbolic tf.Tensor to a numpy array"). ' +
      'Apply the decorator on TensorFlow only; on JAX and PyTorch the method runs eagerly.',
    tensorflowOnlyDecoratorsFix(decorators, ctx),
    undefined,
    onlyIf
  );
}

export const tfFunctionOnLayerMethod: RuleDefinition = {
  code: 'KM265',
  name: 'tf-function-on-layer-method',
  slug: 'keras-ops',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1: a keras.Model subclass with `@tf.function def sample(self,
   * eps=None)` returning `self.decoder(eps)` (eps given as a NumPy array, or drawn with
   * tf.random.normal when None) raises "Cannot convert a symbolic tf.Tensor (eps:0) to a numpy
   * array" on JAX and PyTorch and runs on TensorFlow; with the decorator applied on TensorFlow only
   * it runs on all three.
   */
  blocks: ['jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['function'],
  docs: {
    whatItDoes:
      'Flags `@tf.function` (with or without arguments) on a method of a Keras Layer or Model subclass, other than the ones Keras runs itself (`call`, `build`, `train_step`, `test_step`, `predict_step`), when the method, or a method of the class it calls through `self.name(...)` (three calls deep), calls a Keras layer or model the instance holds (`self.decoder(z)`, also one the constructor was given and keeps, `self.encoder = encoder`, where the program passes it a layer or model: `Model(encoder=MyLayer(...))`) or the instance itself (`self(x)`) with arguments: the TensorFlow CVAE tutorial\'s `sample()`, text generators\' `generate_one_step()`. The fix makes the decorator `@(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))`.',
    why:
      'On JAX and PyTorch, Keras layers compute with that backend\'s arrays. tf.function traces the method with symbolic TensorFlow tensors (its array arguments converted, `tf.random` draws symbolic), and a layer called on one tries to make it a NumPy array: "Cannot convert a symbolic tf.Tensor to a numpy array". TensorFlow runs it as before. With the decorator applied on TensorFlow only, TensorFlow keeps the compiled method and JAX and PyTorch run it eagerly, so the fix is safe: nothing changes on TensorFlow, and elsewhere the method could not run before. The migration guide\'s advice to drop TensorFlow-specific code covers it.',
    example:
      'import tensorflow as tf\nimport keras\n\n\nclass CVAE(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.decoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])\n\n    @tf.function\n    def sample(self, eps):\n        return self.decoder(eps)',
    useInstead:
      'import tensorflow as tf\nimport keras\n\n\nclass CVAE(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.decoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])\n\n    @(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))\n    def sample(self, eps):\n        return self.decoder(eps)'
  },
  requires: ['function'],
  visitors: { function_definition: visitFunction, call: visitCall }
};
