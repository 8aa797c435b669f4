import { child, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';

/** The base is a Keras optimizer class (`keras.optimizers.Optimizer`, `...legacy.Adam`, `keras.optimizers.SGD`). */
export function isOptimizerBase(base: SyntaxNode, ctx: RuleContext): boolean {
  const name = ctx.resolveKeras(base) ?? ctx.resolve(base) ?? '';
  return /^keras\.optimizers\.(legacy\.)?[A-Z]\w*$/.test(name) || /^keras\.optimizer_v2\.\w+\.\w+$/.test(name) ||
    /^tensorflow\.python\.keras\.optimizer_v2\./.test(name) || name === 'keras.optimizers.optimizer_v2.optimizer_v2.OptimizerV2';
}

/** A class deriving from a Keras optimizer: its name, body and that optimizer base, else null. */
export function optimizerSubclass(node: SyntaxNode, ctx: RuleContext): { name: SyntaxNode; body: SyntaxNode; base: SyntaxNode } | null {
  const body = child(node, 'body');
  const name = child(node, 'name');
  const base = child(node, 'superclasses')?.children.find(b => b.type !== 'keyword_argument' && isOptimizerBase(b, ctx));
  return body && name && base ? { name, body, base } : null;
}

/**
 * The Keras 2 (OptimizerV2) subclass API written on a Keras 3 optimizer, for KM228's suggested
 * fix: the subclass keeps its `__init__` (`super().__init__(name, **kwargs)`, `_set_hyper`),
 * `_create_slots` / `add_slot`, `_resource_apply_dense` with `get_slot` / `_get_hyper` /
 * `_decayed_lr`, and `get_config` with `_serialize_hyperparameter`; Keras 3 runs them through
 * `build()` and `update_step()` on every backend (the slots are optimizer variables made with
 * `add_variable_from_reference`, so JAX's stateless step and saving see them). Checked on Keras
 * 3.15 with examples/runnable/custom_optimizer_legacy.py and the `legacy-optimizer-api-shim`
 * snippet on TensorFlow, JAX and PyTorch.
 */

/** The class name the fix derives the Keras 2 optimizer from. */
export const LEGACY_OPTIMIZER_CLASS = 'Keras2Optimizer';

export const LEGACY_OPTIMIZER_CODE = [
  `class ${LEGACY_OPTIMIZER_CLASS}(keras.optimizers.Optimizer):`,
  '    """The Keras 2 optimizer subclass API (_set_hyper, _create_slots/add_slot/get_slot, _get_hyper,',
  '    _decayed_lr, _resource_apply_dense, _serialize_hyperparameter) on a Keras 3 optimizer: build()',
  '    makes the slots, update_step() runs _resource_apply_dense, on every backend."""',
  '',
  '    def __init__(self, name=None, **kwargs):',
  '        decay = kwargs.pop("decay", 0.0)',
  '        kwargs.pop("lr", None)  # Keras 2\'s alias: the subclass reads it and calls _set_hyper("learning_rate", ...)',
  '        learning_rate = kwargs.pop("learning_rate", 0.001)',
  '        super().__init__(learning_rate=learning_rate, name=name or type(self).__name__, **kwargs)',
  '        self._initial_decay = decay or 0.0',
  '        self._keras2_hyper = {}',
  '        self._keras2_slots = {}',
  '        self._keras2_lr = None',
  '',
  '    def _set_hyper(self, name, value):',
  '        if name == "learning_rate":',
  '            self.learning_rate = value',
  '        else:',
  '            self._keras2_hyper[name] = value',
  '',
  '    def _get_hyper(self, name, dtype=None):',
  '        if name == "learning_rate":',
  '            value = self.learning_rate if self._keras2_lr is None else self._keras2_lr',
  '        else:',
  '            value = self._keras2_hyper[name]',
  '            value = value() if callable(value) else value',
  '        return value if dtype is None else keras.ops.cast(value, dtype)',
  '',
  '    def _decayed_lr(self, var_dtype):',
  '        lr = self._get_hyper("learning_rate", var_dtype)',
  '        if self._initial_decay:',
  '            lr = lr / (1.0 + self._initial_decay * keras.ops.cast(self.iterations, var_dtype))',
  '        return lr',
  '',
  '    def _serialize_hyperparameter(self, name):',
  '        value = self._keras2_hyper[name] if name != "learning_rate" else self._learning_rate',
  '        if isinstance(value, keras.optimizers.schedules.LearningRateSchedule):',
  '            return keras.optimizers.schedules.serialize(value)',
  '        if callable(value):',
  '            return value()',
  '        return float(keras.ops.convert_to_numpy(value)) if hasattr(value, "dtype") else value',
  '',
  '    def _create_slots(self, var_list):',
  '        pass',
  '',
  '    def add_slot(self, var, slot_name, initializer="zeros"):',
  '        slot = self.add_variable_from_reference(var, slot_name, initializer=initializer)',
  '        self._keras2_slots[(slot_name, self._var_key(var))] = slot',
  '        return slot',
  '',
  '    def get_slot(self, var, slot_name):',
  '        return self._keras2_slots[(slot_name, self._var_key(var))]',
  '',
  '    def build(self, var_list):',
  '        if self.built:',
  '            return',
  '        super().build(var_list)',
  '        self._create_slots(var_list)',
  '',
  '    def update_step(self, gradient, variable, learning_rate):',
  '        self._keras2_lr = learning_rate',
  '        try:',
  '            self._resource_apply_dense(gradient, variable)',
  '        finally:',
  '            self._keras2_lr = None',
  ''
].join('\n');
