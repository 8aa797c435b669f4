import type { SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || ctx.resolveKeras(parts.fn) !== 'keras.layers.ThresholdedReLU') {
    return;
  }
  const fnText = ctx.textOf(parts.fn);
  const edits: OffsetEdit[] = [{ start: parts.fn.start, end: parts.fn.end, text: fnText.replace(/ThresholdedReLU$/, 'ReLU') }];
  const theta = parts.keywords.get('theta');
  let safe = !parts.splat;
  if (theta) {
    edits.push({ start: theta.name.start, end: theta.name.end, text: 'threshold' });
  } else if (parts.positional.length === 1) {
    // ReLU's first positional parameter is max_value: the threshold must be named.
    edits.push({ start: parts.positional[0].start, end: parts.positional[0].start, text: 'threshold=' });
  } else if (parts.positional.length === 0 && parts.args) {
    // Keras 2's default theta was 1.0; ReLU's threshold defaults to 0.
    const at = parts.args.end - 1;
    edits.push({ start: at, end: at, text: parts.keywords.size ? ', threshold=1.0' : 'threshold=1.0' });
  } else {
    safe = false;
  }
  ctx.report(node, '`ThresholdedReLU` was removed in Keras 3; use `ReLU(threshold=theta)`.', {
    title: 'Use `ReLU(threshold=...)`',
    safe,
    edits
  });
}

export const thresholdedRelu: RuleDefinition = {
  code: 'KM121',
  name: 'thresholded-relu',
  slug: 'removed-features',
  severity: 'error',
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `ThresholdedReLU(theta)` layers.',
    why:
      'Keras 3 removed the ThresholdedReLU layer; `ReLU` has a `threshold` argument that does the same (guide section "Removed features"). The default theta of 1.0 is written out because ReLU\'s threshold defaults to 0.',
    example: 'import keras\nact = keras.layers.ThresholdedReLU(theta=0.5)',
    useInstead: 'import keras\nact = keras.layers.ReLU(threshold=0.5)'
  },
  calls: { resolved: KERAS_CALLEES },
  // Findings are on calls resolving to `keras.layers.ThresholdedReLU` (a resolved name's last part is in the source).
  requires: ['ThresholdedReLU'],
  visitors: { call: visit }
};
