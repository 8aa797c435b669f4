import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { rewriteTrainStep } from '../helpers/train-step-rewrite';

/**
 * What it does: flags `self.compiled_metrics.<attribute>` (other than `update_state`) and
 * `self.compiled_loss.<attribute>` in a Keras Model subclass: `self.compiled_metrics.metrics` in a
 * `metrics` property (keras.io's AdaMatch / FixMatch style `[...trackers] + self.compiled_metrics.metrics`),
 * `self.compiled_metrics.reset_state()`, `self.compiled_loss.metrics`.
 *
 * Why: Keras 3 keeps `compiled_metrics` and `compiled_loss` only as TensorFlow-backend shims: a
 * `DeprecatedCompiledMetric` object whose one method is `update_state()`, and a `compiled_loss()`
 * method. Any other attribute fails on TensorFlow too ("AttributeError: 'DeprecatedCompiledMetric'
 * object has no attribute 'metrics'", checked by running Keras 3.15 on TensorFlow), and JAX and
 * PyTorch models have neither attribute. KM141 flags these shims inside train_step/test_step only.
 *
 * Example:
 *     @property
 *     def metrics(self):
 *         return [self.loss_tracker] + self.compiled_metrics.metrics
 *
 * Use instead: Keras 3's own `metrics` property already lists the compiled metrics (after its loss
 * tracker) and the trackers set as attributes: drop the override, or list the trackers and let
 * `compute_metrics()` (or `super().compute_metrics(x, y, y_pred, sample_weight)`) update and
 * return the compiled ones.
 *
 * Fix (suggestion): where the override only adds trackers the model sets as attributes
 * (`return [self.loss_tracker, ...] + self.compiled_metrics.metrics`), delete it and write the
 * class's `self.compiled_metrics.update_state(y, y_pred)` as `self.compute_metrics(None, y, y_pred)`.
 * Without the override, Keras 3's TensorFlow shim `compiled_metrics.update_state()` updates every
 * metric of `self.metrics` (each `Mean` tracker with the predictions: wrong tracker values, checked
 * on Keras 3.15); `compute_metrics()` updates the compiled metrics only, as Keras 2 did. Not
 * offered while the class's train_step has its own rewrite (KM141), which the next pass follows.
 * Keras 3's `metrics` then also lists its own "loss" tracker, which a custom step does not update.
 */

const KEPT: Record<string, Set<string>> = {
  compiled_metrics: new Set(['update_state']),
  compiled_loss: new Set()
};

/** `self.<name>` -> name, else null. */
function selfAttribute(node: SyntaxNode, ctx: RuleContext): string | null {
  const m = /^self\.(\w+)$/.exec(ctx.textOf(node));
  return node.type === 'attribute' && m ? m[1] : null;
}

/** Every `self.<attr> = <call>` of the class, by attribute: the called names. */
function attributeCalls(cls: SyntaxNode, ctx: RuleContext): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (n: SyntaxNode): void => {
    if (n.type === 'assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      const name = left ? selfAttribute(left, ctx) : null;
      if (name) {
        const fn = right?.type === 'call' ? child(right, 'function') : null;
        found.set(name, [...(found.get(name) ?? []), fn ? (ctx.resolveKeras(fn) ?? ctx.textOf(fn)) : '']);
      }
    }
    n.children.forEach(walk);
  };
  walk(cls);
  return found;
}

/** The operands of a `+` chain. */
function summands(node: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  const [left, right] = node.children;
  if (node.type === 'binary_operator' && node.children.length === 2 && ctx.text.slice(left.end, right.start).trim() === '+') {
    return [...summands(left, ctx), ...summands(right, ctx)];
  }
  if (node.type === 'parenthesized_expression' && node.children.length === 1) {
    return summands(node.children[0], ctx);
  }
  return [node];
}

/**
 * The suggestion for `self.compiled_metrics.metrics` in a `metrics` property that lists only
 * trackers the class sets to Keras metrics: delete the property; the class's shim updates become
 * compute_metrics() calls.
 */
function dropMetricsOverride(node: SyntaxNode, cls: SyntaxNode, ctx: RuleContext): OffsetEdit[] | null {
  let ret = node.parent;
  while (ret && (ret.type === 'binary_operator' || ret.type === 'parenthesized_expression')) {
    ret = ret.parent;
  }
  const block = ret?.parent;
  const def = block?.parent;
  const decorated = def?.parent;
  if (ret?.type !== 'return_statement' || block?.type !== 'block' || def?.type !== 'function_definition' || decorated?.type !== 'decorated_definition') {
    return null;
  }
  if (ctx.textOf(child(def, 'name') ?? def) !== 'metrics' || decorated.parent?.parent !== cls) {
    return null;
  }
  const decorators = decorated.children.filter(c => c.type === 'decorator');
  if (decorators.length !== 1 || ctx.textOf(decorators[0]).replace(/\s/g, '') !== '@property') {
    return null;
  }
  const body = block.children.filter(c => c.type !== 'comment');
  const docstring = body.length === 2 && body[0].type === 'expression_statement' && body[0].children[0]?.type === 'string';
  if (body[body.length - 1] !== ret || !(body.length === 1 || docstring)) {
    return null;
  }
  const value = ret.children[0];
  if (!value) {
    return null;
  }
  const assigned = attributeCalls(cls, ctx);
  const isTracker = (n: SyntaxNode): boolean => {
    const name = selfAttribute(n, ctx);
    const calls = name ? assigned.get(name) : undefined;
    return !!calls && calls.length > 0 && calls.every(c => /^keras\.metrics\.\w+$/.test(c));
  };
  for (const part of summands(value, ctx)) {
    if (part === node) {
      continue;
    }
    if (part.type !== 'list' || !part.children.every(isTracker)) {
      return null;
    }
  }
  if (!summands(value, ctx).includes(node)) {
    return null;
  }
  const classText = ctx.textOf(cls);
  // Another use of the shims (a second KM236 finding, compiled_loss.metrics) or a compute_metrics() of its own.
  const shimUses = classText.match(/\bself\.compiled_(metrics|loss)\b/g)?.length ?? 0;
  const updates: SyntaxNode[] = [];
  const walk = (n: SyntaxNode): void => {
    if (n.type === 'call' && ctx.textOf(child(n, 'function') ?? n) === 'self.compiled_metrics.update_state') {
      updates.push(n);
    }
    n.children.forEach(walk);
  };
  walk(cls);
  const compiledLossCalls = classText.match(/\bself\.compiled_loss\(/g)?.length ?? 0;
  // A compute_metrics() of its own is left alone while updates would be turned into calls of it (with none, deleting the override changes nothing it does).
  if (shimUses !== 1 + updates.length + compiledLossCalls || (updates.length > 0 && /\bdef\s+compute_metrics\s*\(/.test(classText))) {
    return null;
  }
  const edits: OffsetEdit[] = [];
  for (const call of updates) {
    const args = child(call, 'arguments');
    const named = args?.children.filter(c => c.type !== 'comment') ?? [];
    const positional = named.filter(a => a.type !== 'keyword_argument');
    const keywords = named.filter(a => a.type === 'keyword_argument').map(a => ctx.textOf(child(a, 'name') ?? a));
    if (!args || positional.length < 2 || positional.length > 3 || named.some(a => a.type === 'list_splat' || a.type === 'dictionary_splat') || keywords.some(k => k !== 'sample_weight')) {
      return null;
    }
    const fn = child(call, 'function')!;
    edits.push({ start: fn.start, end: fn.end, text: 'self.compute_metrics' }, { start: args.start + 1, end: args.start + 1, text: 'None, ' });
  }
  // Not while the train_step has a rewrite of its own: it turns these updates into compute_loss()/compute_metrics().
  for (const stmt of child(cls, 'body')?.children ?? []) {
    const method = stmt.type === 'decorated_definition' ? child(stmt, 'definition') : stmt;
    if (method?.type === 'function_definition' && ctx.textOf(child(method, 'name') ?? method) === 'train_step' && 'edits' in rewriteTrainStep(method, cls, ctx)) {
      return null;
    }
  }
  // The property, with a blank line before it.
  const lineStart = ctx.text.lastIndexOf('\n', decorated.start - 1) + 1;
  const newline = ctx.text.indexOf('\n', decorated.end);
  const end = newline < 0 ? ctx.text.length : newline + 1;
  const blank = /\n[ \t]*\n$/.exec(ctx.text.slice(Math.max(0, lineStart - 200), lineStart));
  edits.push({ start: blank ? lineStart - blank[0].length + 1 : lineStart, end, text: '' });
  return edits;
}

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  if (ctx.cls?.keras !== 'model') {
    return;
  }
  const object = child(node, 'object');
  const attr = child(node, 'attribute');
  if (!object || !attr || object.type !== 'attribute') {
    return;
  }
  const inner = child(object, 'object');
  const shim = child(object, 'attribute');
  if (!inner || !shim || ctx.textOf(inner) !== 'self') {
    return;
  }
  const name = ctx.textOf(shim);
  const kept = KEPT[name];
  const used = ctx.textOf(attr);
  if (!kept || kept.has(used)) {
    return;
  }
  const edits = name === 'compiled_metrics' && used === 'metrics' ? dropMetricsOverride(node, ctx.cls!.node, ctx) : null;
  const what = name === 'compiled_metrics' ? "a `DeprecatedCompiledMetric` object whose one method is `update_state()`" : 'a deprecated method';
  ctx.report(
    node,
    `\`self.${name}.${used}\` fails in Keras 3 on every backend: on TensorFlow \`self.${name}\` is ${what} ("AttributeError: '${name === 'compiled_metrics' ? 'DeprecatedCompiledMetric' : 'method'}' object has no attribute '${used}'"), and JAX and PyTorch models have no \`${name}\`. Keras 3's own \`metrics\` property already lists the compiled metrics and the trackers set as attributes: drop the override, or let \`compute_metrics()\` update and return the compiled metrics.`,
    edits
      ? {
          title: 'Delete the `metrics` override (Keras 3 lists the trackers and the compiled metrics) and update the compiled metrics with `self.compute_metrics(None, y, y_pred)`',
          safe: false,
          edits
        }
      : undefined
  );
}

export const compiledMetricsAttribute: RuleDefinition = {
  code: 'KM236',
  name: 'compiled-metrics-attribute',
  slug: 'custom-train-step',
  severity: 'error',
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['compiled_metrics', 'compiled_loss'],
  docs: {
    whatItDoes:
      'Flags `self.compiled_metrics.<attribute>` other than `update_state` (`self.compiled_metrics.metrics` in a `metrics` property, as keras.io\'s AdaMatch-style models wrote it) and any `self.compiled_loss.<attribute>` in a Keras Model subclass.',
    why:
      'Keras 3 keeps `compiled_metrics`/`compiled_loss` only as TensorFlow-backend shims: `compiled_metrics` is a `DeprecatedCompiledMetric` whose one method is `update_state()` and `compiled_loss` is a method, so `self.compiled_metrics.metrics` fails on TensorFlow too ("AttributeError: \'DeprecatedCompiledMetric\' object has no attribute \'metrics\'", checked by running Keras 3.15), and JAX and PyTorch models have neither attribute. Keras 3\'s `metrics` property already lists the compiled metrics. Suggested fix where the override only adds trackers the model sets to Keras metrics: delete it (also when the class has a compute_metrics() of its own and no shim update is left, as after KM141\'s rewrite of a step into compute_loss()/compute_metrics()), and write the class\'s `self.compiled_metrics.update_state(y, y_pred)` as `self.compute_metrics(None, y, y_pred)` (without the override, the TensorFlow shim `update_state()` updates every metric of `self.metrics`, each `Mean` tracker with the predictions; `compute_metrics()` updates the compiled metrics only, as Keras 2 did). Keras 3\'s `metrics` also lists its own "loss" tracker, which a custom step does not update.',
    example:
      'import keras\nclass M(keras.Model):\n    @property\n    def metrics(self):\n        return [self.loss_tracker] + self.compiled_metrics.metrics',
    useInstead:
      'import keras\nclass M(keras.Model):\n    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n        return super().compute_metrics(x, y, y_pred, sample_weight)'
  },
  visitors: { attribute: visitAttribute }
};
