import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, kerasMethodName, tfApiName } from '../rule-helpers';

/** TF APIs XLA cannot compile. */
const XLA_UNSUPPORTED = /^tf\.(strings\.|io\.|ragged\.|py_function$|numpy_function$|compat\.v1\.py_func$|py_func$|as_string$|string_split$|substr$|regex_replace$|audio\.|sets\.)/;
const COMPILED_METHODS = new Set(['call', 'train_step', 'test_step', 'predict_step', 'compute_loss']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = tfApiName(ctx.resolve(parts.fn));
  if (!name || !XLA_UNSUPPORTED.test(name)) {
    return;
  }
  const method = kerasMethodName(ctx);
  const jitFunction = ctx.fn !== null && /tensorflow\.function/.test(ctx.fn.decorators.join(' ')) && /jit_compile\s*=\s*True/.test(decoratorText(ctx));
  if (!(method && COMPILED_METHODS.has(method)) && !jitFunction) {
    return;
  }
  // Holds only while no `jit_compile=False` appears anywhere in the notebook. Keras 3's default
  // (jit_compile="auto") compiles with XLA on a GPU only: on a CPU the step runs (checked by
  // running Keras 3.15 on TensorFlow), so TensorFlow is blocked wherever XLA surely compiles it:
  // a `@tf.function(jit_compile=True)`, or `jit_compile=True` passed somewhere in the notebook.
  ctx.report(
    parts.fn,
    `\`${name}\` cannot be compiled by XLA, and Keras 3 compiles \`${method ?? ctx.fn?.name}\` with jit_compile on GPU by default (and wherever \`jit_compile=True\` is passed); pass \`jit_compile=False\` to compile().`,
    null,
    'jit-off',
    undefined,
    undefined,
    jitFunction ? undefined : { tensorflow: 'anywhere:' + JIT_ON }
  );
}

/** The fact a cell notes when it passes `jit_compile=True` (to `compile()`, a `tf.function`...). */
const JIT_ON = 'jit-compile:on';

function noteJitCompile(node: SyntaxNode, ctx: RuleContext): void {
  if (!node.parent && /\bjit_compile\s*=\s*True\b/.test(ctx.text)) {
    ctx.note(JIT_ON);
  }
}

function decoratorText(ctx: RuleContext): string {
  const fn = ctx.fn!;
  const parent = fn.node.parent;
  return parent && parent.type === 'decorated_definition' ? ctx.text.slice(parent.start, fn.node.start) : '';
}

export const xlaUnsupportedOp: RuleDefinition = {
  code: 'KM021',
  name: 'xla-unsupported-op',
  slug: 'jit-compile',
  severity: 'error',
  fixAvailability: 'never',
  triggers: ['jit_compile'],
  docs: {
    whatItDoes:
      'Flags ops XLA cannot compile (`tf.strings.*`, `tf.io.*`, `tf.py_function`, `tf.numpy_function`, ragged ops) inside `call()`/`train_step()` of Keras classes or `@tf.function(jit_compile=True)` functions, unless the notebook turns jit_compile off.',
    why:
      'Keras 3 compiles training and inference steps with XLA by default on GPU, and XLA has no kernels for these ops, so `fit()` fails with "Detected unsupported operations" (guide section "jit_compile is set to True by default on GPU"). On a CPU the default does not compile with XLA and the step runs (checked by running Keras 3.15): the finding claims to block TensorFlow only where XLA surely compiles it (`jit_compile=True` passed in the notebook, or a `@tf.function(jit_compile=True)`).',
    example:
      'import keras\nimport tensorflow as tf\nclass Tokenize(keras.layers.Layer):\n    def call(self, x):\n        return tf.strings.split(x)\nmodel.compile(optimizer="adam", loss="mse")',
    useInstead: 'model.compile(optimizer="adam", loss="mse", jit_compile=False)'
  },
  /**
   * TensorFlow only (JAX and PyTorch never compile TF ops with XLA; the TF ops themselves are other
   * rules' findings), and there only where XLA surely compiles the step: each finding says so.
   */
  blocks: ['tensorflow'],
  calls: { resolved: ['tensorflow.'] },
  visitors: { call: visit, module: noteJitCompile }
};
