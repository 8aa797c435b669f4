/**
 * What it does: flags a notebook-level metric function named in `compile(metrics=...)` that
 * combines its labels and predictions element by element (`y_pred - y_true`), in a program with a
 * `Dense(1)` layer (a regression's `(batch, 1)` output).
 * Why: Keras 2's MeanMetricWrapper squeezed a prediction's trailing 1 to the labels' rank before
 * calling a metric function; Keras 3's does not, so rank-1 labels (a NumPy or pandas column)
 * against a `(batch, 1)` output broadcast to `(batch, batch)` and the metric reports a wrong value,
 * silently, on every backend. Keras 3's built-in metrics and its loss wrapper still match the ranks.
 * Example: `def rmse(y_true, y_pred): return K.sqrt(K.mean(K.square(y_pred - y_true)))` then
 * `model.compile(loss="mse", metrics=[rmse])`.
 * Use instead: squeeze the prediction first, as Keras 2 did:
 * `if len(y_pred.shape) == len(y_true.shape) + 1 and y_pred.shape[-1] == 1: y_pred = keras.ops.squeeze(y_pred, -1)`.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { calleeName, callParts, lineStartAt, withKerasImport } from '../rule-helpers';
import { splitTopLevel } from '../helpers/code-text';

/** Noted for each name compile() gets as a metric: `compile-metric-function:NAME`. */
const METRIC_FUNCTION = 'compile-metric-function:';
/** Noted where the program makes a `Dense(1)` layer (a `(batch, 1)` output). */
const DENSE_ONE = 'dense-one-unit';
/** Noted where `fit()` gets labels visibly of rank 1 (a pandas column, `data[:, -1]`, ...). */
const RANK_ONE_TARGETS = 'rank-one-fit-targets';

/** Element-wise binary ops by their last name (`tf.math.squared_difference`, `K.equal`, `ops.subtract`). */
const ELEMENTWISE = /^(subtract|add|multiply|divide|truediv|squared_difference|equal|not_equal|greater|greater_equal|less|less_equal|maximum|minimum|abs_diff)$/;
/** Calls that keep a tensor's rank (`y_true = K.cast(y_true, "float32")`). */
const SAME_RANK = /^(cast|convert_to_tensor|cast_to_floatx|identity|abs|clip|clip_by_value|round|log|log1p|exp|sqrt|square|sigmoid|softmax|stop_gradient|float32|astype)$/;
/** Calls that give a tensor another rank (`K.flatten(y_true)`): the function matches the ranks itself. */
const RESHAPES = /(^|\.)(flatten|reshape|squeeze|expand_dims|ravel|batch_flatten)$/;

/** The identifiers compile() gets as metrics: `metrics=[rmse, "mae"]`, `{"out": [rmse]}`, positional third. */
function metricNames(node: SyntaxNode, ctx: RuleContext, out: string[]): void {
  if (node.type === 'list' || node.type === 'tuple') {
    node.children.forEach(c => metricNames(c, ctx, out));
  } else if (node.type === 'dictionary') {
    node.children.forEach(pair => {
      const value = pair.type === 'pair' ? child(pair, 'value') : null;
      if (value) {
        metricNames(value, ctx, out);
      }
    });
  } else if (node.type === 'identifier') {
    out.push(ctx.textOf(node));
  }
}

/** A pandas column, maybe as an array: `df["price"]`, `df.pop("price")`, `df["price"].values`, `data[:, -1]`. */
const COLUMN = /^[\w.]+(\[\s*("[^"]*"|'[^']*')\s*\]|\.pop\(\s*("[^"]*"|'[^']*')\s*\)|\[\s*:\s*,\s*-?\d+\s*\])(\.values|\.to_numpy\(\)|\.astype\([^()]*\)|\.copy\(\))*$/;
/** A flattened array or a 1-D NumPy draw: `y.ravel()`, `np.random.rand(n)`, `np.random.normal(size=n)`. */
const FLAT = /^([\w.]+\.(ravel|flatten)\(\)|(np|numpy)\.(ravel|arange)\([^()]*\)|(np|numpy)\.random\.(rand|randn)\(\s*[\w.]+\s*\)|(np|numpy)\.random\.(normal|uniform|random)\([^()]*size\s*=\s*(\(\s*[\w.]+\s*,?\s*\)|[\w.]+)\s*\))$/;
/** Arithmetic on one of those with numbers (`df["price"] / 1000.0`, `np.log1p(df["price"])`). */
const ARITHMETIC = /^\(?\s*([\w.[\]"'(): ,-]+?)\s*\)?\s*[-+*/]\s*[\d.]+\s*$|^(np|numpy)\.(log|log1p|sqrt|exp|abs|array|asarray|float32)\((.+)\)$/;

/** A parenthesized tuple's text without its parentheses (`(y[:k], y[k:])`, as `ast.unparse` writes an unpacked pair); other text as it is. */
function withoutOuterParentheses(text: string): string {
  const t = text.trim();
  if (!t.startsWith('(') || !t.endsWith(')')) {
    return text;
  }
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '(') {
      depth++;
    } else if (t[i] === ')' && --depth === 0 && i < t.length - 1) {
      return text; // `(a)(b)`, `(a) + (b)`: the first parenthesis closes before the end
    }
  }
  return t.slice(1, -1);
}

/** The comma-separated items of a tuple's text, commas inside brackets or strings left alone. */
function topLevelItems(text: string): string[] {
  return (splitTopLevel(text, ',') ?? [text.trim()]).filter(item => item !== '');
}

/**
 * Whether an expression (its text) is visibly of rank 1: a pandas column (`df["price"]`,
 * `df.pop("price")`), one column of an array (`data[:, -1]`), a flattened array, a 1-D NumPy draw
 * (`np.random.rand(n)`), arithmetic on those with numbers, or a name the cell assigns one before
 * `at` (also an output of `train_test_split` pairing with one). Read from the cell's text: the
 * statements assigning data mention no Keras name, and the analysis does not walk them.
 */
function visiblyRankOne(expression: string, at: number, ctx: RuleContext, depth = 0): boolean {
  const text = expression.trim();
  if (depth > 4) {
    return false;
  }
  if (COLUMN.test(text) || FLAT.test(text)) {
    return true;
  }
  const arithmetic = ARITHMETIC.exec(text);
  if (arithmetic) {
    return visiblyRankOne(arithmetic[1] ?? arithmetic[4], at, ctx, depth + 1);
  }
  // Rows of a rank-1 array (`y[:split]`, `y[idx]`): rank 1 too.
  const rows = /^(\w+)\[[^,[\]]*\]$/.exec(text);
  if (rows) {
    return visiblyRankOne(rows[1], at, ctx, depth + 1);
  }
  if (!/^[A-Za-z_]\w*$/.test(text)) {
    return false;
  }
  // The last single-line assignment to the name before `at` (`y = ...`, `y_train, y_test = y[:k], y[k:]`),
  // or an unpacking of `train_test_split(...)`.
  const before = ctx.text.slice(0, at);
  let value: string | null = null;
  let valueAt = 0;
  for (const m of before.matchAll(/^[ \t]*([\w \t,]+?)[ \t]*=(?!=)[ \t]*([^\n]+?)[ \t]*(#.*)?$/gm)) {
    const names = m[1].split(',').map(t => t.trim());
    const i = names.indexOf(text);
    if (i < 0) {
      continue;
    }
    const values = names.length === 1 ? [m[2]] : topLevelItems(withoutOuterParentheses(m[2]));
    value = values.length === names.length ? values[i] : null;
    valueAt = m.index ?? 0;
  }
  let split: { outputs: string[]; arrays: string[]; at: number } | null = null;
  for (const m of before.matchAll(/^[ \t]*([\w \t,()]+?)[ \t]*=[ \t]*(?:[\w.]+\.)?train_test_split\(([^()]*)\)/gm)) {
    const outputs = m[1].replace(/[()]/g, '').split(',').map(o => o.trim());
    if (outputs.includes(text)) {
      split = { outputs, arrays: m[2].split(',').map(a => a.trim()).filter(a => a && !a.includes('=')), at: m.index ?? 0 };
    }
  }
  if (split && split.at >= valueAt) {
    const i = split.outputs.indexOf(text);
    return split.outputs.length === 2 * split.arrays.length && visiblyRankOne(split.arrays[Math.floor(i / 2)], split.at, ctx, depth + 1);
  }
  return value !== null && visiblyRankOne(value, valueAt, ctx, depth + 1);
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  if (parts.fn.type === 'attribute' && calleeName(parts.fn, ctx) === 'fit') {
    const targets = parts.keywords.get('y')?.value ?? parts.positional[1];
    if (targets && visiblyRankOne(ctx.textOf(targets), node.start, ctx)) {
      ctx.note(RANK_ONE_TARGETS);
    }
    return;
  }
  if (ctx.resolveKeras(parts.fn) === 'keras.layers.Dense') {
    const units = parts.keywords.get('units')?.value ?? parts.positional[0];
    if (units && ctx.textOf(units) === '1') {
      ctx.note(DENSE_ONE);
    }
    return;
  }
  const attr = parts.fn.type === 'attribute' ? child(parts.fn, 'attribute') : null;
  if (!attr || ctx.textOf(attr) !== 'compile') {
    return;
  }
  const names: string[] = [];
  for (const arg of [parts.positional[2], parts.keywords.get('metrics')?.value, parts.keywords.get('weighted_metrics')?.value]) {
    if (arg) {
      metricNames(arg, ctx, names);
    }
  }
  names.forEach(name => ctx.note(METRIC_FUNCTION + name));
}

/** The first two parameter names (`y_true`, `y_pred`), or null when they are not plain names. */
function labelAndPrediction(def: SyntaxNode, ctx: RuleContext): [string, string] | null {
  const params = child(def, 'parameters');
  const names = params
    ? params.children
        .filter(p => p.type !== 'comment')
        .slice(0, 2)
        .map(p => (p.type === 'identifier' ? p : p.type === 'typed_parameter' || p.type === 'default_parameter' || p.type === 'typed_default_parameter' ? (p.type === 'typed_parameter' ? p.children[0] : child(p, 'name')) : null))
    : [];
  if (names.length !== 2 || names.some(n => !n || n.type !== 'identifier')) {
    return null;
  }
  return [ctx.textOf(names[0]!), ctx.textOf(names[1]!)];
}

function mentions(node: SyntaxNode, name: string, ctx: RuleContext): boolean {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && ctx.textOf(n) === name) {
      return true;
    }
    stack.push(...n.children);
  }
  return false;
}

/**
 * Whether the body combines the labels and the predictions element by element (a binary operator
 * or an element-wise op with one on each side) and gives neither another rank first.
 */
function combinesElementwise(body: SyntaxNode, yTrue: string, yPred: string, ctx: RuleContext): boolean {
  let combined = false;
  const stack = [...body.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
      continue;
    }
    if (n.type === 'assignment') {
      // `y_true, y_pred = match_ranks(y_true, y_pred)`: a helper may match the ranks (a cast keeps them).
      const left = child(n, 'left');
      const right = child(n, 'right');
      const callee = right?.type === 'call' ? child(right, 'function') : null;
      const last = callee ? (ctx.resolve(callee) ?? ctx.textOf(callee)).split('.').pop() ?? '' : '';
      if (left && callee && (mentions(left, yTrue, ctx) || mentions(left, yPred, ctx)) && !SAME_RANK.test(last)) {
        return false;
      }
    }
    if (n.type === 'call') {
      const fn = child(n, 'function');
      const name = fn ? ctx.resolve(fn) ?? ctx.textOf(fn) : '';
      const args = child(n, 'arguments');
      if (RESHAPES.test(name) && args && (mentions(args, yTrue, ctx) || mentions(args, yPred, ctx))) {
        return false;
      }
      const last = name.split('.').pop() ?? '';
      if (ELEMENTWISE.test(last) && args) {
        const items = args.children.filter(c => c.type !== 'comment' && c.type !== 'keyword_argument');
        if (items.length >= 2 && sidesMention(items[0], items[1], yTrue, yPred, ctx)) {
          combined = true;
        }
      }
    } else if ((n.type === 'binary_operator' || n.type === 'comparison_operator') && n.children.length >= 2) {
      if (sidesMention(n.children[0], n.children[1], yTrue, yPred, ctx)) {
        combined = true;
      }
    }
    stack.push(...n.children);
  }
  return combined;
}

/** One side mentions the labels and the other the predictions (either order). */
function sidesMention(a: SyntaxNode, b: SyntaxNode, yTrue: string, yPred: string, ctx: RuleContext): boolean {
  return (mentions(a, yTrue, ctx) && mentions(b, yPred, ctx)) || (mentions(a, yPred, ctx) && mentions(b, yTrue, ctx));
}

/** Whether the definition sits at module level (a notebook cell's top level). */
function atTopLevel(def: SyntaxNode): boolean {
  const up = def.parent && def.parent.type === 'decorated_definition' ? def.parent.parent : def.parent;
  return !!up && up.type === 'module';
}

function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const nameNode = child(node, 'name');
  const body = child(node, 'body');
  const params = labelAndPrediction(node, ctx);
  if (!nameNode || !body || !params || !atTopLevel(node)) {
    return;
  }
  const [yTrue, yPred] = params;
  if (yTrue === 'self' || !combinesElementwise(body, yTrue, yPred, ctx)) {
    return;
  }
  const name = ctx.textOf(nameNode);
  // The first statement after a docstring, on a line of its own: the squeeze goes before it.
  const statements = body.children.filter(c => c.type !== 'comment');
  const first = statements.find((s, i) => !(i === 0 && s.type === 'expression_statement' && s.children[0]?.type === 'string'));
  let fix = null;
  const lineStart = first ? lineStartAt(ctx.text, first.start) : -1;
  if (first && lineStart > node.start && /^[ \t]+$/.test(ctx.text.slice(lineStart, first.start))) {
    const indent = ctx.text.slice(lineStart, first.start);
    const text =
      `${indent}# Keras 2 squeezed a (batch, 1) prediction to rank-1 labels' rank before calling a metric function; Keras 3 does not.\n` +
      `${indent}if len(${yPred}.shape) == len(${yTrue}.shape) + 1 and ${yPred}.shape[-1] == 1:\n` +
      `${indent}    ${yPred} = keras.ops.squeeze(${yPred}, -1)\n`;
    fix = {
      title: `Squeeze a \`(batch, 1)\` \`${yPred}\` to the labels' rank first, as Keras 2 did`,
      safe: false,
      edits: withKerasImport(ctx, [{ start: lineStart, end: lineStart, text }])
    };
  }
  ctx.report(
    nameNode,
    `\`${name}\` is a metric function compiled into a model with a \`Dense(1)\` output: Keras 2 squeezed the \`(batch, 1)\` predictions to the labels' rank before calling it, Keras 3 does not, so with rank-1 labels (a NumPy or pandas column) \`${yPred}\` and \`${yTrue}\` broadcast to \`(batch, batch)\` and the metric reports a wrong value on every backend, without an error. ` +
      'Squeeze the predictions first (or give `fit()` labels of shape `(n, 1)`); Keras 3\'s built-in metrics and losses match the ranks themselves.',
    fix,
    undefined,
    `anywhere:${METRIC_FUNCTION}${name} & anywhere:${DENSE_ONE} & anywhere:${RANK_ONE_TARGETS}`
  );
}

export const customMetricFunctionLabelRank: RuleDefinition = {
  code: 'KM240',
  name: 'custom-metric-function-label-rank',
  slug: 'api-changes',
  severity: 'warning',
  /**
   * No backend is claimed: nothing fails. Checked by running Keras 3.15.1 against tf_keras 2.21 (a
   * Dense(1) model, labels of shape (64,), evaluate and fit): `def rmse(y_true, y_pred): return
   * sqrt(mean(square(y_pred - y_true)))` in `compile(metrics=[rmse])` gives 3.501 on TensorFlow
   * where Keras 2 gives 3.167 (an R² function: -186.5 against -1.397; `mean(abs(...), axis=-1)`:
   * 2.914 against 2.758), likewise on JAX and PyTorch; with labels of shape (64, 1), or with the
   * squeeze, Keras 3 gives Keras 2's values on all three. The same functions as losses, and the
   * built-in metrics (`"mae"`, `"mse"`, `MeanAbsoluteError()`, `RootMeanSquaredError()`,
   * `MeanAbsolutePercentageError()`, `LogCoshError()`, `R2Score()`, ...) and losses, match the
   * ranks in Keras 3 and give Keras 2's values.
   */
  blocks: [],
  fixAvailability: 'sometimes',
  triggers: ['compile', 'y_true', 'y_pred'],
  docs: {
    whatItDoes:
      'Flags a notebook-level metric function named in `compile(metrics=...)` (or `weighted_metrics=`) that combines its labels and predictions element by element (`y_pred - y_true`, `K.equal(y_true, ...)`), in a program that makes a `Dense(1)` layer and calls `fit()` with labels visibly of rank 1: a pandas column (`df["price"]`, `df.pop("price")`), one column of an array (`data[:, -1]`), a flattened array or a 1-D NumPy draw, directly or through names the same cell assigns (`train_test_split` outputs included). Functions that flatten, reshape or squeeze a side first are left alone. The fix (a suggestion) squeezes a `(batch, 1)` prediction to the labels\' rank at the top of the function, as Keras 2 did.',
    why:
      'Keras 2\'s MeanMetricWrapper squeezed a prediction\'s trailing dimension of 1 (or the labels\') before calling a metric function, so rank-1 labels (a NumPy or pandas column) against a `Dense(1)` output\'s `(batch, 1)` gave the per-sample error. Keras 3\'s MeanMetricWrapper calls the function as it is: `y_pred - y_true` broadcasts `(batch, 1)` against `(batch,)` to `(batch, batch)`, and an RMSE or R² metric reports a wrong value on every backend, silently (checked: RMSE 3.50 where Keras 2 reports 3.17). Keras 3\'s built-in metrics and its losses (custom loss functions too) match the ranks themselves. A suggestion: the labels\' rank is known only when the program runs, and the squeeze is a no-op where the ranks already match.',
    example:
      'import keras\nfrom keras import ops as K\n\ndef rmse(y_true, y_pred):\n    return K.sqrt(K.mean(K.square(y_pred - y_true)))\n\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", metrics=[rmse])\nmodel.fit(df[["a", "b", "c"]], df["price"], epochs=5)',
    useInstead:
      'import keras\nfrom keras import ops as K\n\ndef rmse(y_true, y_pred):\n    # Keras 2 squeezed a (batch, 1) prediction to rank-1 labels\' rank before calling a metric function; Keras 3 does not.\n    if len(y_pred.shape) == len(y_true.shape) + 1 and y_pred.shape[-1] == 1:\n        y_pred = keras.ops.squeeze(y_pred, -1)\n    return K.sqrt(K.mean(K.square(y_pred - y_true)))\n\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", metrics=[rmse])\nmodel.fit(df[["a", "b", "c"]], df["price"], epochs=5)'
  },
  requires: ['compile'],
  calls: { names: ['compile', 'Dense', 'fit'] },
  visitors: { function_definition: visitFunction, call: visitCall }
};
