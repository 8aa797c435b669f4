import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { escapeRegExp, lineStartAt } from '../rule-helpers';
import { classMethodDefinitions } from '../helpers/model-code';
import { codeOnly } from '../helpers/code-text';

/** The step's gradients of the loss over all the model's trainable variables, and their accumulators. */
const APPLY_ACCUMULATED = /apply_gradients\(\s*zip\(\s*self\.(\w+)\s*,\s*self\.trainable_(?:variables|weights)\s*\)\s*\)/;
/** `self.n_acum_step.assign_add(1)`: the step counter. */
const COUNTER_STEP = /self\.(\w+)\.assign_add\(\s*1\s*\)/;

/** The number of steps a counter is compared with: `equal(self.c, N)`, `self.c == N`, `floormod(self.c, N)`, `self.c % N`. */
function accumulationSteps(text: string, counter: string): string | null {
  const c = `self\\.${escapeRegExp(counter)}`;
  const operand = '(self\\.\\w+|\\d+|[A-Za-z_]\\w*)';
  for (const pattern of [`equal\\(\\s*${c}\\s*,\\s*${operand}\\s*\\)`, `${c}\\s*==\\s*${operand}`, `floormod\\(\\s*${c}\\s*,\\s*${operand}\\s*\\)`, `mod\\(\\s*${c}\\s*,\\s*${operand}\\s*\\)`, `${c}\\s*%\\s*${operand}`]) {
    const m = new RegExp(pattern).exec(text);
    if (m) {
      return m[1];
    }
  }
  return null;
}

/** The whole lines of a statement, line break included. */
function statementLines(stmt: SyntaxNode, text: string): { start: number; end: number } {
  const start = lineStartAt(text, stmt.start);
  let end = stmt.end;
  while (end < text.length && text[end] !== '\n') {
    end++;
  }
  return { start, end: Math.min(end + 1, text.length) };
}

/** The statements of `__init__` (directly in its body) assigning `self.<name>`. */
function initAssignments(init: SyntaxNode, names: string[], ctx: RuleContext): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const stmt of child(init, 'body')?.children ?? []) {
    const assignment = stmt.type === 'expression_statement' ? stmt.children[0] : null;
    const left = assignment?.type === 'assignment' ? child(assignment, 'left') : null;
    if (left?.type === 'attribute' && ctx.textOf(child(left, 'object')!) === 'self' && names.includes(ctx.textOf(child(left, 'attribute')!))) {
      out.push(stmt);
    }
  }
  return out;
}

/** The outer node of a method (its decorated definition, if decorated). */
const outerOf = (def: SyntaxNode): SyntaxNode => (def.parent?.type === 'decorated_definition' ? def.parent : def);

/**
 * Whether the step is Keras's default step but for the accumulation: the model run on x under the
 * tape, the compiled loss (or compute_loss), the compiled metrics (or compute_metrics) on y and the
 * prediction, and the metrics' results returned.
 */
function defaultStepOtherwise(step: string): boolean {
  return (
    /self\(\s*x\s*,\s*training\s*=\s*True\s*\)/.test(step) &&
    /\b(compiled_loss|compute_loss)\(/.test(step) &&
    /\b(compiled_metrics\.update_state|compute_metrics)\(/.test(step) &&
    /return\s+(\{\s*m\.name\s*:\s*m\.result\(\)\s+for\s+m\s+in\s+self\.metrics\s*\}|self\.get_metrics_result\(\))/.test(step) &&
    !/\bself\.optimizer\.(?!apply_gradients)\w+/.test(step)
  );
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const cls = ctx.cls;
  const nameNode = child(node, 'name');
  if (!cls || cls.keras !== 'model' || !nameNode || ctx.textOf(nameNode) !== 'train_step' || outerOf(node).parent !== child(cls.node, 'body')) {
    return;
  }
  const step = ctx.textOf(node);
  const counter = COUNTER_STEP.exec(step)?.[1];
  if (!/GradientTape/.test(step) || !counter) {
    return;
  }
  const methods = classMethodDefinitions(cls.node, ctx);
  // The method applying the accumulated gradients: the step itself, or one it calls (`tf.cond(..., self.apply_accu_gradients, ...)`).
  let applier: SyntaxNode | null = null;
  let accumulators: string | null = null;
  for (const [name, def] of methods) {
    const m = APPLY_ACCUMULATED.exec(ctx.textOf(def));
    if (m && (def === node || new RegExp(`self\\.${escapeRegExp(name)}\\b`).test(step))) {
      applier = def;
      accumulators = m[1];
      break;
    }
  }
  if (!applier || !accumulators) {
    return;
  }
  const acc = escapeRegExp(accumulators);
  const accumulates = new RegExp(`self\\.${acc}\\[\\w+\\]\\.assign_add\\(|zip\\(\\s*self\\.${acc}\\s*,`).test(step) && /\.assign_add\(/.test(step);
  const steps = accumulationSteps(ctx.textOf(cls.node), counter);
  if (!accumulates || !steps) {
    return;
  }
  const init = methods.get('__init__');
  // The counter and the accumulators are read only by the class's own step, applier and __init__.
  const own = [node, applier, init].filter((d): d is SyntaxNode => !!d);
  const code = codeOnly(ctx.text);
  const readElsewhere = [counter, accumulators].some(attr => {
    const re = new RegExp(`\\.${escapeRegExp(attr)}\\b`, 'g');
    for (let m = re.exec(code); m; m = re.exec(code)) {
      if (!own.some(d => d.start <= m!.index && m!.index < d.end)) {
        return true;
      }
    }
    return false;
  });
  const applierName = ctx.textOf(child(applier, 'name')!);
  const applierCalledElsewhere =
    applier !== node && new RegExp(`\\.${escapeRegExp(applierName)}\\b`).test(code.slice(0, node.start) + code.slice(node.end).replace(new RegExp(`def\\s+${escapeRegExp(applierName)}\\b`), ''));
  let fix: RawFix | null = null;
  if (init && defaultStepOtherwise(step) && !methods.has('compile') && !readElsewhere && !applierCalledElsewhere) {
    const stepOuter = outerOf(node);
    const indent = ctx.text.slice(lineStartAt(ctx.text, stepOuter.start), stepOuter.start);
    const body = child(node, 'body');
    const bodyIndent = body ? ctx.text.slice(lineStartAt(ctx.text, body.start), body.start) : '';
    const unit = bodyIndent.startsWith(indent) && bodyIndent.length > indent.length ? bodyIndent.slice(indent.length) : '    ';
    const nSteps = steps.startsWith('self.') || /^\d+$/.test(steps) ? steps : null;
    if (nSteps && /^[ \t]*$/.test(indent)) {
      const compile = [
        `def compile(self, *args, **kwargs):`,
        `${unit}super().compile(*args, **kwargs)`,
        `${unit}# Keras 3 optimizers accumulate gradients themselves: every ${nSteps.replace(/^self\./, '')} steps they apply the mean`,
        `${unit}# of the gradients since the last update (this step applied their sum), on every backend.`,
        `${unit}self.optimizer.gradient_accumulation_steps = int(${nSteps})`
      ]
        .map((l, i) => (i === 0 ? l : indent + l))
        .join('\n');
      const edits: OffsetEdit[] = [{ start: stepOuter.start, end: stepOuter.end, text: compile }];
      if (applier !== node) {
        const range = statementLines(outerOf(applier), ctx.text);
        // The blank lines before the applier go with it.
        let start = range.start;
        while (start > 0 && /^[ \t]*\r?\n$/.test(ctx.text.slice(lineStartAt(ctx.text, start - 1), start))) {
          start = lineStartAt(ctx.text, start - 1);
        }
        edits.push({ start, end: range.end, text: '' });
      }
      for (const stmt of initAssignments(init, [counter, accumulators], ctx)) {
        edits.push({ ...statementLines(stmt, ctx.text), text: '' });
      }
      fix = {
        title: `Let the optimizer accumulate gradients: \`gradient_accumulation_steps\` set in a \`compile()\` override instead of this train_step`,
        safe: false,
        edits
      };
    }
  }
  ctx.report(
    nameNode,
    `This train_step accumulates gradients in variables and applies them every ${steps} steps: Keras 3 optimizers do that themselves on every backend (\`gradient_accumulation_steps=\`), while this tape step runs on TensorFlow only. ` +
      (fix
        ? 'Otherwise the step is Keras\'s own, so it can go, with the counter and the accumulators: a `compile()` override sets the optimizer\'s `gradient_accumulation_steps` (Keras applies the mean of the accumulated gradients where this step applied their sum: the same update for Adam-like optimizers, up to epsilon; steps that many times smaller for SGD).'
        : 'Pass `gradient_accumulation_steps=` to the optimizer and drop the accumulation from the step (or the step, when the rest is Keras\'s default).'),
    fix
  );
}

export const gradientAccumulationTrainStep: RuleDefinition = {
  code: 'KM269',
  name: 'gradient-accumulation-train-step',
  slug: 'custom-train-step',
  severity: 'warning',
  /**
   * No backend is claimed here: the tape step's own findings (KM141) say where it fails. Checked on
   * Keras 3.15.1 by running the Stack Overflow recipe (tests' gradient_accumulation_train_step): as
   * written it runs on TensorFlow only; with the fix it trains on TensorFlow, JAX and PyTorch, the
   * optimizer updating the variables every n steps (`gradient_accumulation_steps` set after the
   * optimizer is made, before it is built, takes effect on all three).
   */
  blocks: [],
  fixAvailability: 'sometimes',
  triggers: ['train_step'],
  docs: {
    whatItDoes:
      'Flags a `train_step()` override that adds each step\'s gradients into accumulator variables (`self.gradient_accumulation[i].assign_add(gradients[i])`) and applies them with `apply_gradients(zip(self.<accumulators>, self.trainable_variables))` when a step counter reaches n (`tf.cond(tf.equal(self.n_acum_step, self.n_gradients), self.apply_accu_gradients, lambda: None)`), the widely copied gradient-accumulation recipe. When the rest of the step is Keras\'s default (the model run on x, the compiled loss and metrics, the metrics\' results returned) and nothing else reads the counter or the accumulators, the fix (a suggestion) deletes the step, the method applying the gradients and the counter and accumulators made in `__init__()`, and adds a `compile()` override setting `self.optimizer.gradient_accumulation_steps` to n.',
    why:
      'A GradientTape train_step runs on TensorFlow only, and the recipe\'s `tf.cond` and `tf.Variable`s tie it to TensorFlow further. Keras 3 optimizers accumulate gradients themselves (`gradient_accumulation_steps`), inside Keras\'s own train_step, on TensorFlow, JAX and PyTorch (checked on Keras 3.15 by running the recipe, as fixed, on all three). Keras applies the mean of the accumulated gradients where the recipe applied their sum: Adam and the other scale-invariant optimizers make the same update up to epsilon, SGD takes n times smaller steps, so the fix is a suggestion.',
    example:
      'import tensorflow as tf\nclass CustomTrainStep(tf.keras.Model):\n    def __init__(self, n_gradients, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        self.n_gradients = n_gradients\n        self.n_acum_step = tf.Variable(0, dtype=tf.int32, trainable=False)\n        self.gradient_accumulation = [tf.Variable(tf.zeros_like(v), trainable=False) for v in self.trainable_variables]\n\n    def train_step(self, data):\n        self.n_acum_step.assign_add(1)\n        x, y = data\n        with tf.GradientTape() as tape:\n            y_pred = self(x, training=True)\n            loss = self.compiled_loss(y, y_pred)\n        gradients = tape.gradient(loss, self.trainable_variables)\n        for i in range(len(self.gradient_accumulation)):\n            self.gradient_accumulation[i].assign_add(gradients[i])\n        tf.cond(tf.equal(self.n_acum_step, self.n_gradients), self.apply_accu_gradients, lambda: None)\n        self.compiled_metrics.update_state(y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\n\n    def apply_accu_gradients(self):\n        self.optimizer.apply_gradients(zip(self.gradient_accumulation, self.trainable_variables))\n        self.n_acum_step.assign(0)\n        for i in range(len(self.gradient_accumulation)):\n            self.gradient_accumulation[i].assign(tf.zeros_like(self.trainable_variables[i]))',
    useInstead:
      'import keras\nclass CustomTrainStep(keras.Model):\n    def __init__(self, n_gradients, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        self.n_gradients = n_gradients\n\n    def compile(self, *args, **kwargs):\n        super().compile(*args, **kwargs)\n        self.optimizer.gradient_accumulation_steps = int(self.n_gradients)'
  },
  requires: ['train_step'],
  visitors: { function_definition: visit }
};
