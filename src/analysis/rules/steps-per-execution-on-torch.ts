/**
 * steps-per-execution-on-torch (KM285)
 *
 * What it does: flags `compile(..., steps_per_execution=N)` with N a number literal above 1.
 *
 * Why: Keras 3's PyTorch trainer runs one step per call: `fit()`, `evaluate()` and `predict()` raise
 * "`steps_per_execution` must be 1 with the PyTorch backend" (checked on Keras 3.15;
 * claims/steps_per_execution_on_torch.py). TensorFlow and JAX run several steps per execution as
 * Keras 2 did on TensorFlow (TensorFlow's evaluator and fault-tolerance migration guides).
 *
 * Fix (safe): `steps_per_execution=1 if keras.backend.backend() == "torch" else N`; TensorFlow and
 * JAX run what they ran.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { calleeName, callParts } from '../rule-helpers';

/** The integer a literal spells, or null (a name is not followed: the statement assigning it may not be analysed). */
function integerValue(value: SyntaxNode, ctx: RuleContext): number | null {
  return value.type === 'integer' && /^\d+$/.test(ctx.textOf(value)) ? Number(ctx.textOf(value)) : null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'compile') {
    return;
  }
  const value = parts.keywords.get('steps_per_execution')?.value;
  const steps = value ? integerValue(value, ctx) : null;
  if (!value || steps === null || steps <= 1) {
    return;
  }
  const keras = ctx.kerasImportEdit();
  ctx.report(
    child(parts.keywords.get('steps_per_execution')!.node, 'name') ?? value,
    `\`steps_per_execution=${ctx.textOf(value)}\`: Keras 3 on PyTorch runs one step per execution, and \`fit()\`, \`evaluate()\` and \`predict()\` raise "\`steps_per_execution\` must be 1 with the PyTorch backend"; TensorFlow and JAX run ${steps} steps per execution as before. Use 1 on PyTorch.`,
    {
      title: 'Use `steps_per_execution=1` on PyTorch',
      safe: true,
      edits: [{ start: value.start, end: value.end, text: `1 if keras.backend.backend() == "torch" else ${ctx.textOf(value)}` }, ...(keras ? [keras] : [])]
    }
  );
}

export const stepsPerExecutionOnTorch: RuleDefinition = {
  code: 'KM285',
  name: 'steps-per-execution-on-torch',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError at fit/evaluate/predict on PyTorch (Keras 3.15; claims/steps_per_execution_on_torch.py). */
  blocks: ['torch'],
  fixAvailability: 'always',
  triggers: ['compile'],
  docs: {
    whatItDoes: 'Flags `compile(..., steps_per_execution=N)` with N a number literal above 1 (a name or a value chosen per backend is left alone).',
    why:
      'Keras 3\'s PyTorch trainer runs one training, test or predict step per call: with `steps_per_execution` above 1, `fit()`, `evaluate()` and `predict()` raise "`steps_per_execution` must be 1 with the PyTorch backend" (checked on Keras 3.15). TensorFlow and JAX run several steps per execution, as Keras 2 did on TensorFlow (TensorFlow\'s evaluator and fault-tolerance migration guides compile with `steps_per_execution=10`). The fix (safe) keeps the value on TensorFlow and JAX and uses 1 on PyTorch; it only changes how many steps run per call, so batch-level callbacks are called after every step there.',
    example: 'import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", steps_per_execution=10)',
    useInstead: 'import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", steps_per_execution=1 if keras.backend.backend() == "torch" else 10)'
  },
  calls: { names: ['compile'] },
  requires: ['steps_per_execution'],
  visitors: { call: visit }
};
