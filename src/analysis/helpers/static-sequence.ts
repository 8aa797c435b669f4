/**
 * A 1-D tensor built from a few scalars, read back as a Python tuple: `tf.concat([tf.expand_dims(batch, -1),
 * tf.constant([1, 1])], axis=0)` is `(batch, 1, 1)`. keras.ops functions that take a sequence of
 * integers (`keras.ops.tile`'s repeats) fail on JAX and in TensorFlow graphs when given a tensor
 * ("jax.numpy.tile needs hashable repetitions"), while a tuple of the same scalars runs everywhere.
 * Not a rule.
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { callParts, lastAssignedValue } from './calls';

/** The function a call makes, canonical (`tensorflow.concat`, `keras.ops.concatenate`). */
function callee(node: SyntaxNode, ctx: RuleContext): string | null {
  const parts = node.type === 'call' ? callParts(node, ctx) : null;
  return parts ? (ctx.resolveKeras(parts.fn) ?? ctx.resolve(parts.fn)) : null;
}

/** The argument at `position` or named `keyword` (first match). */
function argument(node: SyntaxNode, ctx: RuleContext, position: number, keywords: string[]): SyntaxNode | null {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat) {
    return null;
  }
  for (const k of keywords) {
    const kw = parts.keywords.get(k);
    if (kw) {
      return kw.value;
    }
  }
  return parts.positional[position] ?? null;
}

/** Only these keywords (besides the ones read) may be passed: anything else could change the value. */
function onlyKeywords(node: SyntaxNode, ctx: RuleContext, allowed: string[]): boolean {
  const parts = callParts(node, ctx);
  return !!parts && [...parts.keywords.keys()].every(k => allowed.includes(k));
}

/** The functions whose value is a tensor's shape: in Keras 3, `keras.ops.shape` returns it as a tuple. */
const SHAPE_FUNCTION = /^(tensorflow|keras\.ops|keras\.backend|tensorflow\.keras\.backend)\.shape$/;

/**
 * A run of a shape spliced into a shape vector: `tf.shape(x)[:-1]`, `K.shape(x)[1:]` or the whole
 * `tf.shape(x)`. Its elements are the tensor's dimensions, so the tuple unpacks
 * `keras.ops.shape(x)[:-1]`, which holds the same dimensions on every backend.
 */
function shapeSplice(node: SyntaxNode, ctx: RuleContext): string | null {
  let call = node;
  let index = '';
  if (node.type === 'subscript') {
    const value = child(node, 'value');
    const slice = node.children.filter(c => c !== value);
    if (!value || slice.length !== 1 || slice[0].type !== 'slice') {
      return null;
    }
    call = value;
    index = `[${ctx.textOf(slice[0])}]`;
  }
  const fn = callee(call, ctx);
  if (!fn || !SHAPE_FUNCTION.test(fn) || !onlyKeywords(call, ctx, ['input', 'x', 'name', 'out_type'])) {
    return null;
  }
  const tensor = argument(call, ctx, 0, ['input', 'x']);
  return tensor ? `*keras.ops.shape(${ctx.textOf(tensor)})${index}` : null;
}

/** An element that can be copied into a tuple as written: a name, number, subscript or attribute. */
const SCALAR = new Set(['identifier', 'integer', 'subscript', 'attribute', 'unary_operator']);

const AXIS_ZERO = /^(0|-1)$/;

const CONCATENATE = /^(tensorflow\.concat|keras\.ops\.concatenate|keras\.backend\.concatenate|tensorflow\.keras\.backend\.concatenate)$/;

/** Calls that make a tensor or array of the data written in them: `tf.constant([1, 1])`. */
const CONSTANT_MAKER = /^(tensorflow\.(constant|convert_to_tensor)|keras\.ops\.(convert_to_tensor|array)|numpy\.(array|asarray))$/;

/** The scalars a 1-D piece holds, in order, or null when it is anything else. */
function piecesOf(node: SyntaxNode, ctx: RuleContext, depth: number): SyntaxNode[] | null {
  if (depth > 3) {
    return null;
  }
  if (node.type === 'list' || node.type === 'tuple') {
    const items = itemsOf(node);
    return items.every(i => SCALAR.has(i.type)) ? items : null;
  }
  if (node.type === 'identifier') {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    return value && value.type === 'call' ? piecesOf(value, ctx, depth + 1) : null;
  }
  const fn = callee(node, ctx);
  if (!fn) {
    return null;
  }
  // `tf.expand_dims(batch, -1)`, `tf.reshape(batch, [1])`: one scalar as a 1-element vector.
  if (/^(tensorflow|keras\.ops)\.expand_dims$/.test(fn) && onlyKeywords(node, ctx, ['input', 'x', 'axis', 'name'])) {
    const scalar = argument(node, ctx, 0, ['input', 'x']);
    const axis = argument(node, ctx, 1, ['axis']);
    return scalar && axis && SCALAR.has(scalar.type) && AXIS_ZERO.test(ctx.textOf(axis)) ? [scalar] : null;
  }
  if (/^(tensorflow|keras\.ops)\.reshape$/.test(fn) && onlyKeywords(node, ctx, ['tensor', 'x', 'shape', 'newshape', 'name'])) {
    const scalar = argument(node, ctx, 0, ['tensor', 'x']);
    const shape = argument(node, ctx, 1, ['shape', 'newshape']);
    return scalar && shape && SCALAR.has(scalar.type) && /^[[(]\s*-?1\s*,?\s*[\])]$/.test(ctx.textOf(shape)) ? [scalar] : null;
  }
  // `tf.constant([1, 1], dtype=tf.int32)`: the integers themselves.
  if (CONSTANT_MAKER.test(fn)) {
    if (!onlyKeywords(node, ctx, ['value', 'x', 'object', 'dtype', 'name'])) {
      return null;
    }
    const value = argument(node, ctx, 0, ['value', 'x', 'object']);
    return value && (value.type === 'list' || value.type === 'tuple') ? piecesOf(value, ctx, depth + 1) : null;
  }
  // `tf.stack([batch, 1, 1])`: scalars side by side.
  if (/^(tensorflow|keras\.ops|keras\.backend|tensorflow\.keras\.backend)\.stack$/.test(fn) && onlyKeywords(node, ctx, ['values', 'x', 'axis', 'name'])) {
    const values = argument(node, ctx, 0, ['values', 'x']);
    const axis = argument(node, ctx, 1, ['axis']);
    return values && (values.type === 'list' || values.type === 'tuple') && (!axis || ctx.textOf(axis) === '0') ? piecesOf(values, ctx, depth + 1) : null;
  }
  // `tf.concat([...], axis=0)` (`K.concatenate`, whose default axis -1 is 0 for vectors) of such pieces.
  if (CONCATENATE.test(fn) && onlyKeywords(node, ctx, ['values', 'xs', 'tensors', 'axis', 'name'])) {
    const values = argument(node, ctx, 0, ['values', 'xs', 'tensors']);
    const axis = argument(node, ctx, 1, ['axis']);
    const axisOk = axis ? AXIS_ZERO.test(ctx.textOf(axis)) : fn !== 'tensorflow.concat';
    if (!values || (values.type !== 'list' && values.type !== 'tuple') || !axisOk) {
      return null;
    }
    const all: SyntaxNode[] = [];
    for (const item of itemsOf(values)) {
      if (shapeSplice(item, ctx)) {
        all.push(item);
        continue;
      }
      const inner = piecesOf(item, ctx, depth + 1);
      if (!inner) {
        return null;
      }
      all.push(...inner);
    }
    return all;
  }
  return null;
}

const NUMBER = /^-?\d+$/;

/** A list/tuple of integers, nested to any depth (`[[0, 0], [1, 0]]`): a value the code cannot change. */
function isIntegerLiteral(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 8) {
    return false;
  }
  if (node.type === 'list' || node.type === 'tuple') {
    const items = itemsOf(node);
    return items.length > 0 && items.every(i => isIntegerLiteral(i, ctx, depth + 1));
  }
  return (node.type === 'integer' || node.type === 'unary_operator') && NUMBER.test(ctx.textOf(node));
}

/**
 * The literal of `tf.constant([[0, 0], [1, 0]])` (or `convert_to_tensor`/`np.array` of one, with
 * an integer dtype or none): where keras.ops wants a sequence, the literal itself holds the same
 * numbers. Null for anything else.
 */
function literalOfConstant(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const fn = callee(node, ctx);
  if (!fn || !CONSTANT_MAKER.test(fn)) {
    return null;
  }
  if (!onlyKeywords(node, ctx, ['value', 'x', 'object', 'dtype', 'name'])) {
    return null;
  }
  const dtype = argument(node, ctx, 1, ['dtype']);
  if (dtype && !/int(8|16|32|64)/.test(ctx.textOf(dtype))) {
    return null;
  }
  const value = argument(node, ctx, 0, ['value', 'x', 'object']);
  return value && isIntegerLiteral(value, ctx) && (value.type === 'list' || value.type === 'tuple') ? value : null;
}

/** Every name read in `node`. */
function namesIn(node: SyntaxNode, out: SyntaxNode[] = []): SyntaxNode[] {
  if (node.type === 'identifier') {
    out.push(node);
  } else if (node.type === 'attribute') {
    const object = child(node, 'object');
    if (object) {
      namesIn(object, out);
    }
  } else {
    node.children.forEach(c => namesIn(c, out));
  }
  return out;
}

/** How many times `name` appears as an identifier under `root`. */
function countName(root: SyntaxNode, name: string, ctx: RuleContext): number {
  let count = 0;
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && ctx.textOf(n) === name) {
      count++;
    }
    stack.push(...n.children);
  }
  return count;
}

/** The edit removing a statement's whole line(s), when nothing else shares them. */
function removeStatementLines(statement: SyntaxNode, ctx: RuleContext): OffsetEdit | null {
  const text = ctx.text;
  let start = statement.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) {
    start--;
  }
  let end = statement.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) {
    end++;
  }
  if (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') {
    return null;
  }
  if (text.startsWith('\r\n', end)) {
    end += 2;
  } else if (end < text.length && (text[end] === '\n' || text[end] === '\r')) {
    end++;
  } else if (end < text.length) {
    return null;
  }
  return { start, end, text: '' };
}

/** The tuple of the pieces: `(a,)`, `(a, b)`, `(*keras.ops.shape(x)[:-1], 2, -1)`. */
function tupleOf(pieces: SyntaxNode[], ctx: RuleContext): string {
  const texts = pieces.map(p => shapeSplice(p, ctx) ?? ctx.textOf(p));
  return texts.length === 1 && !texts[0].startsWith('*') ? `(${texts[0]},)` : `(${texts.join(', ')}${texts.length === 1 ? ',' : ''})`;
}

/**
 * A shape vector built by concatenating runs of a tensor's shape with scalars
 * (`K.concatenate([K.shape(x)[:-1], [h, -1]])`, `tf.concat([tf.shape(x)[:1], [4]], 0)`), as the
 * tuple with the same elements: `(*keras.ops.shape(x)[:-1], h, -1)`. keras.ops.shape is a tuple,
 * so keras.ops.concatenate of it fails on TensorFlow ("'tuple' object has no attribute 'dtype'")
 * and gives PyTorch's reshape a tensor; the tuple runs on all three. Null for any other call.
 */
export function shapeVectorTuple(call: SyntaxNode, ctx: RuleContext): string | null {
  const fn = callee(call, ctx);
  if (!fn || !CONCATENATE.test(fn)) {
    return null;
  }
  const pieces = piecesOf(call, ctx, 0);
  return pieces && pieces.some(p => shapeSplice(p, ctx)) ? tupleOf(pieces, ctx) : null;
}

export interface StaticSequence {
  /** The tuple to write instead of the tensor: `(batch_size, 1, 1)`. */
  text: string;
  /** Removes `mult = tf.concat(...)` when the call was its only reader. */
  edits: OffsetEdit[];
}

/**
 * The tuple a tensor-valued sequence argument (`value`, passed in the call `at`) holds, when it
 * is built from scalars by concat / expand_dims / reshape / stack / constant (directly or through
 * a name assigned once before in the same function), and every name it reads still has the same
 * value at `at`. Null for anything else (a tensor computed from data: no tuple can stand for it).
 */
export function staticSequence(value: SyntaxNode, at: SyntaxNode, ctx: RuleContext): StaticSequence | null {
  const built = value.type === 'identifier' ? lastAssignedValue(ctx.textOf(value), at, ctx) : value;
  if (!built || built.type !== 'call') {
    return null;
  }
  let text: string;
  const nested = literalOfConstant(built, ctx);
  if (nested) {
    // `tf.constant([[0, 0], [1, 0]])`: the nested list of numbers itself.
    text = ctx.textOf(nested);
  } else {
    const pieces = piecesOf(built, ctx, 0);
    if (!pieces || pieces.length === 0) {
      return null;
    }
    // A name the pieces read must not be reassigned between where the sequence is built and `at`.
    for (const name of pieces.flatMap(p => namesIn(p))) {
      if (lastAssignedValue(ctx.textOf(name), at, ctx) !== lastAssignedValue(ctx.textOf(name), built, ctx)) {
        return null;
      }
    }
    text = tupleOf(pieces, ctx);
  }
  const edits: OffsetEdit[] = [];
  if (value.type === 'identifier') {
    // `mult = tf.concat(...)` read nowhere but here: the tuple replaces it, the assignment goes.
    const assignment = built.parent;
    const statement = assignment?.parent;
    const scope = at.parent ? enclosingScope(at) : null;
    if (
      assignment?.type === 'assignment' &&
      statement?.type === 'expression_statement' &&
      statement.parent &&
      statement.parent.children.length > 1 &&
      scope &&
      countName(scope, ctx.textOf(value), ctx) === 2
    ) {
      const removal = removeStatementLines(statement, ctx);
      if (removal) {
        edits.push(removal);
      }
    }
  }
  return { text, edits };
}

/** The function a node is in (at a notebook's top level other cells may read the name: nothing is removed). */
function enclosingScope(node: SyntaxNode): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition') {
      return p;
    }
  }
  return null;
}
