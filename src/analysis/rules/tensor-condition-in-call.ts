import { child, MAX_EXPRESSION_DEPTH, SyntaxNode } from '../ast';
import type { FunctionScope, RawFix, RuleContext, RuleDefinition } from '../rule';
import type { Backend } from '../types';
import { kerasMethodName, PYTHON_VALUE_PARAMETERS, tfApiName } from '../rule-helpers';
import { parameterNames, withKerasImport } from '../helpers/calls';

const NON_TENSOR_TF = /^tf\.(executing_eagerly|is_tensor|is_symbolic_tensor|config\.|test\.|distribute\.|__version__)/;
/** keras.backend functions that return Python values (configuration, static shapes). */
const NON_TENSOR_BACKEND = /^keras\.backend\.(image_data_format|floatx|epsilon|backend|is_keras_tensor|is_float_dtype|is_int_dtype|standardize_dtype|int_shape|ndim|dtype|is_sparse|is_tensor)$/;

/** Names holding tensors inside each `call()` (parameters and locals computed from them). */
const tensorNames = new WeakMap<FunctionScope, Set<string>>();

function namesFor(fn: FunctionScope, ctx: RuleContext): Set<string> {
  let names = tensorNames.get(fn);
  if (!names) {
    names = new Set();
    tensorNames.set(fn, names);
    // A notebook function's parameters may be anything (`transformer(drop_prob, name)` builds a
    // model): there only values of TF and keras.ops calls count.
    if (!fn.classScope) {
      return names;
    }
    // Only the first argument after self is surely a tensor; others (`states`, `constants`)
    // are often Python lists or flags.
    const params = child(fn.node, 'parameters');
    const first = params?.children[fn.classScope ? 1 : 0];
    const id = first && (first.type === 'identifier' ? first : first.type === 'typed_parameter' ? first.children.find(c => c.type === 'identifier') : null);
    if (id && !PYTHON_VALUE_PARAMETERS.has(ctx.textOf(id))) {
      names.add(ctx.textOf(id));
    }
    // A keras.losses.Loss subclass's call(y_true, y_pred): Keras 3's Loss.__call__ converts both
    // arguments to tensors, even a Python flag passed as the second (keras.io GauGAN's
    // DiscriminatorLoss.call(self, y, is_real) with `1.0 if is_real else -1.0`; tf.keras passed it as given).
    const second = params?.children.filter(c => c.type === 'identifier' || c.type === 'typed_parameter')[fn.classScope ? 2 : 1];
    const secondId = second && (second.type === 'identifier' ? second : second.children.find(c => c.type === 'identifier'));
    if (secondId && fn.classScope && fn.name === 'call' && isLossSubclass(fn.classScope.node, ctx)) {
      names.add(ctx.textOf(secondId));
    }
    tensorNames.set(fn, names);
  }
  return names;
}

/** Whether a class derives directly from a Keras loss class (`keras.losses.Loss`, a built-in loss). */
function isLossSubclass(cls: SyntaxNode, ctx: RuleContext): boolean {
  const bases = child(cls, 'superclasses');
  return !!bases && bases.children.some(b => /^keras\.losses\.[A-Z]\w*$/.test(ctx.resolveKeras(b) ?? ''));
}

function tensorValued(node: SyntaxNode, names: Set<string>, ctx: RuleContext, depth = 0): boolean {
  if (depth > MAX_EXPRESSION_DEPTH) {
    return false;
  }
  switch (node.type) {
    case 'identifier':
      return names.has(ctx.textOf(node)) && ctx.lookup(ctx.textOf(node))?.kind !== 'module';
    case 'parenthesized_expression':
    case 'not_operator':
    case 'boolean_operator':
    case 'binary_operator':
    case 'unary_operator':
      return node.children.some(c => tensorValued(c, names, ctx, depth + 1));
    case 'comparison_operator': {
      const ops = ctx.text.slice(node.start, node.end);
      // `x is None`, `k in d`: identity and membership give Python bools.
      if (/\bis\b|\bin\b/.test(ops.replace(/(["'])(?:\\.|(?!\1).)*\1/g, ''))) {
        return false;
      }
      return node.children.some(c => tensorValued(c, names, ctx, depth + 1));
    }
    case 'subscript': {
      const value = child(node, 'value');
      return value !== null && tensorValued(value, names, ctx, depth + 1);
    }
    case 'call': {
      const fn = child(node, 'function');
      if (!fn) {
        return false;
      }
      const canonical = ctx.resolve(fn);
      const tf = tfApiName(canonical);
      if (tf) {
        return !NON_TENSOR_TF.test(tf);
      }
      const keras = ctx.resolveKeras(fn);
      // keras.random draws too: what the RNG fix turns `tf.random.uniform([]) < p` into.
      return keras !== null && (keras.startsWith('keras.ops.') || keras.startsWith('keras.random.') || keras.startsWith('keras.backend.')) && !NON_TENSOR_BACKEND.test(keras);
    }
    default:
      return false;
  }
}

/**
 * The function whose conditions are checked: a layer's `call()`, or a notebook function (reported
 * with `model:NAME`, which holds where model code calls it: a helper of `call()` such as the
 * TensorFlow data-augmentation tutorial's `random_invert_img(x)`), not under `@tf.function`.
 */
function inCall(ctx: RuleContext): { fn: FunctionScope; onlyIf?: string } | null {
  if (ctx.inTfFunction() || !ctx.fn) {
    return null;
  }
  if (kerasMethodName(ctx) === 'call') {
    return { fn: ctx.fn };
  }
  const helper = ctx.notebookFunction();
  return helper && helper === ctx.fn ? { fn: helper, onlyIf: 'model:' + helper.name } : null;
}

/**
 * Whether a tensor condition holds a value JAX traces: a tensor argument or a `keras.ops` /
 * `keras.random` value (a traced array has no truth value), or a TF op on one. A TF op on Python
 * data only (`tf.random.uniform([]) < p`) is an eager TensorFlow tensor on JAX and PyTorch, which
 * Python's `if` reads; only TensorFlow's symbolic build refuses it (checked on Keras 3.15, fit of a
 * Sequential model with an Input).
 */
function tracedOnJax(node: SyntaxNode, names: Set<string>, ctx: RuleContext, depth = 0): boolean {
  if (depth > MAX_EXPRESSION_DEPTH) {
    return true;
  }
  if (node.type === 'call') {
    const fn = child(node, 'function');
    const tf = fn ? tfApiName(ctx.resolve(fn)) : null;
    if (!tf) {
      return tensorValued(node, names, ctx);
    }
    const args = child(node, 'arguments')?.children ?? [];
    return args.some(a => {
      const value = a.type === 'keyword_argument' ? child(a, 'value') : a;
      return !!value && (value.type === 'list_splat' || value.type === 'dictionary_splat' || tracedOnJax(value, names, ctx, depth + 1));
    });
  }
  if (node.type === 'identifier') {
    return tensorValued(node, names, ctx);
  }
  return node.children.some(c => tracedOnJax(c, names, ctx, depth + 1));
}

/** Where the condition is: `call()`, or the helper it is in. */
function placeOf(at: { fn: FunctionScope; onlyIf?: string }): string {
  return at.onlyIf ? `\`${at.fn.name}()\`, which model code calls` : '`call()`';
}

/** The backends a tensor condition fails on, with the clause saying so. */
function conditionBlocks(condition: SyntaxNode, names: Set<string>, ctx: RuleContext): { blocks: Backend[]; why: string } {
  return tracedOnJax(condition, names, ctx)
    ? { blocks: ['tensorflow', 'jax'], why: 'so this fails when traced (TensorFlow\'s symbolic build, JAX\'s jit)' }
    : {
        blocks: ['tensorflow'],
        why: 'so TensorFlow\'s symbolic build fails on it ("Using a symbolic `tf.Tensor` as a Python `bool`"); a TF op on Python values is an eager TensorFlow tensor on JAX and PyTorch, where it runs'
      };
}

function checkCondition(node: SyntaxNode, ctx: RuleContext): void {
  const at = inCall(ctx);
  const condition = child(node, 'condition');
  if (!at || !condition) {
    return;
  }
  const names = namesFor(at.fn, ctx);
  if (tensorValued(condition, names, ctx)) {
    const kind = node.type === 'while_statement' ? 'while' : node.type === 'conditional_expression' ? 'conditional expression' : 'if';
    const { blocks, why } = conditionBlocks(condition, names, ctx);
    ctx.report(
      condition,
      `Python \`${kind}\` on a tensor-valued condition inside ${placeOf(at)}: Keras 3 does not run AutoGraph, ${why}; use \`keras.ops.cond\`/\`keras.ops.where\`.`,
      node.type === 'if_statement' ? condFix(node, condition, at.fn, ctx) : null,
      undefined,
      at.onlyIf,
      blocks
    );
  }
}

/** The one statement of a block (comments aside), or null. */
function onlyStatement(block: SyntaxNode | null | undefined): SyntaxNode | null {
  const statements = block?.children.filter(c => c.type !== 'comment') ?? [];
  return statements.length === 1 ? statements[0] : null;
}

/** Text of a value as the body of a `lambda:` (a tuple in parentheses: `lambda: a, b` is a tuple of a lambda). */
function lambdaBody(value: SyntaxNode, ctx: RuleContext): string | null {
  const text = ctx.textOf(value);
  // A lambda body cannot yield, await or bind with `:=` the way the statement did.
  if (/\byield\b|\bawait\b|:=/.test(text)) {
    return null;
  }
  return value.type === 'expression_list' ? `(${text})` : text;
}

/**
 * The statement that runs after `statement` when it falls through: the next one in its block, or
 * (the last of a branch of an `if`) the one after that `if`, and so on outwards; null at the end of
 * a function or loop body, or with a comment before it (a fix spanning both would drop it).
 */
function statementRunNext(statement: SyntaxNode): SyntaxNode | null {
  let at = statement;
  for (;;) {
    const block = at.parent;
    const siblings = block?.children ?? [];
    const next = siblings[siblings.indexOf(at) + 1];
    if (next) {
      return next.type === 'comment' ? null : next;
    }
    const owner = block?.type === 'block' ? block.parent : null;
    const branchOf = owner?.type === 'if_statement' ? owner : owner?.type === 'elif_clause' || owner?.type === 'else_clause' ? owner.parent : null;
    if (!branchOf || branchOf.type !== 'if_statement') {
      return null;
    }
    at = branchOf;
  }
}

/** `return VALUE`: VALUE. */
function returnedValue(statement: SyntaxNode | null | undefined): SyntaxNode | null {
  const parts = statement?.type === 'return_statement' ? statement.children.filter(c => c.type !== 'comment') : [];
  return parts.length === 1 ? parts[0] : null;
}

/** `NAME = VALUE` (no annotation, no chained target): the name and the value. */
function assignedValue(statement: SyntaxNode | null | undefined, ctx: RuleContext): { name: string; value: SyntaxNode } | null {
  const assignment = statement?.type === 'expression_statement' && statement.children.length === 1 ? statement.children[0] : null;
  const left = assignment?.type === 'assignment' && !child(assignment, 'type') ? child(assignment, 'left') : null;
  const right = assignment ? child(assignment, 'right') : null;
  return left?.type === 'identifier' && right && right.type !== 'assignment' ? { name: ctx.textOf(left), value: right } : null;
}

/** Whether `name` holds a value before `at` in the function: a parameter, or assigned above it. */
function boundBefore(fn: FunctionScope, name: string, at: SyntaxNode, ctx: RuleContext): boolean {
  if (parameterNames(fn.node, ctx)?.includes(name)) {
    return true;
  }
  const body = child(fn.node, 'body');
  const above = body ? ctx.text.slice(body.start, at.start) : '';
  return new RegExp(`(^|\\n)[ \\t]*${name}[ \\t]*=(?!=)`).test(above);
}

/**
 * The condition as one tensor: `a and b` / `a or b` / `not a` of tensor comparisons or calls become
 * `keras.ops.logical_and(a, b)` / `logical_or` / `logical_not` (Python's `and` asks a symbolic tensor
 * for its truth value, which TensorFlow and JAX refuse in the `keras.ops.cond` predicate; checked on
 * Keras 3.15, /work/og46b repro_3). Operands that may be Python values (`training and ...`) keep the text.
 */
function tensorPredicate(condition: SyntaxNode, ctx: RuleContext): string {
  const tensorish = (n: SyntaxNode): boolean =>
    n.type === 'comparison_operator' || n.type === 'call' || (n.type === 'parenthesized_expression' && n.children.some(c => c.type !== '(' && c.type !== ')' && tensorish(c))) || n.type === 'boolean_operator' || n.type === 'not_operator';
  const convert = (n: SyntaxNode): string | null => {
    if (n.type === 'parenthesized_expression') {
      const inner = n.children.filter(c => c.type !== '(' && c.type !== ')' && c.type !== 'comment');
      return inner.length === 1 ? convert(inner[0]) : null;
    }
    if (n.type === 'boolean_operator') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      // The operator is an anonymous token: the word between the operands.
      const op = left && right ? ctx.text.slice(left.end, right.start).trim() : '';
      const l = left && tensorish(left) ? convert(left) : null;
      const r = right && tensorish(right) ? convert(right) : null;
      return l !== null && r !== null && (op === 'and' || op === 'or') ? `keras.ops.logical_${op}(${l}, ${r})` : null;
    }
    if (n.type === 'not_operator') {
      const arg = child(n, 'argument') ?? n.children.find(c => c.type !== 'comment') ?? null;
      const a = arg && tensorish(arg) ? convert(arg) : null;
      return a !== null ? `keras.ops.logical_not(${a})` : null;
    }
    return n.type === 'comparison_operator' || n.type === 'call' ? ctx.textOf(n) : null;
  };
  return (condition.type === 'boolean_operator' || condition.type === 'not_operator' ? convert(condition) : null) ?? ctx.textOf(condition);
}

/**
 * `if c: return a` + `return b`, `if c: return a else: return b`, `if c: x = a` (x bound before)
 * and `if c: x = a else: x = b` become one `keras.ops.cond(c, lambda: a, lambda: b)`: only the
 * chosen branch runs, as under AutoGraph's tf.cond (a suggestion: JAX needs both branches to give
 * the same shape and dtype).
 */
function condFix(node: SyntaxNode, condition: SyntaxNode, fn: FunctionScope, ctx: RuleContext): RawFix | null {
  const alternatives = node.children.filter(c => c.type === 'elif_clause' || c.type === 'else_clause');
  if (alternatives.length > 1 || alternatives[0]?.type === 'elif_clause') {
    return null;
  }
  const then = onlyStatement(child(node, 'consequence'));
  const otherwise = alternatives.length ? onlyStatement(child(alternatives[0], 'body')) : null;
  if (alternatives.length && !otherwise) {
    return null;
  }
  // A condition of TF ops on Python values is an eager TensorFlow tensor on JAX, which `jax.lax.cond`
  // refuses; converted, it runs there (checked on Keras 3.15: tf, jax, torch).
  const predicate = tracedOnJax(condition, namesFor(fn, ctx), ctx) ? tensorPredicate(condition, ctx) : `keras.ops.convert_to_tensor(${tensorPredicate(condition, ctx)})`;
  const cond = (a: string | null, b: string | null) => (a !== null && b !== null ? `keras.ops.cond(${predicate}, lambda: ${a}, lambda: ${b})` : null);
  let end = node.end;
  let replacement: string | null = null;
  const thenValue = returnedValue(then);
  if (thenValue) {
    let elseValue = returnedValue(otherwise);
    if (!alternatives.length) {
      const next = statementRunNext(node);
      elseValue = returnedValue(next);
      // The return right after the `if` becomes the other branch; one after an enclosing `if`
      // stays, as other paths reach it.
      const siblings = node.parent?.children ?? [];
      if (next && siblings[siblings.indexOf(node) + 1] === next) {
        end = next.end;
      }
    }
    const text = elseValue && cond(lambdaBody(thenValue, ctx), lambdaBody(elseValue, ctx));
    replacement = text ? `return ${text}` : null;
  } else {
    const assigned = assignedValue(then, ctx);
    const elseAssigned = alternatives.length ? assignedValue(otherwise, ctx) : null;
    if (assigned && (elseAssigned ? elseAssigned.name === assigned.name : !alternatives.length && boundBefore(fn, assigned.name, node, ctx))) {
      const text = cond(lambdaBody(assigned.value, ctx), elseAssigned ? lambdaBody(elseAssigned.value, ctx) : assigned.name);
      replacement = text ? `${assigned.name} = ${text}` : null;
    }
  }
  if (!replacement) {
    return null;
  }
  return {
    title: `Use \`keras.ops.cond(${ctx.textOf(condition)}, ...)\` (only the chosen branch runs; on JAX both give the same shape and dtype)`,
    safe: false,
    edits: withKerasImport(ctx, [{ start: node.start, end, text: replacement }])
  };
}

function trackAssignment(node: SyntaxNode, ctx: RuleContext): void {
  const fn = inCall(ctx)?.fn;
  if (!fn) {
    return;
  }
  const left = child(node, 'left');
  const right = child(node, 'right');
  if (left?.type === 'identifier' && right) {
    const names = namesFor(fn, ctx);
    if (tensorValued(right, names, ctx)) {
      names.add(ctx.textOf(left));
    } else {
      names.delete(ctx.textOf(left));
    }
  }
}

/** Node types a value of `keras.ops.where` may hold: evaluating it whatever the condition has no effect. */
const PLAIN_VALUE = new Set(['identifier', 'integer', 'float', 'true', 'false', 'unary_operator', 'binary_operator', 'parenthesized_expression', 'attribute', 'subscript', 'slice', 'comment']);

/** Whether both values can be computed whatever the condition: names, numbers and arithmetic on them (no call). */
function plainValue(node: SyntaxNode): boolean {
  return PLAIN_VALUE.has(node.type) && node.children.every(c => plainValue(c));
}

function conditionalExpression(node: SyntaxNode, ctx: RuleContext): void {
  // tree-sitter-python gives conditional_expression no field names: body, condition, alternative.
  const at = inCall(ctx);
  const [body, condition, alternative] = node.children.filter(c => c.type !== 'comment');
  const names = at ? namesFor(at.fn, ctx) : null;
  if (at && names && condition && tensorValued(condition, names, ctx)) {
    // `a if c else b` -> `keras.ops.where(c, a, b)` where a and b are plain values (both are
    // computed; the result is a tensor, a nonzero number counting as true as Python's `if` does).
    const plain = !!body && !!alternative && plainValue(body) && plainValue(alternative);
    const imp = plain ? ctx.kerasImportEdit() : null;
    const fix: RawFix | null =
      plain
        ? {
            title: `Use \`keras.ops.where(${ctx.textOf(condition)}, ${ctx.textOf(body)}, ${ctx.textOf(alternative)})\` (a tensor, both values computed)`,
            safe: false,
            edits: [{ start: node.start, end: node.end, text: `keras.ops.where(${ctx.textOf(condition)}, ${ctx.textOf(body)}, ${ctx.textOf(alternative)})` }, ...(imp ? [imp] : [])]
          }
        : null;
    const { blocks, why } = conditionBlocks(condition, names, ctx);
    ctx.report(condition, `Python conditional expression on a tensor-valued condition inside ${placeOf(at)}: Keras 3 does not run AutoGraph, ${why}; use \`keras.ops.where\`.`, fix, undefined, at.onlyIf, blocks);
  }
}

export const tensorConditionInCall: RuleDefinition = {
  code: 'KM061',
  name: 'tensor-condition-in-call',
  slug: 'autograph',
  severity: 'error',
  /**
   * TensorFlow traces `call` without AutoGraph (OperatorNotAllowedInGraphError) and JAX traces it
   * under jit (a traced array has no truth value); PyTorch runs it eagerly. Checked by running.
   */
  blocks: ['tensorflow', 'jax'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Inside `call()` of a Keras Layer/Model subclass (not decorated with `@tf.function`), flags `if`, `elif`, `while` and conditional expressions whose condition is a tensor: a TF/keras.ops result, or a tensor argument compared by value. `if training:`, `if mask is not None:` and `if x.shape[-1] > 3:` are Python values and stay quiet. In the `call()` of a `keras.losses.Loss` subclass both arguments are tensors: Keras 3\'s `Loss.__call__` converts them, even a Python flag handed over as the second (keras.io GauGAN\'s `DiscriminatorLoss.call(self, y, is_real)` with `1.0 if is_real else -1.0`, which tf.keras passed as given). An `if` whose branch returns or assigns one value, with an `else` doing the same (or, without `else`, the next statement returning, or the name already holding a value), becomes `return keras.ops.cond(condition, lambda: a, lambda: b)` / `x = keras.ops.cond(...)` (a suggestion: only the chosen branch runs, as under AutoGraph\'s tf.cond, and JAX needs both branches to give the same shape and dtype); a random draw (`keras.random.uniform([]) < p`, what the RNG fix writes) is a tensor condition too. A conditional expression whose two values are names, numbers or arithmetic on them (no call) becomes `keras.ops.where(condition, a, b)` (a suggestion: the result is a tensor, and both values are computed; a float condition such as a converted flag counts as true when nonzero, as Python\'s `if` does). Checked on keras.io GauGAN\'s DiscriminatorLoss on TensorFlow, JAX and PyTorch.',
    why:
      'Keras 2 converted such Python control flow with AutoGraph. Keras 3 traces `call()` as plain Python, so a symbolic tensor used as a bool raises "Using a symbolic tf.Tensor as a Python bool is not allowed" (guide section "TF autograph").',
    example:
      'import keras\nimport tensorflow as tf\nclass Gate(keras.layers.Layer):\n    def call(self, x):\n        if tf.reduce_sum(x) > 0:\n            return x\n        return -x',
    useInstead:
      'import keras\nclass Gate(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.cond(keras.ops.sum(x) > 0, lambda: x, lambda: -x)'
  },
  visitors: {
    if_statement: checkCondition,
    elif_clause: checkCondition,
    while_statement: checkCondition,
    conditional_expression: conditionalExpression,
    'assignment:exit': trackAssignment
  }
};
