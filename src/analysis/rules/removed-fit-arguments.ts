import type { SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, removeArgument } from '../rule-helpers';

const RENAMED: Record<string, string> = {
  fit_generator: 'fit',
  evaluate_generator: 'evaluate',
  predict_generator: 'predict'
};
const WORKER_ARGS = ['workers', 'use_multiprocessing', 'max_queue_size'];

/**
 * Keras 2 positional order of the *_generator methods. Their second and later positions are
 * not fit()/evaluate()/predict()'s (`fit(x, y, batch_size, ...)`), so positional arguments
 * after the generator are passed by keyword in the rewrite.
 */
const POSITIONAL: Record<string, string[]> = {
  fit_generator: ['generator', 'steps_per_epoch', 'epochs', 'verbose', 'callbacks', 'validation_data', 'validation_steps', 'validation_freq', 'class_weight', 'max_queue_size', 'workers', 'use_multiprocessing', 'shuffle', 'initial_epoch'],
  evaluate_generator: ['generator', 'steps', 'callbacks', 'max_queue_size', 'workers', 'use_multiprocessing', 'verbose'],
  predict_generator: ['generator', 'steps', 'callbacks', 'max_queue_size', 'workers', 'use_multiprocessing', 'verbose']
};
const FIT_LIKE = new Set(['fit', 'evaluate', 'predict']);

/** Keras 2 `compile()` keywords Keras 3 rejects; `safe`: dropping it cannot change results. */
const COMPILE_REMOVED: Record<string, { advice: string; safe: boolean }> = {
  experimental_run_tf_function: { advice: 'it only chose a TensorFlow 2.1/2.2 execution path', safe: true },
  sample_weight_mode: { advice: 'Keras 3 accepts per-timestep sample weights without it', safe: false },
  target_tensors: { advice: 'feed targets to fit() instead', safe: false },
  distribute: { advice: 'build and compile the model inside a distribution strategy scope', safe: false }
};

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || ctx.resolve(parts.fn)) {
    return;
  }
  const method = calleeName(parts.fn, ctx);
  const renamed = RENAMED[method];
  const workerArgs = WORKER_ARGS.filter(a => parts.keywords.has(a));
  if (renamed) {
    const attr = parts.fn.children[1] ?? parts.fn;
    const edits: OffsetEdit[] = [{ start: attr.start, end: attr.end, text: renamed }];
    for (const a of workerArgs) {
      edits.push(removeArgument(parts.keywords.get(a)!.node, ctx));
    }
    // `fit_generator(generator=gen)`: the data is `fit(x=...)` (TypeError "unexpected keyword argument 'generator'"; og47e repro_1).
    const generator = parts.keywords.get('generator');
    if (generator) {
      edits.push({ start: generator.name.start, end: generator.name.end, text: 'x' });
    }
    let positionalWorkers = false;
    parts.positional.forEach((arg, i) => {
      const name = POSITIONAL[method][i];
      if (i === 0) {
        return;
      }
      if (name === undefined || WORKER_ARGS.includes(name)) {
        positionalWorkers = true;
        return;
      }
      edits.push({ start: arg.start, end: arg.start, text: `${name}=` });
    });
    ctx.report(attr, `\`${method}()\` was removed in Keras 3; \`${renamed}()\` accepts generators and PyDatasets.`, {
      title: `Use \`${renamed}()\``,
      safe: workerArgs.length === 0 && !positionalWorkers && !parts.splat,
      edits
    });
    return;
  }
  if (method === 'compile') {
    for (const [arg, kw] of parts.keywords) {
      const removed = COMPILE_REMOVED[arg];
      if (removed) {
        ctx.report(kw.node, `\`compile(${arg}=...)\` is not accepted by Keras 3 (TypeError); ${removed.advice}.`, {
          title: `Remove \`${arg}=\``,
          safe: removed.safe,
          edits: [removeArgument(kw.node, ctx)]
        });
      }
    }
    return;
  }
  if (FIT_LIKE.has(method)) {
    for (const a of workerArgs) {
      const kw = parts.keywords.get(a)!;
      ctx.report(kw.node, `\`${method}(${a}=...)\` is not accepted by Keras 3; set workers/use_multiprocessing/max_queue_size on your \`keras.utils.PyDataset\` instead.`, {
        title: `Remove \`${a}=\``,
        safe: false,
        edits: [removeArgument(kw.node, ctx)]
      });
    }
  }
}

export const removedFitArguments: RuleDefinition = {
  code: 'KM163',
  name: 'removed-fit-arguments',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: ['fit_generator', 'evaluate_generator', 'predict_generator', 'fit', 'evaluate', 'predict', 'compile'],
  docs: {
    whatItDoes:
      'Flags `fit_generator`/`evaluate_generator`/`predict_generator`, the `workers=`, `use_multiprocessing=`, `max_queue_size=` arguments of `fit`/`evaluate`/`predict`, and Keras 2 `compile()` arguments (`sample_weight_mode=`, `experimental_run_tf_function=`, `target_tensors=`, `distribute=`).',
    why:
      'Keras 3 removed the *_generator methods (fit() takes generators directly) and moved multiprocessing options to `keras.utils.PyDataset`, so these calls raise AttributeError or "Unrecognized keyword arguments". Not covered by the migration guide. The method rename is safe when no worker options are passed.',
    example: 'model.fit_generator(gen, steps_per_epoch=100, epochs=5)',
    useInstead: 'model.fit(gen, steps_per_epoch=100, epochs=5)'
  },
  calls: { names: [...Object.keys(RENAMED), 'compile', ...FIT_LIKE] },
  // The call visitor sees only calls named in `calls.names`.
  requires: [...Object.keys(RENAMED), 'compile', ...FIT_LIKE],
  visitors: { call: visit }
};
