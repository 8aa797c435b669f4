/**
 * What it does: flags an activation given by a name Keras 3 does not know (`Dense(64,
 * activation="swish_beta")`, `Activation("custom_activation")`, `keras.activations.get(...)`),
 * typically a custom activation registered with `get_custom_objects().update({...})` (the
 * well-known Stack Overflow answer), `custom_object_scope` or `register_keras_serializable`.
 * When the registration in the same cell says which function the name stands for, the fix
 * passes that function instead of its name.
 * Why: Keras 2 looked activation names up among the registered custom objects too; Keras 3's
 * `keras.activations.get()` knows only its built-in names, so the layer raises "Could not
 * interpret activation function identifier: swish_beta" on every backend. A function (or any
 * callable) is accepted as it is.
 * Example: `get_custom_objects().update({"swish_beta": Activation(swish_beta)})` then `Dense(8, activation="swish_beta")`
 * Use instead: `Dense(8, activation=swish_beta)`
 */
import { child, descendants, rootOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, stringValue } from '../helpers/calls';

/** `keras.activations.ALL_OBJECTS_DICT` of Keras 3.15: the names `keras.activations.get()` accepts. */
const KERAS3_ACTIVATIONS = new Set([
  'celu', 'elu', 'exponential', 'gelu', 'glu', 'hard_shrink', 'hard_sigmoid', 'hard_silu', 'hard_swish', 'hard_tanh',
  'leaky_relu', 'linear', 'log_sigmoid', 'log_softmax', 'mish', 'relu', 'relu6', 'selu', 'sigmoid', 'silu', 'soft_shrink',
  'softmax', 'softplus', 'softsign', 'sparse_plus', 'sparse_sigmoid', 'sparsemax', 'squareplus', 'swish', 'tanh',
  'tanh_shrink', 'threshold'
]);

const ACTIVATION_KEYWORDS = ['activation', 'recurrent_activation'];


/** The function a registered value stands for: `Activation(f)` -> f, a name or dotted name -> itself. */
function functionOf(value: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  if (value.type === 'identifier' || value.type === 'attribute') {
    return value;
  }
  if (value.type === 'call') {
    const parts = callParts(value, ctx);
    const only = parts && parts.positional.length === 1 && parts.keywords.size === 0 && !parts.splat ? parts.positional[0] : null;
    if (parts && only && calleeName(parts.fn, ctx) === 'Activation' && (only.type === 'identifier' || only.type === 'attribute')) {
      return only;
    }
  }
  return null;
}

const REGISTRIES = new Set(['get_custom_objects', 'custom_object_scope', 'CustomObjectScope']);

/** Whether `node` is `get_custom_objects()` (or a scope) call: the registry itself. */
function isRegistryCall(node: SyntaxNode | null, ctx: RuleContext): boolean {
  if (!node || node.type !== 'call') {
    return false;
  }
  const fn = child(node, 'function');
  return fn !== null && REGISTRIES.has(calleeName(fn, ctx));
}

/**
 * What the code before `use` registers under `name`: the value in `get_custom_objects().update({...})`,
 * `get_custom_objects()[name] = value`, `custom_object_scope({...})`, or a function decorated with
 * `register_keras_serializable(package=P)` (registered as `P>f`). Null when none is found or it is ambiguous.
 */
function registeredFunction(name: string, use: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const found: SyntaxNode[] = [];
  for (const n of descendants(rootOf(use))) {
    if (n.start >= use.start) {
      break;
    }
    if (n.type === 'pair') {
      const key = child(n, 'key');
      const value = child(n, 'value');
      const dict = n.parent;
      const call = dict?.parent?.parent;
      if (!key || !value || stringValue(key, ctx) !== name || dict?.type !== 'dictionary' || dict.parent?.type !== 'argument_list' || call?.type !== 'call') {
        continue;
      }
      const fn = child(call, 'function');
      // get_custom_objects().update({...}) or custom_object_scope({...})
      const registers =
        (fn?.type === 'attribute' && calleeName(fn, ctx) === 'update' && isRegistryCall(child(fn, 'object'), ctx)) || isRegistryCall(call, ctx);
      const f = registers ? functionOf(value, ctx) : null;
      if (f) {
        found.push(f);
      }
    } else if (n.type === 'assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      if (left?.type === 'subscript' && right && isRegistryCall(child(left, 'value'), ctx) && stringValue(child(left, 'subscript'), ctx) === name) {
        const f = functionOf(right, ctx);
        if (f) {
          found.push(f);
        }
      }
    } else if (n.type === 'decorated_definition') {
      const def = child(n, 'definition');
      const fname = def?.type === 'function_definition' ? child(def, 'name') : null;
      if (!fname) {
        continue;
      }
      for (const d of n.children) {
        const call = d.type === 'decorator' ? d.children.find(c => c.type === 'call') : null;
        const parts = call ? callParts(call, ctx) : null;
        if (!parts || calleeName(parts.fn, ctx) !== 'register_keras_serializable') {
          continue;
        }
        const pkgNode = parts.keywords.get('package')?.value ?? parts.positional[0];
        const pkg = pkgNode ? stringValue(pkgNode, ctx) : 'Custom';
        const nameNode = parts.keywords.get('name')?.value ?? parts.positional[1];
        const registered = nameNode ? stringValue(nameNode, ctx) : ctx.textOf(fname);
        if (pkg !== null && registered !== null && `${pkg}>${registered}` === name) {
          found.push(fname);
        }
      }
    }
  }
  const texts = new Set(found.map(f => ctx.textOf(f)));
  return texts.size === 1 ? found[found.length - 1] : null;
}

function checkName(literal: SyntaxNode, ctx: RuleContext): void {
  const name = stringValue(literal, ctx);
  if (name === null || name === '' || KERAS3_ACTIVATIONS.has(name)) {
    return;
  }
  const f = registeredFunction(name, literal, ctx);
  ctx.report(
    literal,
    `Keras 3 knows no activation named "${name}": \`keras.activations.get()\` looks up the built-in names only (Keras 2 also found custom objects registered with \`get_custom_objects()\` or \`register_keras_serializable\`), so this raises "Could not interpret activation function identifier: ${name}" on every backend; pass the function itself.`,
    f
      ? {
          title: `Pass \`${ctx.textOf(f)}\` instead of its registered name`,
          safe: true,
          edits: [{ start: literal.start, end: literal.end, text: ctx.textOf(f) }]
        }
      : null
  );
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const callee = parts ? ctx.resolveKeras(parts.fn) : null;
  if (!parts || !callee) {
    return;
  }
  if (callee === 'keras.activations.get' || callee === 'keras.layers.Activation') {
    const first = parts.positional[0] ?? parts.keywords.get(callee === 'keras.layers.Activation' ? 'activation' : 'identifier')?.value;
    if (first?.type === 'string') {
      checkName(first, ctx);
    }
    return;
  }
  if (!/^keras\.layers\.\w+$/.test(callee)) {
    return;
  }
  for (const keyword of ACTIVATION_KEYWORDS) {
    const value = parts.keywords.get(keyword)?.value;
    if (value?.type === 'string') {
      checkName(value, ctx);
    }
  }
}

export const customActivationName: RuleDefinition = {
  code: 'KM321',
  name: 'custom-activation-name',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15 on TensorFlow, JAX and PyTorch: `Dense(8, activation="swish_beta")`
   * after `get_custom_objects().update({"swish_beta": Activation(swish_beta)})` raises "Could not
   * interpret activation function identifier: swish_beta"; `activation=swish_beta` runs
   * (examples/runnable/serialization_json_custom_objects.py, python_kernel_hooks/tests/claims/custom_activation_name.py).
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['activation', 'recurrent_activation', 'Activation'],
  docs: {
    whatItDoes:
      'Flags a string given as a Keras layer\'s `activation` / `recurrent_activation`, to `Activation(...)` or to `keras.activations.get(...)` that is not one of Keras 3\'s built-in activation names, such as the name of a custom activation registered with `get_custom_objects().update({...})`, `custom_object_scope({...})` or `register_keras_serializable`. When that registration comes earlier in the same cell or file and names the function (`f` or `Activation(f)`), the fix passes the function instead of the string.',
    why:
      'Keras 2 resolved activation names through the registered custom objects as well, so a custom activation registered by name could be used like a built-in one (a widely copied Stack Overflow answer). Keras 3\'s `keras.activations.get()` accepts only its built-in names and callables: the layer raises "Could not interpret activation function identifier: swish_beta" on every backend. Passing the function works on every backend. Not covered by the migration guide.',
    example:
      'import tensorflow as tf\nfrom tensorflow.keras.layers import Activation, Dense\nfrom tensorflow.keras.utils import get_custom_objects\n\ndef swish_beta(x, beta=1.5):\n    return x * tf.sigmoid(beta * x)\n\nget_custom_objects().update({"swish_beta": Activation(swish_beta)})\nlayer = Dense(8, activation="swish_beta")\n',
    useInstead:
      'import tensorflow as tf\nfrom tensorflow.keras.layers import Activation, Dense\nfrom tensorflow.keras.utils import get_custom_objects\n\ndef swish_beta(x, beta=1.5):\n    return x * tf.sigmoid(beta * x)\n\nget_custom_objects().update({"swish_beta": Activation(swish_beta)})\nlayer = Dense(8, activation=swish_beta)\n'
  },
  calls: { resolved: ['keras', 'tensorflow.'] },
  visitors: { call: visitCall }
};
