import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, pathValue, KERAS_CALLEES } from '../rule-helpers';

/**
 * A TensorFlow checkpoint path: no extension, or a `.ckpt`/`.tf` prefix. Other extensions
 * (`.weights` of Darknet ports, `.pth`, `.npy`) belong to loaders of the user's own.
 */
function isCheckpointPrefix(path: string): boolean {
  const last = path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  return /\.(ckpt|tf)(-\d+)?$/i.test(last) || !/\.[A-Za-z]\w*$/.test(last);
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const method = calleeName(parts.fn, ctx);
  if (method === 'save_weights' && parts.fn.type === 'attribute' && !ctx.resolve(parts.fn)) {
    const pathNode = parts.positional[0] ?? parts.keywords.get('filepath')?.value;
    const path = pathValue(pathNode, ctx);
    if (path !== null && !path.endsWith('.weights.h5')) {
      // The rename is offered on a literal only: a variable may be read elsewhere.
      const fix =
        pathNode!.type === 'string'
          ? {
              title: 'Save to a `.weights.h5` file',
              safe: false,
              edits: [{ start: pathNode!.start, end: pathNode!.end, text: JSON.stringify(path.replace(/(\.weights)?(\.h5|\.hdf5|\.ckpt)?$/, '') + '.weights.h5') }]
            }
          : null;
      ctx.report(pathNode!, `Keras 3 \`save_weights()\` needs a file name ending in \`.weights.h5\`, not \`${path}\`.`, fix);
    }
    return;
  }
  if (method === 'load_weights' && parts.fn.type === 'attribute' && !ctx.resolve(parts.fn)) {
    const pathNode = parts.positional[0] ?? parts.keywords.get('filepath')?.value;
    if (!pathNode) {
      return;
    }
    const path = pathValue(pathNode, ctx);
    const latest = pathNode.type === 'call' && ctx.resolve(child(pathNode, 'function') ?? pathNode) === 'tensorflow.train.latest_checkpoint';
    if (latest || (path !== null && isCheckpointPrefix(path))) {
      ctx.report(
        pathNode,
        `Keras 3 \`load_weights()\` reads only \`.weights.h5\`, \`.keras\` and legacy \`.h5\` files; ${latest ? 'a TensorFlow checkpoint prefix' : `\`${path}\``} cannot be loaded. Save the weights with \`save_weights("name.weights.h5")\` and load that file.`
      );
    }
    return;
  }
  if (ctx.resolveKeras(parts.fn) !== 'keras.callbacks.ModelCheckpoint') {
    return;
  }
  const pathNode = parts.positional[0] ?? parts.keywords.get('filepath')?.value;
  const path = pathValue(pathNode, ctx);
  if (path === null) {
    return;
  }
  const weightsOnly = parts.keywords.get('save_weights_only');
  const flag = weightsOnly ? ctx.textOf(weightsOnly.value) : 'False';
  if (flag !== 'True' && flag !== 'False') {
    return; // decided at run time
  }
  const onlyWeights = flag === 'True';
  // Renaming is offered on a literal only (a variable may be read elsewhere), and as a suggestion.
  const rename = (renamed: string) =>
    pathNode!.type === 'string' ? { title: `Save to \`${renamed}\``, safe: false, edits: [{ start: pathNode!.start, end: pathNode!.end, text: JSON.stringify(renamed) }] } : null;
  if (onlyWeights && !path.endsWith('.weights.h5')) {
    const renamed = path.replace(/(\.weights)?(\.h5|\.hdf5|\.ckpt)?$/, '') + '.weights.h5';
    ctx.report(pathNode!, `With \`save_weights_only=True\`, Keras 3 ModelCheckpoint needs a path ending in \`.weights.h5\`, not \`${path}\`.`, rename(renamed));
  } else if (!onlyWeights && !/\.(keras|h5)$/.test(path)) {
    // `.hdf5` was an HDF5 file: `.h5` keeps that format; anything else becomes a `.keras` file.
    const renamed = /\.hdf5$/.test(path) ? path.replace(/\.hdf5$/, '.h5') : path.replace(/\.ckpt$/, '') + '.keras';
    ctx.report(pathNode!, `Keras 3 ModelCheckpoint saves whole models only to \`.keras\` (or legacy \`.h5\`) files; \`${path}\` is rejected.`, rename(renamed));
  }
}

export const weightsFileExtension: RuleDefinition = {
  code: 'KM166',
  name: 'weights-file-extension',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: ['save_weights', 'load_weights'],
  docs: {
    whatItDoes:
      'Flags `save_weights(path)` whose literal path does not end in `.weights.h5`, `load_weights()` of a TensorFlow checkpoint (a literal prefix or `tf.train.latest_checkpoint(...)`), and `ModelCheckpoint` paths with the wrong extension for what they save.',
    why:
      'Keras 3 raises "The filename must end in `.weights.h5`" for weights and requires `.keras` for whole-model checkpoints; TF-checkpoint prefixes no longer work. Not covered by the migration guide. Renaming the file is a suggestion: other code may read the old name.',
    example: 'model.save_weights("ckpt/model")',
    useInstead: 'model.save_weights("ckpt/model.weights.h5")'
  },
  calls: { resolved: KERAS_CALLEES, names: ['save_weights', 'load_weights'] },
  visitors: { call: visit }
};
