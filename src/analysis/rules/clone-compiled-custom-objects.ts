/**
 * What it does: flags a custom loss or metric function named in `compile()`, an unregistered `Loss`
 * or `Metric` subclass whose instance compile() gets, and an unregistered `LearningRateSchedule`
 * subclass, in a program that compiles a model and clones one with `keras.models.clone_model`.
 * Why: Keras 2's `clone_model` copied the layers only. Keras 3 (3.15 checked; 3.6 did not) also
 * compiles the clone from the original's compile config, which deserializes the optimizer (and its
 * learning rate schedule), losses and metrics by registered name: an unregistered custom object
 * raises "Could not locate class/function" on every backend.
 * Example: `def masked_loss(y, p): ...; model.compile(loss=masked_loss); keras.models.clone_model(model)`.
 * Use instead: decorate the definition with `@keras.saving.register_keras_serializable()`.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue, withKerasImport } from '../rule-helpers';
import { isRegistered, registrationDecoratorEdit } from '../helpers/registration';

/** Noted where the program clones a model with `clone_model`. */
const CLONED = 'model-cloned';
/** Noted where the program calls `.compile(...)`. */
const COMPILED = 'model-compiled';
/** Noted for each name passed to compile() as a loss or metric: `compile-object:NAME`. */
const COMPILE_OBJECT = 'compile-object:';
/**
 * Noted for each class whose instance compile() gets as a loss or metric (`metrics=[KID()]`, or a
 * name assigned `KID()`): `compile-class:NAME`. A metric a model only holds as an attribute
 * (keras.io GAN ADA's `self.kid = KID()`) is not in the compile config the clone is compiled from.
 */
const COMPILE_CLASS = 'compile-class:';

/** The class called in `node` (`KID()`), or in the value last assigned to the name `node` is, or null. */
function instantiatedClass(node: SyntaxNode, ctx: RuleContext): string | null {
  const value = node.type === 'identifier' ? lastAssignedValue(ctx.textOf(node), node, ctx) : node;
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  return fn?.type === 'identifier' && /^[A-Z]/.test(ctx.textOf(fn)) ? ctx.textOf(fn) : null;
}

const CUSTOM_BASE = /^keras\.(optimizers\.schedules\.(learning_rate_schedule\.)?LearningRateSchedule|losses\.Loss|metrics\.Metric)$/;

/** The values in a compile() argument: the argument, or the elements of a list, tuple or dict. */
function valuesIn(node: SyntaxNode, out: SyntaxNode[]): void {
  if (node.type === 'list' || node.type === 'tuple') {
    node.children.forEach(c => valuesIn(c, out));
  } else if (node.type === 'dictionary') {
    node.children.forEach(pair => {
      const value = pair.type === 'pair' ? child(pair, 'value') : null;
      if (value) {
        valuesIn(value, out);
      }
    });
  } else if (node.type === 'identifier' || node.type === 'call') {
    out.push(node);
  }
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  if (ctx.resolveKeras(parts.fn) === 'keras.models.clone_model') {
    ctx.note(CLONED);
    return;
  }
  const attr = parts.fn.type === 'attribute' ? child(parts.fn, 'attribute') : null;
  if (!attr || ctx.textOf(attr) !== 'compile') {
    return;
  }
  ctx.note(COMPILED);
  const args = [parts.positional[1], parts.positional[2], ...['loss', 'metrics', 'weighted_metrics'].map(k => parts.keywords.get(k)?.value)];
  const values: SyntaxNode[] = [];
  args.forEach(a => a && valuesIn(a, values));
  for (const value of values) {
    if (value.type === 'identifier') {
      ctx.note(COMPILE_OBJECT + ctx.textOf(value));
    }
    const cls = instantiatedClass(value, ctx);
    if (cls) {
      ctx.note(COMPILE_CLASS + cls);
    }
  }
}

/** Whether the definition sits at module level (a notebook cell's top level). */
function atTopLevel(def: SyntaxNode): boolean {
  const up = def.parent && def.parent.type === 'decorated_definition' ? def.parent.parent : def.parent;
  return !!up && up.type === 'module';
}

function report(node: SyntaxNode, nameNode: SyntaxNode, what: string, onlyIf: string, ctx: RuleContext): void {
  const name = ctx.textOf(nameNode);
  const edits: OffsetEdit[] = [registrationDecoratorEdit(node, ctx)];
  ctx.report(
    nameNode,
    `\`${name}\` is ${what} of a compiled model this program clones with \`clone_model\`: Keras 3 compiles the clone from the model's compile config and finds custom objects only by registered name ("Could not locate ${what.startsWith('a custom') && what.includes('class') ? 'class' : 'function'} '${name}'"); Keras 2 cloned the layers only. Register it with \`@keras.saving.register_keras_serializable()\`.`,
    { title: 'Register it with `@keras.saving.register_keras_serializable()`', safe: true, edits: withKerasImport(ctx, edits) },
    undefined,
    onlyIf
  );
}

function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const nameNode = child(node, 'name');
  if (!nameNode || !atTopLevel(node) || isRegistered(node, ctx)) {
    return;
  }
  const name = ctx.textOf(nameNode);
  report(node, nameNode, 'a loss or metric function', `anywhere:${COMPILE_OBJECT}${name} & anywhere:${CLONED}`, ctx);
}

function visitClass(node: SyntaxNode, ctx: RuleContext): void {
  const nameNode = child(node, 'name');
  const bases = child(node, 'superclasses');
  if (!nameNode || !bases || !atTopLevel(node) || isRegistered(node, ctx)) {
    return;
  }
  const base = bases.children.map(b => ctx.resolveKeras(b) ?? '').find(b => CUSTOM_BASE.test(b));
  if (!base) {
    return;
  }
  const body = child(node, 'body');
  const methods = body ? body.children.map(s => (s.type === 'decorated_definition' ? child(s, 'definition') : s)).filter((s): s is SyntaxNode => !!s && s.type === 'function_definition') : [];
  const hasConfig = methods.some(m => ctx.textOf(child(m, 'name') ?? m) === 'get_config');
  // A schedule without get_config cannot be serialized at all (NotImplementedError): registering would not help.
  if (/LearningRateSchedule$/.test(base) && !hasConfig) {
    return;
  }
  const kind = /LearningRateSchedule$/.test(base) ? 'learning rate schedule' : /Loss$/.test(base) ? 'loss' : 'metric';
  // A schedule is in the optimizer's config whenever a model is compiled; a loss or metric only where compile() gets one.
  const used = kind === 'learning rate schedule' ? COMPILED : COMPILE_CLASS + ctx.textOf(nameNode);
  report(node, nameNode, `a custom ${kind} class`, `anywhere:${used} & anywhere:${CLONED}`, ctx);
}

export const cloneCompiledCustomObjects: RuleDefinition = {
  code: 'KM237',
  name: 'clone-compiled-custom-objects',
  slug: 'api-changes',
  // clone_model compiles the clone since Keras 3.9 (keras/src/models/cloning.py: 3.8 has no compile_from_config there).
  kerasVersions: [{ from: '3.9' }],
  severity: 'error',
  // Checked by running Keras 3.15: clone_model of a compiled model whose loss / metric function,
  // Loss class or optimizer's LearningRateSchedule class is unregistered raises "Could not locate
  // class/function" on TensorFlow, JAX and PyTorch (Keras 3.6 cloned without compiling).
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['clone_model', 'compile'],
  docs: {
    whatItDoes:
      'Flags a loss or metric function named in `compile()`, an unregistered `Loss` or `Metric` subclass whose instance `compile()` gets (`metrics=[MyMetric()]`, or a name assigned one), and an unregistered `LearningRateSchedule` subclass (with `get_config`), in a program that compiles a model and clones one with `keras.models.clone_model`. A metric a model only holds as an attribute (updated by its own train_step) is not in the compile config and is not flagged.',
    why:
      'Keras 2\'s `clone_model` copied the layers only. Keras 3.9 and later (3.15 run; the 3.8 source does not, and Keras 3.6 did not when run) compile the clone of a compiled model from the original\'s compile config, deserializing the optimizer with its learning rate schedule, the losses and the metrics by registered name: an unregistered custom object raises "Could not locate class \'...\'" or "Could not locate function \'...\'" on every backend. Registering it is what makes the clone compile; it is safe because nothing else changes.',
    example:
      'import keras\ndef masked_loss(y_true, y_pred):\n    return keras.ops.mean(keras.ops.square(y_true - y_pred))\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", loss=masked_loss)\nbest = keras.models.clone_model(model)',
    useInstead:
      'import keras\n@keras.saving.register_keras_serializable()\ndef masked_loss(y_true, y_pred):\n    return keras.ops.mean(keras.ops.square(y_true - y_pred))\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", loss=masked_loss)\nbest = keras.models.clone_model(model)'
  },
  // Its findings hold only where a `clone_model` call was noted.
  requires: ['clone_model'],
  visitors: { function_definition: visitFunction, class_definition: visitClass, call: visitCall }
};
