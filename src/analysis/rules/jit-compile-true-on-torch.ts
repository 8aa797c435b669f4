/**
 * jit-compile-true-on-torch (KM304)
 *
 * What it does: flags `model.compile(..., jit_compile=True)`.
 *
 * Why: in Keras 2 `jit_compile=True` meant XLA, TensorFlow's compiler. Keras 3 hands the flag to the
 * backend: on JAX it is `jax.jit` (as by default), on PyTorch it runs the train, test and predict
 * steps through `torch.compile`, which compiles for a long time on a CPU (tens of seconds for a
 * small convnet, many minutes for a real one; again for each new batch shape, as the last partial
 * batch) where the same program runs eagerly in seconds. `jit_compile="auto"`, Keras 3's default,
 * keeps XLA on TensorFlow and JAX where the model supports it (on TensorFlow only with a GPU or TPU)
 * and runs eagerly on PyTorch. Not covered by the migration guide's sections (its XLA section is
 * about TensorFlow's default).
 *
 * Example:
 *   model.compile(optimizer="adam", loss="mse", jit_compile=True)
 *
 * Use instead:
 *   model.compile(optimizer="adam", loss="mse", jit_compile="auto")
 *
 * Fix (safe): `True` becomes `"auto"`. The program computes the same model; only how the steps are
 * compiled changes (and where XLA would have refused an op, "auto" falls back instead of failing).
 * A value read from a name (`jit_compile=USE_XLA`) is left alone. No backend is claimed: the
 * program runs everywhere, slowly on PyTorch.
 */
import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'compile') {
    return;
  }
  const keyword = parts.keywords.get('jit_compile');
  if (!keyword || keyword.value.type !== 'true') {
    return;
  }
  ctx.report(
    keyword.value,
    'Keras 3 runs `compile(jit_compile=True)` on PyTorch through `torch.compile`, which compiles each step for a long time on a CPU (and again for each new batch shape), where Keras 2 meant XLA; `jit_compile="auto"` keeps XLA on TensorFlow and JAX where the model supports it and runs eagerly on PyTorch.',
    {
      title: 'Use `jit_compile="auto"`',
      safe: true,
      edits: [{ start: keyword.value.start, end: keyword.value.end, text: '"auto"' }]
    }
  );
}

export const jitCompileTrueOnTorch: RuleDefinition = {
  code: 'KM304',
  name: 'jit-compile-true-on-torch',
  slug: 'jit-compile',
  severity: 'warning',
  /** Runs on every backend (torch.compile is slow, not wrong). */
  blocks: [],
  fixAvailability: 'always',
  // `model.compile(...)` on a model the analysis cannot type (returned by a helper, loaded).
  triggers: ['compile'],
  docs: {
    whatItDoes: 'Flags `model.compile(..., jit_compile=True)` (the literal `True`; a value read from a name is left alone).',
    why: 'In Keras 2 `jit_compile=True` meant XLA. Keras 3 hands the flag to the backend: on PyTorch it runs the train, test and predict steps through `torch.compile`, which compiles for a long time on a CPU (27 s against under a second on JAX for a small convnet\'s first epoch, checked with Keras 3.15 and PyTorch 2.13; many minutes for keras.io\'s image classification from scratch) and again for each new batch shape. `jit_compile="auto"`, Keras 3\'s default, keeps XLA on TensorFlow and JAX where the model supports it (on TensorFlow only with a GPU or TPU) and runs eagerly on PyTorch. Not covered by the migration guide. The fix is safe: the model and its values are the same, only how the steps are compiled changes (where XLA would refuse an op, "auto" falls back instead of failing). No backend is claimed: the program runs on all three.',
    example: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", jit_compile=True)',
    useInstead: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", jit_compile="auto")'
  },
  calls: { names: ['compile'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['compile'],
  visitors: { call: visit }
};
