import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { calleeName } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const left = child(node, 'left');
  const right = child(node, 'right');
  if (!left || !right || right.type !== 'call' || (left.type !== 'pattern_list' && left.type !== 'tuple_pattern' && left.type !== 'list_pattern')) {
    return;
  }
  const fn = child(right, 'function');
  if (!fn || fn.type !== 'attribute' || calleeName(fn, ctx) !== 'evaluate' || ctx.resolve(fn)) {
    return;
  }
  const names = left.children.filter(c => c.type === 'identifier').map(c => ctx.textOf(c));
  // Several loss values unpacked, or a known multi-output model unpacked into more values
  // than a total loss and one metric: the code expects one loss entry per output.
  const losses = names.filter(n => /loss/i.test(n));
  const receiver = child(fn, 'object');
  const binding = receiver?.type === 'identifier' ? ctx.lookup(ctx.textOf(receiver)) : undefined;
  const multiOutput = binding?.kind === 'layer' && binding.multiOutput === true;
  if (losses.length >= 2 || (multiOutput && names.length >= 3)) {
    ctx.report(
      left,
      `\`evaluate()\` of a multi-output model is unpacked per output (${names.join(', ')}); Keras 3.0 to 3.4 return only the total loss and the compiled metrics.`
    );
  }
}

export const perOutputEvaluateLosses: RuleDefinition = {
  code: 'KM081',
  name: 'per-output-evaluate-losses',
  slug: 'multi-output-evaluate',
  severity: 'warning',
  fixAvailability: 'never',
  triggers: ['evaluate'],
  docs: {
    whatItDoes: 'Flags results of `model.evaluate()` unpacked into several loss variables, or unpacked into three or more values when the model is a Functional model built with several outputs: code that reads per-output losses.',
    why:
      'Keras 3.0 to 3.4 stopped reporting one "<output>_loss" entry per output; `evaluate()` returns the total loss plus the metrics you compiled, so the unpacking gets fewer values or the wrong ones (guide section "Multi-output model evaluate()"). Fixed in 3.5, so only reported for older versions.',
    example: 'loss, out_a_loss, out_b_loss = model.evaluate(x, [y_a, y_b])',
    useInstead:
      'model.compile(optimizer="adam", loss=["mse", "mse"], metrics=[["mae"], ["mae"]])\nresults = model.evaluate(x, [y_a, y_b], return_dict=True)'
  },
  // Findings are on an unpacked `....evaluate(...)`.
  requires: ['evaluate'],
  visitors: { assignment: visit }
};
