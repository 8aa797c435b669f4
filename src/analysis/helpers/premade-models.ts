/**
 * Keras 3 sources of Keras 2's premade models `keras.experimental.LinearModel` and
 * `keras.experimental.WideDeepModel` (tf_keras/src/premade_models: linear.py, wide_deep.py), which
 * Keras 3 dropped, and the fix that defines them in the program and calls them. Not a rule.
 */
import { moduleLineStart, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext } from '../rule';
import { withKerasImport } from './calls';
import { importReplacedByDefinitions } from './import-replacement';

export type PremadeModel = 'LinearModel' | 'WideDeepModel';

/**
 * LinearModel: one zero-initialised kernel per input (of a list, or of a dict by sorted key, as
 * Keras 2 did), summed, plus a bias, then the activation; a keras.Model, as Keras 2's was (it can
 * be compiled and fit by itself), registered so that a saved `.keras` model loads it back.
 */
const LINEAR_MODEL = [
  '@keras.saving.register_keras_serializable()',
  'class LinearModel(keras.Model):',
  "    \"\"\"Keras 2's keras.experimental.LinearModel (dropped in Keras 3), written with Keras 3 layers: one",
  '    zero-initialised kernel per input (of a list, or of a dict by sorted key), summed, plus a bias."""',
  '',
  '    def __init__(self, units=1, activation=None, use_bias=True, kernel_initializer="zeros", bias_initializer="zeros",',
  '                 kernel_regularizer=None, bias_regularizer=None, **kwargs):',
  '        super().__init__(**kwargs)',
  '        self.units = units',
  '        self.activation = keras.activations.get(activation)',
  '        self.use_bias = use_bias',
  '        self.kernel_initializer = keras.initializers.get(kernel_initializer)',
  '        self.bias_initializer = keras.initializers.get(bias_initializer)',
  '        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)',
  '        self.bias_regularizer = keras.regularizers.get(bias_regularizer)',
  '',
  '    def build(self, input_shape):',
  '        def dense(name):',
  '            return keras.layers.Dense(self.units, use_bias=False, kernel_initializer=self.kernel_initializer,',
  '                                      kernel_regularizer=self.kernel_regularizer, name=name)',
  '',
  '        if isinstance(input_shape, dict):',
  '            self.input_names_ = sorted(input_shape)',
  '            self.dense_layers = [dense(name) for name in self.input_names_]',
  '            shapes = [input_shape[name] for name in self.input_names_]',
  '        elif isinstance(input_shape, (list, tuple)) and input_shape and all(isinstance(s, (list, tuple)) for s in input_shape):',
  '            self.dense_layers = [dense(f"linear_{i}") for i in range(len(input_shape))]',
  '            shapes = list(input_shape)',
  '        else:',
  '            self.dense_layers = [dense("linear")]',
  '            shapes = [input_shape]',
  '        for layer, shape in zip(self.dense_layers, shapes):',
  '            layer.build(shape)',
  '        if self.use_bias:',
  '            self.bias = self.add_weight(name="bias", shape=(self.units,), initializer=self.bias_initializer,',
  '                                        regularizer=self.bias_regularizer)',
  '',
  '    def call(self, inputs):',
  '        if isinstance(inputs, dict):',
  '            inputs = [inputs[name] for name in self.input_names_]',
  '        elif not isinstance(inputs, (list, tuple)):',
  '            inputs = [inputs]',
  '        result = None',
  '        for value, layer in zip(inputs, self.dense_layers):',
  '            output = layer(value)',
  '            result = output if result is None else result + output',
  '        if self.use_bias:',
  '            result = result + self.bias',
  '        return self.activation(result) if self.activation is not None else result',
  '',
  '    def get_config(self):',
  '        config = super().get_config()',
  '        config.update({',
  '            "units": self.units,',
  '            "activation": keras.activations.serialize(self.activation),',
  '            "use_bias": self.use_bias,',
  '            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),',
  '            "bias_initializer": keras.initializers.serialize(self.bias_initializer),',
  '            "kernel_regularizer": keras.regularizers.serialize(self.kernel_regularizer),',
  '            "bias_regularizer": keras.regularizers.serialize(self.bias_regularizer),',
  '        })',
  '        return config'
].join('\n');

/**
 * WideDeepModel: activation(linear_model(x) + dnn_model(x)), or of `[linear_inputs, dnn_inputs]`.
 * Keras 2 trained each part with its own optimizer when compiled with a list of two; Keras 3
 * compiles a model with one, so the last (the DNN's) trains both, with a warning. It has no weights
 * of its own, so it is built when both parts are (load_weights right after construction works).
 */
const WIDE_DEEP_MODEL = [
  'class WideDeepModel(keras.Model):',
  "    \"\"\"Keras 2's keras.experimental.WideDeepModel (dropped in Keras 3): activation(linear_model(x) + dnn_model(x)),",
  "    or of ([linear_inputs, dnn_inputs]). Keras 3 compiles a model with one optimizer: given Keras 2's list of",
  '    two (one per part), both parts train with the last one."""',
  '',
  '    def __init__(self, linear_model, dnn_model, activation=None, **kwargs):',
  '        super().__init__(**kwargs)',
  '        self.linear_model = linear_model',
  '        self.dnn_model = dnn_model',
  '        self.activation = keras.activations.get(activation)',
  '        # No weights of its own: built once both parts are (then load_weights takes it as it is).',
  '        self.built = linear_model.built and dnn_model.built',
  '',
  '    def call(self, inputs):',
  '        if isinstance(inputs, (list, tuple)) and len(inputs) == 2:',
  '            linear_inputs, dnn_inputs = inputs',
  '        else:',
  '            linear_inputs = dnn_inputs = inputs',
  '        output = keras.tree.map_structure(lambda a, b: a + b, self.linear_model(linear_inputs), self.dnn_model(dnn_inputs))',
  '        if self.activation is not None:',
  '            output = keras.tree.map_structure(self.activation, output)',
  '        return output',
  '',
  '    def compile(self, optimizer="rmsprop", **kwargs):',
  '        if isinstance(optimizer, (list, tuple)):',
  '            import warnings',
  '',
  '            warnings.warn("WideDeepModel: Keras 3 trains a model with one optimizer; both parts use the last one")',
  '            optimizer = optimizer[-1]',
  '        super().compile(optimizer=optimizer, **kwargs)'
].join('\n');

export const PREMADE_CLASSES: Record<PremadeModel, string> = { LinearModel: LINEAR_MODEL, WideDeepModel: WIDE_DEEP_MODEL };

const MARKER: Record<PremadeModel, string> = {
  LinearModel: "Keras 2's keras.experimental.LinearModel (dropped in Keras 3)",
  WideDeepModel: "Keras 2's keras.experimental.WideDeepModel (dropped in Keras 3)"
};

/** `keras.experimental.LinearModel` (any Keras 2 spelling) -> its class name; undefined for other names. */
export function premadeModelOf(kerasName: string): PremadeModel | undefined {
  const m = /^keras\.(?:experimental|premade|premade_models)\.(LinearModel|WideDeepModel)$/.exec(kerasName);
  return m ? (m[1] as PremadeModel) : undefined;
}

export function premadeTitle(names: PremadeModel[]): string {
  const spelled = names.map(n => `\`${n}\``).join(' and ');
  const optimizers = names.includes('WideDeepModel') ? '; a list of two optimizers becomes its last one, for both parts' : '';
  return `Define Keras 2's ${spelled} in the program (written with Keras 3 layers${optimizers})`;
}

/**
 * Whether the cell already binds `name`: our class (defined: nothing to add), another definition
 * or assignment of that name (the fix would call the wrong thing: no fix), or nothing.
 */
function bindingOf(name: PremadeModel, ctx: RuleContext): 'ours' | 'other' | 'none' {
  if (ctx.text.includes(MARKER[name])) {
    return 'ours';
  }
  const other = new RegExp(`^[ \\t]*(class|def)[ \\t]+${name}\\b|^[ \\t]*${name}[ \\t]*=|import[^\\n]*\\bas[ \\t]+${name}\\b`, 'm');
  return other.test(ctx.text) ? 'other' : 'none';
}

/** The premade models a tree calls through a Keras 2 spelling (`keras.experimental.LinearModel(...)`). */
function premadeCalls(node: SyntaxNode, ctx: RuleContext, found: Set<PremadeModel>): Set<PremadeModel> {
  if (node.type === 'call') {
    const fn = node.children.find(c => c.field === 'function');
    const name = fn && fn.type === 'attribute' ? ctx.resolveKeras(fn) : null;
    const premade = name ? premadeModelOf(name) : undefined;
    if (premade) {
      found.add(premade);
    }
  }
  for (const c of node.children) {
    premadeCalls(c, ctx, found);
  }
  return found;
}

/**
 * Where the classes go and which: before the cell's first top-level statement that calls a
 * Keras 2 premade model, the ones the cell calls, in a fixed order (every fix of the cell inserts
 * the same text at the same place: identical edits apply once).
 */
function insertion(node: SyntaxNode, ctx: RuleContext): { before: SyntaxNode; names: PremadeModel[] } | null {
  let statement: SyntaxNode | null = node;
  while (statement && statement.parent && statement.parent.type !== 'module') {
    statement = statement.parent;
  }
  if (!statement || !statement.parent) {
    return null;
  }
  let before: SyntaxNode | null = null;
  const found = new Set<PremadeModel>();
  for (const s of statement.parent.children) {
    const size = found.size;
    premadeCalls(s, ctx, found);
    if (!before && found.size > size) {
      before = s;
    }
  }
  return before ? { before, names: (['LinearModel', 'WideDeepModel'] as PremadeModel[]).filter(n => found.has(n)) } : null;
}

/**
 * `keras.experimental.WideDeepModel(...)` (the attribute `node` is the callee): calls the
 * program's own class, defined (with the other premade models the cell calls) before the
 * cell's first use, unless the cell has it. Null where the name is bound to something else.
 */
export function premadeCallFix(node: SyntaxNode, name: PremadeModel, ctx: RuleContext): RawFix | null {
  if (node.parent?.type !== 'call' || node.field !== 'function') {
    return null;
  }
  const place = insertion(node, ctx);
  if (!place || place.names.some(n => bindingOf(n, ctx) === 'other')) {
    return null;
  }
  const missing = place.names.filter(n => bindingOf(n, ctx) === 'none');
  const edits: OffsetEdit[] = [{ start: node.start, end: node.end, text: name }];
  if (missing.length > 0) {
    const at = moduleLineStart(place.before, ctx.text);
    const prior = ctx.text.slice(0, at);
    const lead = at === 0 || /\n[ \t]*\n[ \t]*\n$/.test(prior) ? '' : /\n[ \t]*\n$/.test(prior) ? '\n' : '\n\n';
    edits.push({ start: at, end: at, text: lead + missing.map(n => PREMADE_CLASSES[n]).join('\n\n\n') + '\n\n\n' });
  }
  return { title: premadeTitle([name]), safe: false, edits: withKerasImport(ctx, edits) };
}

/**
 * `from tensorflow.keras.experimental import LinearModel, WideDeepModel` (only premade models,
 * not renamed, at the cell's top level): the import goes and the classes are defined after the
 * imports that follow it directly.
 */
export function premadeImportFix(statement: SyntaxNode, ctx: RuleContext): RawFix | null {
  if (statement.parent?.type !== 'module') {
    return null;
  }
  const names = statement.children.filter(c => c.field === 'name');
  const wanted = names.map(n => (n.type === 'dotted_name' ? ctx.textOf(n) : '')) as PremadeModel[];
  if (wanted.length === 0 || !wanted.every(n => n === 'LinearModel' || n === 'WideDeepModel') || wanted.some(n => bindingOf(n, ctx) !== 'none')) {
    return null;
  }
  const classes = wanted.map(n => PREMADE_CLASSES[n]).join('\n\n\n');
  const edits = importReplacedByDefinitions(statement, classes, ctx);
  return { title: premadeTitle(wanted), safe: false, edits: withKerasImport(ctx, edits) };
}
