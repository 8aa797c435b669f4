/**
 * Script code under `if __name__ == "__main__":` runs at module level, so it is analysed as module
 * level: a rule that follows a top-level name sees the guarded definitions and uses, and the fix
 * stays inside the guard.
 */
import { getAnalyzer } from './helpers';

const IMPORTS = 'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\n';
const AUGMENTER = 'data_augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])\n';
const MAPPED = 'train_ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)\ntrain_ds = train_ds.map(lambda a, b: (data_augmentation(a, training=True), b))\n';

function indent(code: string): string {
  return code.replace(/^(?=.)/gm, '    ');
}

test('a guarded script gets the fixes of the same code at module level', async () => {
  const analyzer = await getAnalyzer();
  const plain = analyzer.fixFile(IMPORTS + AUGMENTER + MAPPED, { unsafe: true }).source;
  expect(plain).toContain('data_augmentation = keras.layers.Pipeline(');
  const body = (source: string) => source.slice(source.indexOf('data_augmentation ='));
  // Two guards (either quote, either order) are one module level: the definition in one, the map in the other.
  const split = IMPORTS + "if __name__ == '__main__':\n" + indent(AUGMENTER) + "if '__main__' == __name__:\n" + indent(MAPPED);
  const fixed = analyzer.fixFile(split, { unsafe: true }).source;
  expect(body(fixed)).toBe(indent(body(plain)).slice(4).replace('\n    train_ds', "\nif '__main__' == __name__:\n    train_ds"));
});

test('another condition, or a guard with an else branch, is not module level', async () => {
  const analyzer = await getAnalyzer();
  const guard = 'if __name__ == "__main__":\n' + indent(MAPPED);
  for (const head of ['if DEBUG:\n', 'if __name__ == "__main__" and DEBUG:\n']) {
    const source = IMPORTS + head + indent(AUGMENTER) + guard;
    expect(analyzer.fixFile(source, { unsafe: true }).source).not.toContain('Pipeline');
  }
  const withElse = IMPORTS + 'if __name__ == "__main__":\n' + indent(AUGMENTER) + 'else:\n    pass\n' + guard;
  expect(analyzer.fixFile(withElse, { unsafe: true }).source).not.toContain('Pipeline');
});

test('an import a fix needs, after a TensorFlow import inside the guard, stays inside the guard', async () => {
  const analyzer = await getAnalyzer();
  // `tf` stays in use (tf.data), so its import stays too (an unused one is removed: KM014).
  const source = 'if __name__ == "__main__":\n    import tensorflow as tf\n    m = tf.keras.Sequential()\n    print(m, tf.data)\n';
  expect(analyzer.fixFile(source, {}).source).toBe(
    'if __name__ == "__main__":\n    import tensorflow as tf\n    import keras\n    m = keras.Sequential()\n    print(m, tf.data)\n'
  );
  // With CR LF line ends and the import on the last line.
  const last = 'if __name__ == "__main__":\r\n    import tensorflow as tf';
  expect(analyzer.fixFile(last + '\r\nx = tf.keras.Sequential()\r\nds = tf.data\r\n', {}).source).toContain('    import tensorflow as tf\r\n    import keras\r\n');
});

// wide_deep_feature_space under a main guard: the premade-model classes went between the guard's
// statements, which ended the guard (NameError: name 'WideDeepModel' is not defined); above the guard it ran on JAX and PyTorch.
test('a class a fix defines for guarded code goes above the guard, not between its statements', async () => {
  const analyzer = await getAnalyzer();
  const code = `import tensorflow as tf
from tensorflow import keras

x = 1

# Train.
if __name__ == "__main__":

    wide = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    deep = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model = keras.experimental.WideDeepModel(wide, deep)
    rff = keras.layers.experimental.RandomFourierFeatures(output_dim=4)
`;
  const fixed = analyzer.fixFile(code, { unsafe: true }).source;
  const guard = fixed.indexOf('if __name__ == "__main__":');
  expect(fixed.indexOf('class WideDeepModel(')).toBeGreaterThan(0);
  expect(fixed.indexOf('class WideDeepModel(')).toBeLessThan(guard);
  expect(fixed.indexOf('class RandomFourierFeatures(')).toBeLessThan(guard);
  expect(fixed).toContain('    model = WideDeepModel(wide, deep)\n');
  expect(fixed).toContain('    rff = RandomFourierFeatures(output_dim=4)\n');
  // The guard keeps every statement: nothing at column 0 after it.
  expect(fixed.slice(guard).split('\n').slice(1).filter(l => l.trim() && !l.startsWith('    '))).toEqual([]);
});
