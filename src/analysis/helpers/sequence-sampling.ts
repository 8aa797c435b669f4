import type { SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext } from '../rule';
import { helperDefinitionEdit } from './ctc';

/**
 * Keras 2's word2vec sampling functions, `keras.preprocessing.sequence.skipgrams` and
 * `keras.preprocessing.sequence.make_sampling_table`: Keras 3's `keras.preprocessing.sequence`
 * keeps only `pad_sequences`, so after the import becomes `import keras` these calls raise
 * AttributeError on every backend (only `tf.keras`, TensorFlow's copy of Keras 3, still has them).
 * They are pure Python / NumPy code: the fix defines each function once in the cell, line for line
 * Keras 2's own (the same `random` draws for the same seed, so the same pairs), and points every use
 * at it. Checked by running: the helpers return exactly what `tf.keras.preprocessing.sequence` returns
 * for the same arguments and seed, on TensorFlow, JAX and PyTorch.
 * Also Keras 2's `keras.applications.imagenet_utils.correct_pad` (the ZeroPadding2D amounts before a
 * strided convolution, which keras.io's MobileViT called): Keras 3's public `imagenet_utils` keeps only
 * `decode_predictions` and `preprocess_input`, so the call raises AttributeError on every backend; the
 * helper is Keras's own code (shape arithmetic only), as the Keras team's MobileViT conversion copied it.
 */
const HELPERS: Record<string, string[]> = {
  make_sampling_table: [
    'def make_sampling_table(size, sampling_factor=1e-5):',
    '    # Keras 2\'s keras.preprocessing.sequence.make_sampling_table (not in Keras 3), in NumPy.',
    '    import numpy',
    '',
    '    gamma = 0.577',
    '    rank = numpy.arange(size)',
    '    rank[0] = 1',
    '    inv_fq = rank * (numpy.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)',
    '    f = sampling_factor * inv_fq',
    '    return numpy.minimum(1.0, f / numpy.sqrt(f))'
  ],
  skipgrams: [
    'def skipgrams(sequence, vocabulary_size, window_size=4, negative_samples=1.0, shuffle=True,',
    '              categorical=False, sampling_table=None, seed=None):',
    '    # Keras 2\'s keras.preprocessing.sequence.skipgrams (not in Keras 3), with the same random draws.',
    '    import random',
    '',
    '    couples = []',
    '    labels = []',
    '    for i, wi in enumerate(sequence):',
    '        if not wi:',
    '            continue',
    '        if sampling_table is not None:',
    '            if sampling_table[wi] < random.random():',
    '                continue',
    '        window_start = max(0, i - window_size)',
    '        window_end = min(len(sequence), i + window_size + 1)',
    '        for j in range(window_start, window_end):',
    '            if j != i:',
    '                wj = sequence[j]',
    '                if not wj:',
    '                    continue',
    '                couples.append([wi, wj])',
    '                labels.append([0, 1] if categorical else 1)',
    '    if negative_samples > 0:',
    '        num_negative_samples = int(len(labels) * negative_samples)',
    '        words = [c[0] for c in couples]',
    '        random.shuffle(words)',
    '        couples += [',
    '            [words[i % len(words)], random.randint(1, vocabulary_size - 1)]',
    '            for i in range(num_negative_samples)',
    '        ]',
    '        labels += [[1, 0] if categorical else 0] * num_negative_samples',
    '    if shuffle:',
    '        if seed is None:',
    '            seed = random.randint(0, 10e6)',
    '        random.seed(seed)',
    '        random.shuffle(couples)',
    '        random.seed(seed)',
    '        random.shuffle(labels)',
    '    return couples, labels'
  ],
  correct_pad: [
    'def correct_pad(inputs, kernel_size):',
    '    # Keras 2\'s keras.applications.imagenet_utils.correct_pad (not public in Keras 3), the same padding.',
    '    import keras',
    '',
    '    img_dim = 2 if keras.backend.image_data_format() == "channels_first" else 1',
    '    input_size = inputs.shape[img_dim : (img_dim + 2)]',
    '    if isinstance(kernel_size, int):',
    '        kernel_size = (kernel_size, kernel_size)',
    '    if input_size[0] is None:',
    '        adjust = (1, 1)',
    '    else:',
    '        adjust = (1 - input_size[0] % 2, 1 - input_size[1] % 2)',
    '    correct = (kernel_size[0] // 2, kernel_size[1] // 2)',
    '    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))'
  ]
};

/** The sampling function a canonical Keras spelling names (`keras.preprocessing.sequence.skipgrams`), or null. */
export function sequenceSamplingFunction(kerasName: string | null): string | null {
  const m = kerasName ? /^keras\.(?:preprocessing\.sequence\.(skipgrams|make_sampling_table)|applications\.imagenet_utils\.(correct_pad))$/.exec(kerasName) : null;
  return m ? (m[1] ?? m[2]) : null;
}

/**
 * The fix pointing a use of `keras.preprocessing.sequence.<fnName>` (`node`: the attribute chain,
 * called or not) at a helper of the same name defined once in the cell, or null when the name is
 * already bound in the cell to something else (a variable or an import named `skipgrams`).
 */
export function sequenceSamplingFix(fnName: string, node: SyntaxNode, ctx: RuleContext): RawFix | null {
  const helper = HELPERS[fnName];
  if (!helper) {
    return null;
  }
  const defined = new RegExp(`^def ${fnName}\\(`, 'm').test(ctx.text);
  if (!defined && (ctx.lookup(fnName) || new RegExp(`\\b${fnName}\\b\\s*=|import[^\\n]*\\b${fnName}\\b`).test(ctx.text))) {
    return null;
  }
  const edits: OffsetEdit[] = [{ start: node.start, end: node.end, text: fnName }];
  if (!defined) {
    edits.push(helperDefinitionEdit(ctx.text, helper));
  }
  return { title: `Define Keras 2's \`${fnName}\` in the notebook (NumPy / Python code, the same results)`, safe: true, edits };
}
