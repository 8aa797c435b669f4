import { child, enclosingFunctionDefinition, itemsOf, returnStatements, rootOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import type { Backend } from '../types';
import { callParameters, callParts, constructorsOfCallee, enclosingClass, nodesOfType } from '../rule-helpers';

/**
 * What a value passed to a layer is in Keras 3: `strict`, a Python number or string on every
 * backend (a literal, `x.shape[1]`, `keras.ops.shape(x)[1]`, `len(...)`, arithmetic of them);
 * `tf`, a `tf.shape(x)[1]` entry: a tensor on TensorFlow, a Python number once converted to
 * `keras.ops.shape` (and no tensor of the backend on JAX/PyTorch).
 */
type Flavor = 'strict' | 'tf';

function combine(a: Flavor | null, b: Flavor | null): Flavor | null {
  if (a === null) {
    return b;
  }
  if (b === null) {
    return a;
  }
  return a === 'tf' || b === 'tf' ? 'tf' : 'strict';
}

/** Subscript depth and chain limits: the values looked at are short chains of assignments. */
const MAX_DEPTH = 8;

interface Analysis {
  /** `Class#param` -> what the class's `call()` parameter is given somewhere in the cell. */
  params: Map<string, Flavor>;
}

const ANALYSES = new WeakMap<SyntaxNode, Analysis>();

const CALL_DEFINITIONS = new WeakMap<SyntaxNode, Map<string, SyntaxNode>>();

/** The `call` definition of a class defined in the cell, by class name (computed once per cell). */
function callDefinitions(root: SyntaxNode, ctx: RuleContext): Map<string, SyntaxNode> {
  const cached = CALL_DEFINITIONS.get(root);
  if (cached) {
    return cached;
  }
  const defs = new Map<string, SyntaxNode>();
  CALL_DEFINITIONS.set(root, defs);
  for (const cls of nodesOfType(root, 'class_definition')) {
    const name = child(cls, 'name');
    const body = child(cls, 'body');
    for (const s of body ? body.children : []) {
      const def = s.type === 'decorated_definition' ? s.children.find(c => c.type === 'function_definition') : s;
      const defName = def && def.type === 'function_definition' ? child(def, 'name') : null;
      if (name && def && defName && ctx.textOf(defName) === 'call') {
        defs.set(ctx.textOf(name), def);
      }
    }
  }
  return defs;
}

/**
 * The constructor calls behind a callee: what constructorsOfCallee finds, and for a loop variable
 * over `self.X` or `enumerate(self.X)` also the layers the class appends to `self.X`
 * (`self.stages = list()` ... `self.stages.append(Stage(...))`, keras.io's Swin / FocalNet style).
 */
function calleeConstructors(fn: SyntaxNode, ctx: RuleContext): SyntaxNode[] | null {
  // `Block()(inputs, 2.0)`: the layer is constructed and called in one expression.
  if (fn.type === 'call') {
    return [fn];
  }
  const known = constructorsOfCallee(fn, ctx);
  if (known && known.length > 0 && known.every(c => ctx.textOf(child(c, 'function') ?? c) !== 'list')) {
    return known;
  }
  if (fn.type !== 'identifier') {
    return null;
  }
  const name = ctx.textOf(fn);
  const cls = enclosingClass(fn);
  let container: SyntaxNode | null = null;
  for (let p: SyntaxNode | null = fn.parent, steps = 0; p && steps < 64; p = p!.parent, steps++) {
    if (p.type === 'function_definition') {
      break;
    }
    if (p.type !== 'for_statement') {
      continue;
    }
    const left = child(p, 'left');
    let right = child(p, 'right');
    if (!left || !right) {
      continue;
    }
    const targets = left.type === 'identifier' ? [left] : itemsOf(left).filter(t => t.type !== ',');
    const last = targets[targets.length - 1];
    if (!last || last.type !== 'identifier' || ctx.textOf(last) !== name) {
      continue;
    }
    if (targets.length === 2 && right.type === 'call' && ctx.textOf(child(right, 'function') ?? right) === 'enumerate') {
      right = callParts(right, ctx)?.positional[0] ?? null;
    } else if (targets.length !== 1) {
      continue;
    }
    container = right;
    break;
  }
  if (!cls || !container || container.type !== 'attribute' || !/^self\.\w+$/.test(ctx.textOf(container))) {
    return null;
  }
  const attr = ctx.textOf(container);
  const made: SyntaxNode[] = [];
  for (const call of nodesOfType(cls, 'call')) {
    const f = child(call, 'function');
    if (!f || f.type !== 'attribute' || ctx.textOf(f) !== attr + '.append') {
      continue;
    }
    let value = callParts(call, ctx)?.positional[0] ?? null;
    if (value && value.type === 'identifier') {
      // `layer = Stage(...)`, then `self.stages.append(layer)`: the assignments in the same function.
      const def = enclosingFunctionDefinition(call);
      const values = def ? assignedValues(def, ctx.textOf(value), ctx) : [];
      value = values.length === 1 ? values[0].value : null;
    }
    if (!value || value.type !== 'call') {
      return null;
    }
    made.push(value);
  }
  return made.length > 0 ? made : null;
}

/** The class name and `call()` parameters of the custom layer a callee is, when every constructor agrees. */
/**
 * Whether a class defined in the cell is a Keras layer or model, judged from its base classes (a
 * Keras class, or another such class of the cell), not from the name's binding where the
 * question is asked: the analysis runs once per cell, from wherever the first call is.
 */
function isKerasLayerClass(name: string, root: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 8) {
    return false;
  }
  for (const cls of nodesOfType(root, 'class_definition')) {
    const n = child(cls, 'name');
    if (!n || ctx.textOf(n) !== name) {
      continue;
    }
    const bases = child(cls, 'superclasses');
    return (bases ? itemsOf(bases) : []).some(b => {
      const kind = ctx.kerasKindOfClass(b);
      if (kind === 'layer' || kind === 'model') {
        return true;
      }
      return b.type === 'identifier' && ctx.textOf(b) !== name && isKerasLayerClass(ctx.textOf(b), root, ctx, depth + 1);
    });
  }
  return false;
}

function calleeClass(fn: SyntaxNode, ctx: RuleContext, defs: Map<string, SyntaxNode>): { name: string; params: readonly string[] } | null {
  const root = rootOf(fn);
  const ctors = calleeConstructors(fn, ctx);
  if (!ctors || ctors.length === 0) {
    return null;
  }
  let found: { name: string; params: readonly string[] } | null = null;
  for (const c of ctors) {
    const f = child(c, 'function');
    if (!f || f.type !== 'identifier' || !defs.has(ctx.textOf(f))) {
      return null;
    }
    const params = callParameters(c, ctx);
    if (!isKerasLayerClass(ctx.textOf(f), root, ctx) || !params) {
      return null;
    }
    if (found && found.params.join() !== params.join()) {
      return null;
    }
    found = found ?? { name: ctx.textOf(f), params };
  }
  return found;
}

/** `name = value` and `a, name = value` assignments in a function (not in nested functions), with the position in a tuple target. */
function assignedValues(def: SyntaxNode, name: string, ctx: RuleContext): { value: SyntaxNode; index: number | null }[] {
  const found: { value: SyntaxNode; index: number | null }[] = [];
  const stack = [...(child(def, 'body')?.children ?? [])];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'lambda') {
      continue;
    }
    if (node.type === 'assignment') {
      const left = child(node, 'left');
      const right = child(node, 'right');
      if (left && right && left.type === 'identifier' && ctx.textOf(left) === name) {
        found.push({ value: right, index: null });
      } else if (left && right && (left.type === 'pattern_list' || left.type === 'tuple_pattern')) {
        const targets = itemsOf(left).filter(t => t.type !== ',' && t.type !== '(' && t.type !== ')');
        const i = targets.findIndex(t => t.type === 'identifier' && ctx.textOf(t) === name);
        if (i >= 0) {
          found.push({ value: right, index: i });
        }
      }
    }
    stack.push(...node.children);
  }
  return found;
}

function tupleItems(node: SyntaxNode): SyntaxNode[] | null {
  if (node.type === 'expression_list' || node.type === 'tuple') {
    return itemsOf(node).filter(t => t.type !== ',' && t.type !== '(' && t.type !== ')');
  }
  return null;
}

class Evaluator {
  constructor(
    private readonly ctx: RuleContext,
    private readonly defs: Map<string, SyntaxNode>,
    private readonly params: Map<string, Flavor>
  ) {}

  /** The class whose `call` a function definition is, if it is one. */
  private classOfCall(def: SyntaxNode): string | null {
    for (const [name, d] of this.defs) {
      if (d === def) {
        return name;
      }
    }
    return null;
  }

  /** What `expr` (in function `def`) is in Keras 3, when it is surely no tensor. */
  value(expr: SyntaxNode, def: SyntaxNode | null, depth = 0): Flavor | null {
    const ctx = this.ctx;
    if (depth > MAX_DEPTH) {
      return null;
    }
    switch (expr.type) {
      case 'integer':
      case 'float':
      case 'string':
        return 'strict';
      case 'parenthesized_expression': {
        const inner = itemsOf(expr).find(c => c.type !== '(' && c.type !== ')');
        return inner ? this.value(inner, def, depth + 1) : null;
      }
      case 'unary_operator': {
        const operand = child(expr, 'argument');
        return operand ? this.value(operand, def, depth + 1) : null;
      }
      case 'binary_operator': {
        // The copy keeps no field names under binary operators: the operands are the two named children.
        const [l, r] = itemsOf(expr);
        const a = l ? this.value(l, def, depth + 1) : null;
        const b = r ? this.value(r, def, depth + 1) : null;
        return a !== null && b !== null ? combine(a, b) : null;
      }
      case 'call': {
        const fn = child(expr, 'function');
        const name = fn ? ctx.textOf(fn) : '';
        return name === 'len' || name === 'int' ? 'strict' : null;
      }
      case 'subscript': {
        // A static shape entry: index >= 1 or negative (the batch entry may be None or a tensor).
        const value = child(expr, 'value');
        const index = child(expr, 'subscript');
        const indexText = index ? ctx.textOf(index) : '';
        if (!value || !/^(-\s*)?\d+$/.test(indexText) || indexText === '0') {
          return null;
        }
        if (value.type === 'attribute' && ctx.textOf(child(value, 'attribute') ?? value) === 'shape') {
          return 'strict';
        }
        const f = value.type === 'call' ? child(value, 'function') : null;
        const resolved = f ? ctx.resolveKeras(f) ?? ctx.resolve(f) : null;
        if (resolved === 'keras.ops.shape' || resolved === 'keras.backend.int_shape') {
          return 'strict';
        }
        return resolved === 'tensorflow.shape' ? 'tf' : null;
      }
      case 'identifier': {
        if (!def) {
          return null;
        }
        const name = ctx.textOf(expr);
        let flavor: Flavor | null = null;
        const owner = this.classOfCall(def);
        if (owner !== null) {
          flavor = combine(flavor, this.params.get(owner + '#' + name) ?? null);
        }
        for (const { value, index } of assignedValues(def, name, ctx)) {
          if (index === null) {
            flavor = combine(flavor, this.value(value, def, depth + 1));
            continue;
          }
          const items = tupleItems(value);
          if (items) {
            flavor = combine(flavor, items[index] ? this.value(items[index], def, depth + 1) : null);
          } else if (value.type === 'call') {
            flavor = combine(flavor, this.returned(value, index, depth + 1));
          }
        }
        return flavor;
      }
      default:
        return null;
    }
  }

  /** What item `index` of the tuple a custom layer call returns is. */
  private returned(call: SyntaxNode, index: number, depth: number): Flavor | null {
    const fn = child(call, 'function');
    const target = fn ? calleeClass(fn, this.ctx, this.defs) : null;
    const def = target ? this.defs.get(target.name) : null;
    if (!def) {
      return null;
    }
    let flavor: Flavor | null = null;
    for (const r of returnStatements(def)) {
      const items = r.children.map(tupleItems).find(i => i !== null);
      if (items && items[index]) {
        flavor = combine(flavor, this.value(items[index], def, depth));
      }
    }
    return flavor;
  }
}

/** Calls of custom layers in the cell and what each `call()` parameter is given, to a fixed point. */
function analyse(root: SyntaxNode, ctx: RuleContext): Analysis {
  let analysis = ANALYSES.get(root);
  if (analysis) {
    return analysis;
  }
  const defs = callDefinitions(root, ctx);
  const params = new Map<string, Flavor>();
  analysis = { params };
  ANALYSES.set(root, analysis);
  if (defs.size === 0) {
    return analysis;
  }
  const sites: { call: SyntaxNode; cls: { name: string; params: readonly string[] } }[] = [];
  for (const call of nodesOfType(root, 'call')) {
    const fn = child(call, 'function');
    const parts = callParts(call, ctx);
    if (!fn || !parts || parts.positional.length + parts.keywords.size < 2) {
      continue;
    }
    const cls = calleeClass(fn, ctx, defs);
    if (cls) {
      sites.push({ call, cls });
    }
  }
  for (let round = 0; round < 6; round++) {
    const evaluator = new Evaluator(ctx, defs, params);
    let changed = false;
    for (const { call, cls } of sites) {
      const parts = callParts(call, ctx)!;
      const def = enclosingFunctionDefinition(call);
      const given: [string, SyntaxNode][] = [];
      parts.positional.forEach((a, i) => {
        if (i > 0 && i < cls.params.length) {
          given.push([cls.params[i], a]);
        }
      });
      for (const [k, kw] of parts.keywords) {
        given.push([k, kw.value]);
      }
      for (const [param, arg] of given) {
        const key = cls.name + '#' + param;
        const before = params.get(key) ?? null;
        const after = combine(before, evaluator.value(arg, def));
        if (after !== before) {
          params.set(key, after!);
          changed = true;
        }
      }
    }
    if (!changed) {
      break;
    }
  }
  return analysis;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.positional.length < 2 || parts.splat) {
    return;
  }
  // Only a layer held in a name, `self.X`, or a list of them, or one constructed in place
  // (`Block()(x, 2.0)`): not a library function (`keras.ops.add(a, b)`), checked before anything
  // that walks the tree.
  const fn = parts.fn;
  const target = fn.type === 'subscript' ? child(fn, 'value') : fn;
  const constructed = target?.type === 'call' && child(target, 'function')?.type === 'identifier';
  if (!target || (target.type !== 'identifier' && !constructed && !(target.type === 'attribute' && /^self\.\w+$/.test(ctx.textOf(target))))) {
    return;
  }
  // Bools and the `training` flag are positional-training-argument's (KM197).
  if (parts.positional.some((a, i) => i > 0 && (a.type === 'true' || a.type === 'false' || (a.type === 'identifier' && ctx.textOf(a) === 'training')))) {
    return;
  }
  const root = rootOf(node);
  const defs = callDefinitions(root, ctx);
  const cls = calleeClass(parts.fn, ctx, defs);
  if (!cls || cls.params.length < parts.positional.length) {
    return;
  }
  const analysis = analyse(root, ctx);
  const evaluator = new Evaluator(ctx, defs, analysis.params);
  const def = enclosingFunctionDefinition(node);
  const flagged: { index: number; flavor: Flavor }[] = [];
  parts.positional.forEach((a, i) => {
    const flavor = i > 0 ? evaluator.value(a, def) : null;
    if (flavor) {
      flagged.push({ index: i, flavor });
    }
  });
  if (flagged.length === 0) {
    return;
  }
  const first = flagged[0].index;
  const keywordNames = cls.params.slice(first, parts.positional.length);
  const rewritten = parts.positional.slice(first);
  const clash = keywordNames.some(n => parts.keywords.has(n));
  const fix = clash
    ? null
    : {
        title: `Pass ${keywordNames.map(n => '`' + n + '=`').join(', ')} by keyword`,
        safe: true,
        edits: rewritten.map((arg, i) => ({ start: arg.start, end: arg.start, text: keywordNames[i] + '=' }))
      };
  const strict = flagged.some(f => f.flavor === 'strict');
  const blocks: Backend[] = strict ? ['tensorflow', 'jax', 'torch'] : ['jax', 'torch'];
  const shown = flagged.map(f => '`' + ctx.textOf(parts.positional[f.index]) + '`').join(', ');
  ctx.report(
    parts.positional[first],
    `${shown} ${flagged.length > 1 ? 'are' : 'is'} passed positionally to \`${cls.name}\` but ${flagged.length > 1 ? 'are' : 'is'} a Python number or string in Keras 3 (a literal, or a static shape entry: \`keras.ops.shape(x)[i]\` and \`x.shape[i]\` are ints${strict ? '' : '; `tf.shape(x)[i]` becomes one once converted to `keras.ops.shape`'}). Keras 3 accepts only tensors as positional arguments of a layer call and raises "Only input tensors may be passed as positional arguments". Pass ${keywordNames.map(n => '`' + n + '=`').join(', ')} by keyword.`,
    fix,
    undefined,
    undefined,
    blocks
  );
}

export const nonTensorPositionalLayerArgument: RuleDefinition = {
  code: 'KM345',
  name: 'non-tensor-positional-layer-argument',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError "Only input tensors may be passed as positional arguments ... 12 (of type <class 'int'>)" (Keras 3.15, TF/JAX/PyTorch). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['call'],
  docs: {
    whatItDoes:
      'Flags a call of a layer class defined in the notebook that passes, after the inputs, a Python number or string positionally: a literal, a static shape entry (`x.shape[1]`, `keras.ops.shape(x)[1]`, `tf.shape(x)[1]`), arithmetic of them, or a name holding one, also through the tuple another custom layer\'s `call()` returns and through the `call()` parameters of a layer that passes them on (`x, h, w = self.embed(x)` then `block(x, h, w)`).',
    why:
      'Keras 2 handed every positional argument of a layer call to `call()` unchanged. Keras 3 `Layer.__call__` accepts only tensors (or None) as positional arguments and raises "Only input tensors may be passed as positional arguments. The following argument value should be passed as a keyword argument: 12 (of type <class \'int\'>)" on every backend. Shape entries are Python ints in Keras 3 (`keras.ops.shape`, which `tf.shape` is converted to, gives ints for static dimensions), so code that passed `tf.shape(x)[1]` tensors along breaks once converted. Not covered by the migration guide. The fix names the parameters from the class\'s `call()` signature and is safe: Keras 2 gave them the same values.',
    example:
      'import keras\nclass Tokens(keras.layers.Layer):\n    def call(self, x, height, width):\n        return keras.ops.reshape(x, (-1, height * width, x.shape[-1]))\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.tokens = Tokens()\n    def call(self, x):\n        return self.tokens(x, x.shape[1], x.shape[2])',
    useInstead:
      'import keras\nclass Tokens(keras.layers.Layer):\n    def call(self, x, height, width):\n        return keras.ops.reshape(x, (-1, height * width, x.shape[-1]))\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.tokens = Tokens()\n    def call(self, x):\n        return self.tokens(x, height=x.shape[1], width=x.shape[2])'
  },
  visitors: { call: visit }
};
