import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../rule-helpers';

/** Private Keras 2 graph-mode helpers people called to make a model thread-safe (Flask apps...). */
const PRIVATE_BUILDERS = new Set(['_make_predict_function', '_make_train_function', '_make_test_function']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || ctx.resolve(parts.fn)) {
    return;
  }
  const method = calleeName(parts.fn, ctx);
  const receiver = child(parts.fn, 'object');
  const attr = parts.fn.children[parts.fn.children.length - 1];
  if (!receiver) {
    return;
  }
  const who = ctx.textOf(receiver);
  if (method === 'predict_classes') {
    ctx.report(
      attr,
      `\`predict_classes()\` is gone from Keras 3 models; use \`np.argmax(${who}.predict(x), axis=-1)\` for a softmax output or \`(${who}.predict(x) > 0.5).astype("int32")\` for a sigmoid one.`
    );
  } else if (method === 'predict_proba' && ctx.isLayerInstance(receiver)) {
    // Only known Keras models: scikit-learn estimators have a real predict_proba().
    ctx.report(attr, `\`predict_proba()\` is gone from Keras 3 models; \`predict()\` returns the same probabilities.`, {
      title: 'Use `predict()`',
      safe: !parts.splat,
      edits: [{ start: attr.start, end: attr.end, text: 'predict' }]
    });
  } else if (PRIVATE_BUILDERS.has(method) && parts.positional.length === 0) {
    ctx.report(attr, `\`${method}()\` is private Keras 2 API that Keras 3 does not have; remove the call (Keras 3 builds its functions on first use).`);
  }
}

export const removedModelMethod: RuleDefinition = {
  code: 'KM171',
  name: 'removed-model-method',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: ['predict_classes', 'predict_proba', '_make_predict_function', '_make_train_function', '_make_test_function'],
  docs: {
    whatItDoes:
      'Flags Keras 2 model methods Keras 3 does not have: `predict_classes()`, `predict_proba()` on Keras models, and the private `_make_predict_function()` family.',
    why:
      'These calls raise AttributeError on Keras 3 (predict_classes and predict_proba were already gone from TensorFlow 2.6). Not covered by the migration guide. `predict_proba()` returned exactly what `predict()` returns, so that rename is safe; `predict_classes()` depends on the output activation and is rewritten by hand.',
    example: 'probs = model.predict_proba(x)\nlabels = model.predict_classes(x)',
    useInstead: 'probs = model.predict(x)\nlabels = np.argmax(model.predict(x), axis=-1)'
  },
  calls: { names: ['predict_classes', 'predict_proba', ...PRIVATE_BUILDERS] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['predict_classes', 'predict_proba', ...PRIVATE_BUILDERS],
  visitors: { call: visit }
};
