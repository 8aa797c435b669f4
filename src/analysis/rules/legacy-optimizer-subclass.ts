/**
 * legacy-optimizer-subclass (KM228)
 *
 * What it does: flags a class deriving from a Keras optimizer (`keras.optimizers.Optimizer`,
 * `tf.keras.optimizers.legacy.Optimizer`, a built-in such as `Adam`) that implements the Keras 2
 * (OptimizerV2) optimizer API: it defines `_resource_apply_dense` / `_resource_apply_sparse` /
 * `_create_slots` / `_prepare_local` / `get_updates`, or calls `self._set_hyper`, `self._get_hyper`,
 * `self.add_slot`, `self.get_slot`, `self._decayed_lr` or `self._serialize_hyperparameter`.
 *
 * Why: Keras 3 optimizers have none of that API. The constructor takes `learning_rate` first (the
 * Keras 2 `super().__init__(name, **kwargs)` passes the name as the learning rate: "Argument
 * `learning_rate` should be float ..."), `_set_hyper`/`add_slot` do not exist, and the training
 * step never calls `_resource_apply_dense`: the optimizer fails on TensorFlow, JAX and PyTorch.
 * Renaming the base class (`keras.optimizers.legacy.Optimizer` to `keras.optimizers.Optimizer`,
 * KM165) does not make it run; the update rule has to be rewritten.
 *
 * Example:
 *   class MySGD(keras.optimizers.Optimizer):
 *       def __init__(self, learning_rate=0.01, name="MySGD", **kwargs):
 *           super().__init__(name, **kwargs)
 *           self._set_hyper("learning_rate", learning_rate)
 *       def _resource_apply_dense(self, grad, var, apply_state=None):
 *           return var.assign_sub(self._get_hyper("learning_rate") * grad)
 *
 * Use instead: `build(var_list)` creating slots with `self.add_variable_from_reference(var,
 * "velocity")`, and `update_step(gradient, variable, learning_rate)` with `self.assign` /
 * `self.assign_sub` and keras.ops; hyperparameters as plain attributes; `learning_rate=` and
 * `name=` passed by keyword to `super().__init__`.
 *
 * Fix: none (a rewrite of the update rule); the message maps each Keras 2 name the class uses to its
 * Keras 3 spelling (that mapping, applied by hand to claims/legacy_optimizer_subclass.py, trains on
 * TensorFlow, JAX and PyTorch).
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';

/** Methods only the Keras 2 optimizer (OptimizerV2 and the older keras.optimizers.Optimizer) calls. */
const LEGACY_METHODS = new Set(['_resource_apply_dense', '_resource_apply_sparse', '_create_slots', '_prepare_local', 'get_updates', '_resource_apply_sparse_duplicate_indices']);

/** Keras 2 optimizer helpers a subclass calls on itself. */
const LEGACY_SELF_CALLS = new Set(['_set_hyper', '_get_hyper', 'add_slot', 'get_slot', '_decayed_lr', '_serialize_hyperparameter']);

/** The base is a Keras optimizer class (`keras.optimizers.Optimizer`, `...legacy.Adam`, `keras.optimizers.SGD`). */
function isOptimizerBase(base: SyntaxNode, ctx: RuleContext): boolean {
  const name = ctx.resolveKeras(base) ?? ctx.resolve(base) ?? '';
  return /^keras\.optimizers\.(legacy\.)?[A-Z]\w*$/.test(name) || /^keras\.optimizer_v2\.\w+\.\w+$/.test(name) ||
    /^tensorflow\.python\.keras\.optimizer_v2\./.test(name) || name === 'keras.optimizers.optimizer_v2.optimizer_v2.OptimizerV2';
}

/** The Keras 2 API the class body uses, in source order (names only, each once). */
function legacyApiUsed(body: SyntaxNode, ctx: RuleContext): string[] {
  const found: string[] = [];
  const add = (name: string): void => {
    if (!found.includes(name)) {
      found.push(name);
    }
  };
  const visit = (node: SyntaxNode, depth: number): void => {
    if (node.type === 'class_definition') {
      return;
    }
    if (node.type === 'function_definition' && depth === 0) {
      const name = child(node, 'name');
      if (name && LEGACY_METHODS.has(ctx.textOf(name))) {
        add(ctx.textOf(name));
      }
    }
    if (node.type === 'call') {
      const fn = child(node, 'function');
      const object = fn && fn.type === 'attribute' ? child(fn, 'object') : null;
      const attr = fn && fn.type === 'attribute' ? child(fn, 'attribute') : null;
      if (object && attr && ctx.textOf(object) === 'self' && LEGACY_SELF_CALLS.has(ctx.textOf(attr))) {
        add(ctx.textOf(attr));
      }
    }
    const nextDepth = node.type === 'function_definition' ? depth + 1 : depth;
    for (const c of node.children) {
      visit(c, nextDepth);
    }
  };
  for (const statement of body.children) {
    visit(statement.type === 'decorated_definition' ? statement.children[statement.children.length - 1] : statement, 0);
  }
  return found;
}

function visitClass(node: SyntaxNode, ctx: RuleContext): void {
  const supers = child(node, 'superclasses');
  const body = child(node, 'body');
  const name = child(node, 'name');
  if (!supers || !body || !name || !supers.children.some(b => b.type !== 'keyword_argument' && isOptimizerBase(b, ctx))) {
    return;
  }
  const used = legacyApiUsed(body, ctx);
  if (used.length === 0) {
    return;
  }
  const list = used.slice(0, 3).map(u => `\`${u}\``).join(', ') + (used.length > 3 ? ', ...' : '');
  const equivalents = used.map(u => KERAS3_EQUIVALENT[u]).filter((e): e is string => !!e);
  ctx.report(
    name,
    `\`${ctx.textOf(name)}\` implements the Keras 2 optimizer API (${list}), which Keras 3 optimizers do not have: it fails on every backend. ` +
      'Rewrite it with `build(var_list)` (slots from `self.add_variable_from_reference`) and `update_step(gradient, variable, learning_rate)`, passing `learning_rate=` and `name=` by keyword to `super().__init__` ' +
      '(callers pass `learning_rate=`, not `lr=`)' +
      (equivalents.length ? `. In Keras 3: ${equivalents.join('; ')}.` : '.')
  );
}

/** The Keras 3 spelling of each Keras 2 optimizer API name, for the message (in the order found). */
const KERAS3_EQUIVALENT: Record<string, string> = {
  _set_hyper: '`self._set_hyper("m", m)` becomes `self.m = m` (the learning rate goes to `super().__init__(learning_rate=...)`)',
  _get_hyper: '`self._get_hyper("m", dtype)` becomes `keras.ops.cast(self.m, dtype)`',
  _decayed_lr: '`self._decayed_lr(dtype)` becomes `keras.ops.cast(learning_rate, dtype)` (the argument of `update_step`)',
  _create_slots: '`_create_slots(var_list)` becomes `build(var_list)` (call `super().build(var_list)` first)',
  add_slot: '`self.add_slot(var, "v")` becomes `self.v = [self.add_variable_from_reference(var, "v") for var in var_list]`',
  get_slot: '`self.get_slot(var, "v")` becomes `self.v[self._get_variable_index(var)]`',
  _resource_apply_dense: '`_resource_apply_dense(grad, var, apply_state)` becomes `update_step(gradient, variable, learning_rate)`, with `self.assign(v, x)` / `self.assign_add(v, x)` for `v.assign(x)` / `v.assign_add(x)` and `keras.ops` for TF ops',
  _serialize_hyperparameter: '`self._serialize_hyperparameter("m")` becomes `self.m`',
  get_updates: '`get_updates(loss, params)` becomes `update_step(gradient, variable, learning_rate)`'
};

export const legacyOptimizerSubclass: RuleDefinition = {
  code: 'KM228',
  name: 'legacy-optimizer-subclass',
  slug: 'api-changes',
  severity: 'error',
  /** Constructing it fails on TensorFlow, JAX and PyTorch (Keras 3.15): claims/legacy_optimizer_subclass.py. */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'never',
  triggers: ['_resource_apply_dense', '_resource_apply_sparse', '_create_slots', '_set_hyper', 'get_updates'],
  docs: {
    whatItDoes:
      'Flags an optimizer subclass (of `keras.optimizers.Optimizer`, `tf.keras.optimizers.legacy.Optimizer` or a built-in optimizer) written against the Keras 2 optimizer API: it defines `_resource_apply_dense`, `_create_slots` or `get_updates`, or calls `self._set_hyper`, `self._get_hyper`, `self.add_slot`, `self.get_slot` or `self._decayed_lr`.',
    why: 'Keras 3 optimizers have none of that API: the constructor takes `learning_rate` first (Keras 2\'s `super().__init__(name, **kwargs)` passes the name as the learning rate), `_set_hyper` and `add_slot` do not exist, and training never calls `_resource_apply_dense`, so the optimizer fails on TensorFlow, JAX and PyTorch. Renaming the base class does not help; there is no automatic fix. Not covered by the migration guide.',
    example:
      'import keras\nclass MySGD(keras.optimizers.Optimizer):\n    def __init__(self, learning_rate=0.01, name="MySGD", **kwargs):\n        super().__init__(name, **kwargs)\n        self._set_hyper("learning_rate", learning_rate)\n    def _resource_apply_dense(self, grad, var, apply_state=None):\n        return var.assign_sub(self._get_hyper("learning_rate", var.dtype) * grad)',
    useInstead:
      'import keras\nclass MySGD(keras.optimizers.Optimizer):\n    def __init__(self, learning_rate=0.01, name="MySGD", **kwargs):\n        super().__init__(learning_rate=learning_rate, name=name, **kwargs)\n    def update_step(self, gradient, variable, learning_rate):\n        self.assign_sub(variable, keras.ops.cast(learning_rate, variable.dtype) * gradient)'
  },
  visitors: { class_definition: visitClass }
};
