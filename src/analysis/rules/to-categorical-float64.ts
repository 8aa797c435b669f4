import { child, globalNamesOf, itemsOf, SyntaxNode } from '../ast';
import type { RawFix, RuleContext, RuleDefinition } from '../rule';
import { bindingScope, bindsModuleName, callParts, KERAS_CALLEES, tfApiName } from '../rule-helpers';
import { mappedBodies, mappedFunction } from '../helpers/tf-data';
import { classMethodDefinitions } from '../helpers/model-code';
import { nodesUnder } from '../helpers/multi-optimizer-step';

const TO_CATEGORICAL = new Set(['keras.utils.to_categorical', 'keras.utils.np_utils.to_categorical']);
const DATASET_SOURCES = /^tensorflow\.data\.Dataset\.(from_tensor_slices|from_tensors)$/;

/** The fact a cell notes for `NAME = to_categorical(...)` (no dtype) at its top level: later cells may use NAME in TF ops. */
const fact = (name: string): string => `to-categorical:${name}`;

const CAST = '.astype("float32")';

/** Up through parentheses, and through a tuple or list when `through` allows: the node that holds `node` as a value. */
function holder(node: SyntaxNode): { container: SyntaxNode | null; outer: SyntaxNode } {
  let n = node;
  while (n.parent && n.parent.type === 'parenthesized_expression') {
    n = n.parent;
  }
  if (n.parent && (n.parent.type === 'tuple' || n.parent.type === 'list')) {
    const container = n.parent;
    let outer = container;
    while (outer.parent && outer.parent.type === 'parenthesized_expression') {
      outer = outer.parent;
    }
    return { container, outer };
  }
  return { container: null, outer: n };
}

function values(container: SyntaxNode): SyntaxNode[] {
  return itemsOf(container);
}

/**
 * The TF op in which the value at `node` meets other tensors: a `tf.*` call (not tf.data) with
 * another positional argument (`tf.matmul(y, w)`), or taking it in a list with others
 * (`tf.concat([x, y], 1)`); its name, or null.
 */
function mixingOp(node: SyntaxNode, ctx: RuleContext): string | null {
  const { container, outer } = holder(node);
  const args = outer.parent;
  const call = args && args.type === 'argument_list' ? args.parent : null;
  const fn = call && call.type === 'call' ? child(call, 'function') : null;
  const name = fn ? tfApiName(ctx.resolve(fn)) : null;
  if (!call || !name || name.startsWith('tf.data.')) {
    return null;
  }
  const positional = callParts(call, ctx)?.positional ?? [];
  const others = container ? values(container).length - 1 : positional.length - 1;
  return others > 0 ? name : null;
}

/** The `tf.data.Dataset.from_tensor_slices(...)` call the value at `node` is given to, and its element index there; or null. */
function datasetElement(node: SyntaxNode, ctx: RuleContext): { source: SyntaxNode; index: number } | null {
  const { container, outer } = holder(node);
  const args = outer.parent;
  const source = args && args.type === 'argument_list' ? args.parent : null;
  const fn = source && source.type === 'call' ? child(source, 'function') : null;
  if (!source || !fn || !DATASET_SOURCES.test(ctx.resolve(fn) ?? '')) {
    return null;
  }
  return { source, index: container ? values(container).findIndex(v => v.start <= node.start && node.end <= v.end) : 0 };
}

/**
 * The chain a dataset source heads (`from_tensor_slices(...).shuffle(64).batch(8)`, also wrapped over
 * several lines in parentheses) and the name it is assigned to, or null.
 */
function datasetAssignment(source: SyntaxNode): { top: SyntaxNode; target: SyntaxNode } | null {
  let top: SyntaxNode = source;
  while (
    top.parent &&
    (top.parent.type === 'attribute' || top.parent.type === 'parenthesized_expression' || (top.parent.type === 'call' && top.field !== 'arguments'))
  ) {
    top = top.parent;
  }
  const target = top.parent?.type === 'assignment' && top.field === 'right' ? child(top.parent, 'left') : null;
  return target && target.type === 'identifier' ? { top, target } : null;
}

/**
 * Whether the value at `node`, given to `tf.data.Dataset.from_tensor_slices((x, y))` as the
 * i-th element, reaches a mapped function (on the constructor's own chain) that computes with its
 * i-th parameter: arithmetic or a mixing TF op with it. The float64 labels meet float32 there.
 */
function mappedWithArithmetic(node: SyntaxNode, ctx: RuleContext): string | null {
  const element = datasetElement(node, ctx);
  if (!element) {
    return null;
  }
  const { source, index } = element;
  // Up the method chain: `from_tensor_slices(...).batch(8).map(f)`.
  for (let n: SyntaxNode = source; n.parent && n.parent.type === 'attribute' && n.parent.parent?.type === 'call'; n = n.parent.parent) {
    const mapped = mappedFunction(n.parent.parent, ctx);
    const params = mapped ? child(mapped, 'parameters') : null;
    const param = params ? values(params)[index] : null;
    if (!param || param.type !== 'identifier') {
      continue;
    }
    const pname = ctx.textOf(param);
    const stack = [child(mapped!, 'body')!];
    while (stack.length) {
      const n2 = stack.pop()!;
      if (n2.type === 'identifier' && ctx.textOf(n2) === pname && n2.parent) {
        if (n2.parent.type === 'binary_operator') {
          return 'arithmetic in the mapped function';
        }
        const op = mixingOp(n2, ctx);
        if (op) {
          return `\`${op}\` in the mapped function`;
        }
      }
      stack.push(...n2.children);
    }
  }
  // Assigned to a name that is zipped and mapped later in the cell (`Dataset.zip((one, two)).map(mix_up)`):
  // the element structure is no longer followed; any arithmetic on the mapped elements counts.
  const assigned = datasetAssignment(source);
  if (!assigned) {
    return null;
  }
  const { top, target } = assigned;
  let root = top;
  while (root.parent) {
    root = root.parent;
  }
  const name = ctx.textOf(target);
  const calls: SyntaxNode[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call' && n.start > top.end) {
      calls.push(n);
    }
    stack.push(...n.children);
  }
  for (const zip of calls) {
    const zfn = child(zip, 'function');
    if (!zfn || ctx.resolve(zfn) !== 'tensorflow.data.Dataset.zip' || !new RegExp(`\\b${name}\\b`).test(ctx.textOf(zip))) {
      continue;
    }
    for (let n: SyntaxNode = zip; n.parent && n.parent.type === 'attribute' && n.parent.parent?.type === 'call'; n = n.parent.parent) {
      if (mappedBodies(n.parent.parent, ctx).some(body => computesWithParameters(body, ctx))) {
        return 'arithmetic in the function mapped over the zipped dataset';
      }
    }
    // The zipped dataset assigned to a name and mapped by a later chain on it
    // (`train_ds = Dataset.zip((one, two))`, then `train_ds.shuffle(1024).map(cutmix)`: keras.io CutMix).
    const zipped = datasetAssignment(zip);
    const zname = zipped ? ctx.textOf(zipped.target) : null;
    for (const later of zname ? calls : []) {
      if (later.start > zipped!.top.end && chainRootName(later, ctx) === zname && mappedBodies(later, ctx).some(body => computesWithParameters(body, ctx))) {
        return 'arithmetic in the function mapped over the zipped dataset';
      }
    }
  }
  return null;
}

/** The name a method chain starts from (`ds` in `ds.shuffle(64).map(f)`), or null. */
function chainRootName(expr: SyntaxNode, ctx: RuleContext): string | null {
  let e: SyntaxNode | null = expr;
  while (e && (e.type === 'call' || e.type === 'attribute')) {
    e = e.type === 'call' ? child(e, 'function') : child(e, 'object');
  }
  return e && e.type === 'identifier' ? ctx.textOf(e) : null;
}

/** Whether a function computes (arithmetic) with its parameters or names unpacked from them. */
function computesWithParameters(fn: SyntaxNode, ctx: RuleContext): boolean {
  const params = child(fn, 'parameters');
  const derived = new Set((params ? values(params) : []).filter(p => p.type === 'identifier').map(p => ctx.textOf(p)));
  const body = child(fn, 'body');
  for (const n of body ? nodesUnder(body, () => true) : []) {
    if (n.type === 'assignment') {
      const right = child(n, 'right');
      const left = child(n, 'left');
      if (right && left && [...derived].some(d => new RegExp(`\\b${d}\\b`).test(ctx.textOf(right)))) {
        for (const id of (ctx.textOf(left).match(/\w+/g) ?? [])) {
          derived.add(id);
        }
      }
    } else if (n.type === 'binary_operator') {
      if (n.children.some(c => c.type === 'identifier' && derived.has(ctx.textOf(c)))) {
        return true;
      }
    }
  }
  return false;
}

/**
 * Whether the value at `node`, the i-th element given to `tf.data.Dataset.from_tensor_slices`, reaches
 * through `fit(dataset)` the `train_step` of a model class the cell defines, which unpacks `data` and
 * gives the i-th name to a mixing TF op (keras.io conditional GAN: `tf.concat([noise, one_hot_labels], 1)`).
 * On TensorFlow fit() hands the dataset's float64 tensors to the step as they are; JAX and PyTorch
 * get arrays Keras converts (and TF ops there are other findings'). Followed within the cell: the
 * dataset's names (`dataset = dataset.shuffle(64).batch(8)`), the model's constructor and its class.
 */
function trainStepMixing(node: SyntaxNode, ctx: RuleContext): string | null {
  const element = datasetElement(node, ctx);
  const assigned = element ? datasetAssignment(element.source) : null;
  if (!element || !assigned) {
    return null;
  }
  const { index } = element;
  const { top, target } = assigned;
  let root = top;
  while (root.parent) {
    root = root.parent;
  }
  // The names that hold the dataset, in order: `dataset = dataset.batch(8)`, `train_ds = dataset.prefetch(2)`.
  const names = new Set([ctx.textOf(target)]);
  const nodes: SyntaxNode[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'class_definition' || n.type === 'function_definition') {
      nodes.push(n);
      // A function declaring module names `global` (`def step_2(): global model; model = ...; model.fit(ds)`) works on the module's names.
      if (n.type !== 'function_definition' || globalNamesOf(n, ctx.text).size === 0) {
        continue;
      }
    }
    if ((n.type === 'assignment' || n.type === 'call') && n.start >= top.end) {
      nodes.push(n);
    }
    stack.push(...n.children);
  }
  nodes.sort((a, b) => a.start - b.start);
  const constructors = new Map<string, string>();
  const classes = new Map<string, SyntaxNode>();
  for (const n of nodes) {
    if (n.type === 'class_definition') {
      const name = child(n, 'name');
      if (name) {
        classes.set(ctx.textOf(name), n);
      }
    } else if (n.type === 'assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      if (left?.type === 'identifier' && right) {
        const from = chainRootName(right, ctx);
        if (from && names.has(from) && right.type === 'call' && child(right, 'function')?.type === 'attribute') {
          names.add(ctx.textOf(left));
        } else if (right.type === 'call' && child(right, 'function')?.type === 'identifier') {
          constructors.set(ctx.textOf(left), ctx.textOf(child(right, 'function')!));
        }
      }
    }
  }
  for (const n of nodes) {
    const callee = n.type === 'call' ? child(n, 'function') : null;
    if (!callee || callee.type !== 'attribute' || ctx.textOf(child(callee, 'attribute') ?? callee) !== 'fit') {
      continue;
    }
    const first = callParts(n, ctx)?.positional[0];
    const model = child(callee, 'object');
    if (!first || !model || model.type !== 'identifier' || !names.has(chainRootName(first, ctx) ?? '')) {
      continue;
    }
    const cls = classes.get(constructors.get(ctx.textOf(model)) ?? '');
    const step = cls ? classMethodDefinitions(cls, ctx).get('train_step') : undefined;
    const where = step ? stepMixesElement(step, index, ctx) : null;
    if (where) {
      return `\`${where}\` in \`${ctx.textOf(child(cls!, 'name')!)}.train_step\` (through \`fit()\`, which hands TensorFlow the dataset's float64 tensors as they are)`;
    }
  }
  return null;
}

const SHAPING_OPS = /^tf\.(reshape|repeat|tile|expand_dims|squeeze|transpose|cast|gather(_nd)?|slice|strided_slice|one_hot|argmax|argmin|split|pad|roll|broadcast_to|(math\.)?reduce_\w+|image\.\w+)$/;

/** The mixing TF op a train_step gives the i-th name unpacked from its `data` parameter (`images, labels = data`), directly or through names assigned from it. */
function stepMixesElement(step: SyntaxNode, index: number, ctx: RuleContext): string | null {
  const params = child(step, 'parameters');
  const data = params ? values(params).filter(p => p.type === 'identifier')[1] : undefined;
  if (!data) {
    return null;
  }
  const dataName = ctx.textOf(data);
  const derived = new Set<string>();
  for (const n of nodesUnder(child(step, 'body')!, () => true)) {
    if (n.type === 'assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      if (!left || !right) {
        continue;
      }
      if (right.type === 'identifier' && ctx.textOf(right) === dataName && (left.type === 'pattern_list' || left.type === 'tuple_pattern')) {
        const item = values(left).filter(c => c.type !== ',' && c.type !== '(' && c.type !== ')')[index];
        if (item?.type === 'identifier') {
          derived.add(ctx.textOf(item));
        }
      } else if (left.type === 'identifier' && [...derived].some(d => new RegExp(`\\b${d}\\b`).test(ctx.textOf(right)))) {
        derived.add(ctx.textOf(left));
      }
    } else if (n.type === 'identifier' && derived.has(ctx.textOf(n))) {
      // Ops whose other arguments are shapes or indices (`tf.reshape(labels, (-1, 4))`) follow the
      // value (a name assigned from them is derived) but do not mix dtypes.
      const op = mixingOp(n, ctx);
      if (op && !SHAPING_OPS.test(op)) {
        return op;
      }
    }
  }
  return null;
}

/** Where the value at `node` (the call, or a name holding its result) meets float32 tensors, or null; `tensorflowOnly` when only TensorFlow gets it as float64. */
function meeting(node: SyntaxNode, ctx: RuleContext): { where: string; tensorflowOnly?: boolean } | null {
  const op = mixingOp(node, ctx);
  const mapped = op ? `\`${op}\`` : mappedWithArithmetic(node, ctx);
  if (mapped) {
    return { where: mapped };
  }
  const step = trainStepMixing(node, ctx);
  return step ? { where: step, tensorflowOnly: true } : null;
}

function message(where: string, tensorflowOnly = false): string {
  const backends = tensorflowOnly ? 'on TensorFlow' : 'on every backend';
  return `Keras 3 \`to_categorical()\` returns a float64 NumPy array (Keras 2's was float32); it meets float32 tensors in ${where}, where TensorFlow raises a float64/float32 mismatch ("expected to be a double tensor but is a float tensor", "has type float32 that does not match type float64") ${backends}. Cast it with \`${CAST}\`, which gives exactly the array Keras 2 returned.`;
}

/** The uses of `name` in the cell after `after` (the same scope's text), as identifier nodes. */
function usesAfter(root: SyntaxNode, name: string, after: number, ctx: RuleContext): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.end <= after) {
      continue;
    }
    if (n.type === 'identifier' && n.start >= after && ctx.textOf(n) === name) {
      out.push(n);
    }
    stack.push(...n.children);
  }
  return out.sort((a, b) => a.start - b.start);
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const kerasName = ctx.resolveKeras(parts.fn);
  if (kerasName && TO_CATEGORICAL.has(kerasName)) {
    visitToCategorical(node, ctx);
    return;
  }
  // A TF op of a later cell on a name an earlier cell assigned `to_categorical(...)`.
  if (!tfApiName(ctx.resolve(parts.fn))) {
    return;
  }
  for (const arg of parts.positional) {
    const candidates = arg.type === 'list' || arg.type === 'tuple' ? values(arg) : [arg];
    for (const value of candidates) {
      if (value.type !== 'identifier' || ctx.resolve(value) || assignedInCell(value, ctx)) {
        continue;
      }
      const where = meeting(value, ctx)?.where;
      if (where) {
        const name = ctx.textOf(value);
        ctx.report(
          value,
          message(where),
          { title: `Cast to float32: \`${name}${CAST}\``, safe: true, edits: [{ start: value.end, end: value.end, text: CAST }] },
          undefined,
          'earlier:' + fact(name)
        );
      }
    }
  }
}

/** Whether the cell assigns the name anywhere (then its own `to_categorical` call is the one reported). */
function assignedInCell(name: SyntaxNode, ctx: RuleContext): boolean {
  return new RegExp(`^[ \\t]*${ctx.textOf(name)}[ \\t]*=(?!=)`, 'm').test(ctx.text);
}

function visitToCategorical(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx)!;
  if (parts.keywords.has('dtype') || parts.positional.length > 2 || parts.splat) {
    return; // KM181's
  }
  const input = parts.positional[0] ?? parts.keywords.get('x')?.value;
  // A tensor argument gives a tensor (no `.astype`): only NumPy-looking input is cast.
  const tensorInput = input && input.type === 'call' && tfApiName(ctx.resolve(child(input, 'function') ?? input));
  const fix: RawFix | null = tensorInput ? null : { title: `Cast to float32: \`${CAST}\``, safe: true, edits: [{ start: node.end, end: node.end, text: CAST }] };
  const report = (found: { where: string; tensorflowOnly?: boolean }): void => {
    if (found.tensorflowOnly) {
      ctx.report(node, message(found.where, true), fix, undefined, undefined, ['tensorflow']);
    } else {
      ctx.report(node, message(found.where), fix);
    }
  };
  const direct = meeting(node, ctx);
  if (direct) {
    report(direct);
    return;
  }
  const assignment = node.parent;
  const target = assignment && assignment.type === 'assignment' && node.field === 'right' ? child(assignment, 'left') : null;
  if (!target || target.type !== 'identifier') {
    return;
  }
  const name = ctx.textOf(target);
  if (bindsModuleName(name, ctx)) {
    ctx.note(fact(name));
  }
  for (const use of usesAfter(bindingScope(name, node, ctx), name, assignment!.end, ctx)) {
    if (use.parent?.type === 'assignment' && use.field === 'left') {
      return; // reassigned: later uses hold something else
    }
    const where = meeting(use, ctx);
    if (where) {
      report(where);
      return;
    }
  }
}

export const toCategoricalFloat64: RuleDefinition = {
  code: 'KM196',
  name: 'to-categorical-float64',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `keras.utils.to_categorical(y, n)` whose result meets other tensors in a TensorFlow op: passed with other tensors to a `tf.*` op (`tf.matmul(y_onehot, w)`, `tf.concat([x, y_onehot], 1)`), directly or through the name it is assigned to (in the cell, or in a later cell), or given to `tf.data.Dataset.from_tensor_slices` whose mapped function computes with it (label smoothing, mixup), or whose dataset `fit()` hands to a `train_step` of the cell that mixes it (a conditional GAN concatenating noise and labels: TensorFlow only, where fit() passes the dataset\'s float64 tensors as they are).',
    why:
      'Keras 2\'s `to_categorical` returned float32 (its `dtype="float32"` default); Keras 3\'s returns a float64 NumPy array for NumPy input. TensorFlow does not promote dtypes: `tf.matmul`, `tf.concat` and arithmetic on tf.data elements then fail with "cannot compute MatMul as input #1(zero-based) was expected to be a double tensor but is a float tensor" or "Input \'y\' of \'AddV2\' Op has type float32 that does not match type float64", on every backend (checked by running Keras 3.15). Fit, Keras losses and NumPy arithmetic cast or promote and still run, so those uses are not flagged. Appending `.astype("float32")` gives exactly the array Keras 2 returned: a safe fix.',
    example: 'import keras\nimport tensorflow as tf\ny_onehot = keras.utils.to_categorical(labels, 3)\nscores = tf.matmul(y_onehot, class_weights)',
    useInstead: 'import keras\nimport tensorflow as tf\ny_onehot = keras.utils.to_categorical(labels, 3).astype("float32")\nscores = tf.matmul(y_onehot, class_weights)'
  },
  calls: { resolved: KERAS_CALLEES },
  // Findings are on a `to_categorical` call, or on a name an earlier cell assigned one (its fact).
  requires: ['to_categorical'],
  visitors: { call: visit }
};
