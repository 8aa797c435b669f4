/**
 * What it does: flags an RNN cell's `state_size` given as a `tf.TensorShape` (`self.state_size =
 * tf.TensorShape([chunk_size, dims])`, also inside a list, or returned by a `state_size` property).
 * A one-dimensional shape becomes its size (`tf.TensorShape([units])` -> `units`).
 * Why: Keras 2's `keras.layers.RNN` took a TensorShape, even of several dimensions (keras.io's
 * Temporal Latent Bottleneck keeps a (chunk_size, dims) state). Keras 3's RNN takes an integer or
 * a list/tuple of integers only: "state_size must be an integer, or a list/tuple of integers" on
 * every backend when the RNN is created. A state of several dimensions has to be kept flattened
 * (`state_size = chunk_size * dims`) and reshaped in the cell's `call()`.
 * Fix: one dimension: its size (safe). Several, set in `__init__` with `output_size` beside it
 * (a suggestion): the cell keeps `self.state_shape` (and `self.output_shape` when the output has
 * several dimensions too) and the product as the size; `call(inputs, states)` reshapes its states
 * at entry and flattens what it returns; where the RNN wrapping the cell is called
 * (`x = self.rnn(x)` in the class that made it, or `x = layers.RNN(cell, ...)(x)`) its flattened
 * output is reshaped back; a cell whose `call()` keeps values on itself (`self.scores.append(...)`)
 * gets `unroll=True` on its RNN: JAX's scan traces `call()` and would leave tracers there (TensorFlow
 * runs the loop eagerly in an eager call, PyTorch always does). No fix when a part has another form
 * (return_state, an initial state, the RNN output used otherwise, states returned as a variable).
 * Example: `self.state_size = tf.TensorShape([units])`
 * Use instead: `self.state_size = units`
 */
import { child, itemsOf, returnStatements, rootOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { appendArgument, callParts, lastAssignedValue, parameterNames, withKerasImport } from '../rule-helpers';
import { enclosingClass, nodesOfType, selfAttribute } from '../helpers/layer-calls';
import { indentOf } from '../helpers/init-attribute';
import { classMethodDefinitions } from '../helpers/model-code';

/** Where a value goes up to through list / tuple displays: the assignment or return holding it. */
function holder(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode = node;
  while (n.parent && (n.parent.type === 'list' || n.parent.type === 'tuple' || n.parent.type === 'parenthesized_expression')) {
    n = n.parent;
  }
  return n.parent;
}

/** Whether `stmt` sets a cell's state size: `self.state_size = ...`, or `return ...` in a `state_size` def. */
function setsStateSize(stmt: SyntaxNode | null, ctx: RuleContext): boolean {
  if (stmt?.type === 'assignment') {
    const left = child(stmt, 'left');
    return !!left && left.type === 'attribute' && /^self\s*\.\s*state_size$/.test(ctx.textOf(left));
  }
  if (stmt?.type === 'return_statement') {
    let def: SyntaxNode | null = stmt.parent;
    while (def && def.type !== 'function_definition' && def.type !== 'lambda' && def.type !== 'class_definition') {
      def = def.parent;
    }
    const name = def?.type === 'function_definition' ? child(def, 'name') : null;
    return !!name && ctx.textOf(name) === 'state_size';
  }
  return false;
}

/** The items of `tf.TensorShape([a, b, ...])` (one list or tuple argument, no splats), else null. */
function shapeItems(node: SyntaxNode | null, ctx: RuleContext): SyntaxNode[] | null {
  const parts = node?.type === 'call' ? callParts(node, ctx) : null;
  if (!parts || ctx.resolve(parts.fn) !== 'tensorflow.TensorShape' || parts.splat || parts.positional.length + parts.keywords.size !== 1) {
    return null;
  }
  const dims = parts.positional[0] ?? parts.keywords.get('dims')?.value;
  const items = dims && (dims.type === 'list' || dims.type === 'tuple') ? itemsOf(dims) : null;
  return items && items.every(i => i.type !== 'list_splat' && i.type !== 'none') ? items : null;
}

/** `a * b` of the shape's items, each parenthesized unless it is a name, attribute, subscript or number. */
function product(items: SyntaxNode[], ctx: RuleContext): string {
  const simple = /^[\w.]+(?:\[[^\]]*\])*$/;
  return items.map(i => (simple.test(ctx.textOf(i)) ? ctx.textOf(i) : '(' + ctx.textOf(i) + ')')).join(' * ');
}

/** `self.ATTR = value` statements of a class (anywhere in its methods). */
function selfAssignments(cls: SyntaxNode, attr: string, ctx: RuleContext): SyntaxNode[] {
  return [...nodesOfType(cls, 'assignment')].filter(a => {
    const left = child(a, 'left');
    return !!left && selfAttribute(left, ctx) === attr;
  });
}

/** The statement line holding `stmt` starts at its indentation: `\n` + indent + text inserts a sibling after it. */
function after(stmt: SyntaxNode, text: string, ctx: RuleContext): OffsetEdit {
  return { start: stmt.end, end: stmt.end, text: `\n${indentOf(stmt, ctx)}${text}` };
}

/** Whether a cell's `call()` keeps values on the layer (`self.x = ...`, `self.xs.append(...)`): under JAX's scan they are tracers. */
function keepsValues(call: SyntaxNode, ctx: RuleContext): boolean {
  for (const a of nodesOfType(call, 'assignment')) {
    const left = child(a, 'left');
    if (left && selfAttribute(left, ctx)) {
      return true;
    }
  }
  return /\bself\s*\.\s*\w+\s*\.\s*(?:append|extend|insert)\s*\(/.test(ctx.textOf(call));
}

/**
 * The suggestion for a cell keeping a state of several dimensions (`self.state_size =
 * tf.TensorShape([chunk, dims])` in `__init__`): the cell keeps `self.state_shape` and sets
 * `state_size` to the product; `call()` reshapes its states at entry and flattens the states (and
 * the output, when `output_size` is such a shape too) it returns; where the RNN wrapping the
 * cell is called (`x = self.rnn(x)` in the model that created it, or `x = layers.RNN(cell)(x)`),
 * its flattened output is reshaped back; a cell whose `call()` keeps values on the layer gets
 * `unroll=True` on its RNN (JAX's scan would leave tracers there). Null when any part is not of
 * these forms.
 */
function flattenedStateFix(node: SyntaxNode, stateItems: SyntaxNode[], ctx: RuleContext): RawFix | null {
  const stmt = node.parent;
  const stmtLine = stmt?.parent;
  const init = stmtLine?.parent?.parent;
  const cls = stmt ? enclosingClass(stmt) : null;
  if (!stmt || stmt.type !== 'assignment' || stmtLine?.type !== 'expression_statement' || !cls || init?.type !== 'function_definition' || init !== classMethodDefinitions(cls, ctx).get('__init__')) {
    return null;
  }
  const body = ctx.textOf(cls);
  if (/\bself\s*\.\s*(?:state_shape|output_shape)\b/.test(body) || selfAssignments(cls, 'state_size', ctx).length !== 1) {
    return null;
  }
  const outputs = selfAssignments(cls, 'output_size', ctx);
  if (outputs.length !== 1 || outputs[0].parent?.type !== 'expression_statement' || outputs[0].parent.parent !== stmtLine.parent) {
    return null;
  }
  const outputValue = child(outputs[0], 'right');
  const outputItems = shapeItems(outputValue, ctx);
  if (!outputItems && outputValue?.type === 'call' && callParts(outputValue, ctx) && ctx.resolve(child(outputValue, 'function')!) === 'tensorflow.TensorShape') {
    return null;
  }
  const flatOutput = !!outputItems && outputItems.length > 1;
  const call = classMethodDefinitions(cls, ctx).get('call') ?? null;
  const params = call ? parameterNames(call, ctx) : null;
  const callBody = call ? child(call, 'body') : null;
  const first = callBody?.children.find(s => !(s.type === 'expression_statement' && s.children[0]?.type === 'string') && s.type !== 'comment');
  if (!call || !params || params.length < 3 || !first) {
    return null;
  }
  const states = params[2];
  const edits: OffsetEdit[] = [];
  const indent = indentOf(stmtLine, ctx);
  edits.push({
    start: stmtLine.start,
    end: stmtLine.end,
    text: `self.state_shape = (${stateItems.map(i => ctx.textOf(i)).join(', ')})\n${indent}self.state_size = ${product(stateItems, ctx)}`
  });
  if (outputItems) {
    const line = outputs[0].parent!;
    edits.push({
      start: line.start,
      end: line.end,
      text: flatOutput
        ? `self.output_shape = (${outputItems.map(i => ctx.textOf(i)).join(', ')})\n${indent}self.output_size = ${product(outputItems, ctx)}`
        : `self.output_size = ${ctx.textOf(outputItems[0])}`
    });
  }
  edits.push({ start: first.start, end: first.start, text: `${states} = [keras.ops.reshape(${states}[0], (-1, *self.state_shape))]\n${indentOf(first, ctx)}` });
  const returns = returnStatements(call);
  if (returns.length === 0) {
    return null;
  }
  for (const r of returns) {
    const value = r.children[0];
    // `return out, [state]` or `return (out, [state])`
    const [out, st] = (value?.type === 'expression_list' || value?.type === 'tuple') && itemsOf(value).length === 2 ? itemsOf(value) : [];
    const stateItemsReturned = st && (st.type === 'list' || st.type === 'tuple') ? itemsOf(st) : null;
    if (!out || !stateItemsReturned || stateItemsReturned.length !== 1 || stateItemsReturned[0].type === 'list_splat') {
      return null;
    }
    if (flatOutput) {
      edits.push({ start: out.start, end: out.end, text: `keras.ops.reshape(${ctx.textOf(out)}, (-1, self.output_size))` });
    }
    const s = stateItemsReturned[0];
    edits.push({ start: s.start, end: s.end, text: `keras.ops.reshape(${ctx.textOf(s)}, (-1, self.state_size))` });
  }
  const unroll = keepsValues(call, ctx);
  const sites = rnnSites(cls, ctx);
  if (!sites || ((flatOutput || unroll) && sites.length === 0)) {
    return null;
  }
  for (const site of sites) {
    const siteEdits = rnnSiteEdits(site, flatOutput, unroll, ctx);
    if (!siteEdits) {
      return null;
    }
    edits.push(...siteEdits);
  }
  const shape = `(${stateItems.map(i => ctx.textOf(i)).join(', ')})`;
  return { title: `Keep the ${shape} state flattened and reshape it in \`call()\``, safe: false, edits: withKerasImport(ctx, edits) };
}

/** The `keras.layers.RNN(cell, ...)` calls of the cell's module whose cell is an instance of `cls`. */
function rnnSites(cls: SyntaxNode, ctx: RuleContext): SyntaxNode[] | null {
  const root = rootOf(cls);
  const name = ctx.textOf(child(cls, 'name') ?? cls);
  const cellClasses = [...nodesOfType(root, 'class_definition')].filter(c => selfAssignments(c, 'state_size', ctx).length > 0);
  const sites: SyntaxNode[] = [];
  for (const c of nodesOfType(root, 'call')) {
    const parts = callParts(c, ctx);
    if (!parts || ctx.resolveKeras(parts.fn) !== 'keras.layers.RNN') {
      continue;
    }
    const cell = parts.positional[0] ?? parts.keywords.get('cell')?.value;
    if (!cell || parts.splat) {
      return null;
    }
    const isCls = (v: SyntaxNode | null) => v?.type === 'call' && ctx.textOf(child(v, 'function') ?? v) === name;
    if (isCls(cell)) {
      sites.push(c);
    } else if (cell.type === 'identifier') {
      const value = lastAssignedValue(ctx.textOf(cell), c, ctx);
      if (isCls(value) || (!value && cellClasses.length === 1)) {
        // A cell given by name: made from the class here, or (a parameter) the module's only RNN cell class.
        sites.push(c);
      }
    }
  }
  return sites;
}

/** Whether the RNN is called with an initial state (`rnn(x, initial_state=...)`, or a second argument), which would keep its own shape. */
function givenInitialState(rnn: SyntaxNode, ctx: RuleContext): boolean {
  const calls: SyntaxNode[] = [];
  if (rnn.parent?.type === 'call' && child(rnn.parent, 'function') === rnn) {
    calls.push(rnn.parent);
  }
  const left = rnn.parent?.type === 'assignment' && child(rnn.parent, 'right') === rnn ? child(rnn.parent, 'left') : null;
  const attr = left ? selfAttribute(left, ctx) : null;
  const cls = attr ? enclosingClass(rnn) : null;
  for (const use of cls ? nodesOfType(cls, 'attribute') : []) {
    if (use !== left && selfAttribute(use, ctx) === attr && use.parent?.type === 'call' && child(use.parent, 'function') === use) {
      calls.push(use.parent);
    }
  }
  return calls.some(c => {
    const parts = callParts(c, ctx);
    return !parts || parts.splat || parts.positional.length > 1 || parts.keywords.has('initial_state');
  });
}

/** The edits at one RNN: `unroll=True`, and the output reshaped back where the RNN is called. */
function rnnSiteEdits(rnn: SyntaxNode, flatOutput: boolean, unroll: boolean, ctx: RuleContext): OffsetEdit[] | null {
  const parts = callParts(rnn, ctx)!;
  const returnState = parts.keywords.get('return_state')?.value;
  const sequences = parts.keywords.get('return_sequences')?.value;
  if ((returnState && ctx.textOf(returnState) !== 'False') || parts.positional.length > 1 || givenInitialState(rnn, ctx)) {
    return null;
  }
  if (sequences && !['True', 'False'].includes(ctx.textOf(sequences))) {
    return null;
  }
  const edits: OffsetEdit[] = [];
  if (unroll) {
    const given = parts.keywords.get('unroll')?.value;
    if (given && ctx.textOf(given) !== 'True') {
      return null;
    }
    if (!given && parts.args) {
      edits.push(appendArgument(parts.args, 'unroll=True', ctx));
    }
  }
  if (!flatOutput) {
    return edits;
  }
  const seq = sequences && ctx.textOf(sequences) === 'True';
  const reshape = (name: string, cellRef: string) =>
    `${name} = keras.ops.reshape(${name}, (-1, ${seq ? `keras.ops.shape(${name})[1], ` : ''}*${cellRef}.output_shape))`;
  const holder = rnn.parent;
  const cellArg = parts.positional[0] ?? parts.keywords.get('cell')?.value;
  // `x = layers.RNN(cell, ...)(x)`
  if (holder?.type === 'call' && child(holder, 'function') === rnn) {
    const assign = holder.parent;
    const target = assign?.type === 'assignment' ? child(assign, 'left') : null;
    if (!target || target.type !== 'identifier' || assign?.parent?.type !== 'expression_statement' || cellArg?.type !== 'identifier') {
      return null;
    }
    return [...edits, after(assign.parent, reshape(ctx.textOf(target), ctx.textOf(cellArg)), ctx)];
  }
  // `self.rnn = layers.RNN(cell, ...)`, then `x = self.rnn(x)` in the class's methods
  const left = holder?.type === 'assignment' && child(holder, 'right') === rnn ? child(holder, 'left') : null;
  const attr = left ? selfAttribute(left, ctx) : null;
  const cls = enclosingClass(rnn);
  if (!attr || !cls) {
    return null;
  }
  let calls = 0;
  for (const use of nodesOfType(cls, 'attribute')) {
    if (use === left || selfAttribute(use, ctx) !== attr) {
      continue;
    }
    const called = use.parent?.type === 'call' && child(use.parent, 'function') === use ? use.parent : null;
    const assign = called?.parent?.type === 'assignment' && child(called.parent, 'right') === called ? called.parent : null;
    const target = assign ? child(assign, 'left') : null;
    if (!assign || !target || target.type !== 'identifier' || assign.parent?.type !== 'expression_statement') {
      return null;
    }
    edits.push(after(assign.parent, reshape(ctx.textOf(target), `self.${attr}.cell`), ctx));
    calls++;
  }
  return calls > 0 ? edits : null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || ctx.resolve(parts.fn) !== 'tensorflow.TensorShape' || !setsStateSize(holder(node), ctx)) {
    return;
  }
  const dims = parts.positional[0] ?? parts.keywords.get('dims')?.value;
  const items = dims && (dims.type === 'list' || dims.type === 'tuple') && !parts.splat && parts.positional.length + parts.keywords.size === 1 ? itemsOf(dims) : null;
  const single = items && items.length === 1 && items[0].type !== 'list_splat' ? items[0] : null;
  const shape = ctx.textOf(node);
  const multi = !single && items && items.length > 1 ? flattenedStateFix(node, items, ctx) : null;
  ctx.report(
    node,
    `An RNN cell's \`state_size\` is \`${shape}\`: Keras 3's \`keras.layers.RNN\` takes an integer or a list/tuple of integers only and raises "state_size must be an integer, or a list/tuple of integers" on every backend (Keras 2 took a TensorShape). ` +
      (single
        ? `Write \`${ctx.textOf(single)}\`.`
        : 'Keep a state of several dimensions flattened (its size the product of the dimensions) and reshape it in the cell\'s `call()`, as its output.'),
    single ? { title: `Use \`${ctx.textOf(single)}\``, safe: true, edits: [{ start: node.start, end: node.end, text: ctx.textOf(single) }] } : multi
  );
}

export const rnnCellStateSizeShape: RuleDefinition = {
  code: 'KM255',
  name: 'rnn-cell-state-size-shape',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1 on TensorFlow, JAX and PyTorch: `keras.layers.RNN(cell)` for a
   * cell whose state_size is tf.TensorShape([4]), tf.TensorShape([2, 2]) or [tf.TensorShape([4])]
   * fails on each ("state_size must be an integer, ...", or converting the shape inside a list);
   * state_size = 4 runs; tf_keras 2.21 runs keras.io's Temporal Latent Bottleneck cell. The
   * several-dimension suggestion's output runs on all three: examples/runnable/temporal_latent_bottleneck.py
   * (subclassed model, scores kept on the cell: without unroll=True JAX fails converting them,
   * TracerArrayConversionError), a functional `RNN(cell, return_sequences=True)(x)` and a cell with an
   * integer output_size in a Sequential (checked with Keras 3.15.1).
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `tf.TensorShape(...)` given as an RNN cell\'s `state_size` (`self.state_size = tf.TensorShape([...])`, also inside a list, or returned by a `state_size` property). The fix writes a one-dimensional shape as its size (safe). For a shape of several dimensions set in `__init__` (with `output_size` beside it) it suggests keeping the state flattened: `self.state_shape` keeps the shape and `state_size` becomes the product (the same for `output_size`), `call(inputs, states)` reshapes the states at entry and flattens the states and output it returns, the RNN\'s flattened output is reshaped back after `x = self.rnn(x)` (in the class that made the RNN) or `x = layers.RNN(cell, ...)(x)`, and a cell whose `call()` keeps values on itself gets `unroll=True` on its RNN. No fix when the RNN returns its state, is given an initial state, or its output is used in another form.',
    why:
      'Keras 2\'s `keras.layers.RNN` accepted a TensorShape state size, even of several dimensions (keras.io\'s Temporal Latent Bottleneck keeps a (chunk_size, dims) state in a custom cell). Keras 3\'s RNN takes an integer or a list/tuple of integers and raises "state_size must be an integer, or a list/tuple of integers (one for each state tensor)" on every backend when it is created. `tf.TensorShape([units])` is a state of `units` values in both, so that fix is safe; a state of several dimensions must be kept flattened (`chunk_size * dims`) and reshaped in the cell\'s `call()`. That rewrite is a suggestion: the RNN\'s output and states are flattened tensors between the cell\'s steps, and `unroll=True` (needed on JAX when `call()` keeps tensors on the cell, which JAX\'s scan would leave as tracers) runs the steps as a Python loop. Not covered by the migration guide.',
    example:
      'import keras\nimport tensorflow as tf\nclass Cell(keras.layers.Layer):\n    def __init__(self, units, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n        self.state_size = tf.TensorShape([units])',
    useInstead:
      'import keras\nimport tensorflow as tf\nclass Cell(keras.layers.Layer):\n    def __init__(self, units, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n        self.state_size = units'
  },
  calls: { resolved: ['tensorflow.TensorShape'] },
  requires: ['TensorShape'],
  visitors: { call: visit }
};
