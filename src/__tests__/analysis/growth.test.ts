/**
 * Analysis time grows linearly with the code: long attribute chains (a 4 KB line of
 * `tf.keras.keras...` once took seconds, 4,000 links never finished) and deep nesting. No
 * wall-clock threshold: the CPU time for 4,000 links is compared with the CPU time for 1,000
 * (this process's CPU time, best of nine samples each, so other work on a busy machine does not
 * decide). Linear growth gives about 4x; quadratic 16x.
 */
import { getAnalyzer } from './helpers';

const SHAPES: Array<[string, (n: number) => string]> = [
  ['tf.keras.keras... chain', n => 'import tensorflow as tf\nx = tf' + '.keras'.repeat(n) + '\n'],
  ['keras.a.a... chain', n => 'import keras\nx = keras' + '.a'.repeat(n) + '\n'],
  ['called tf.keras.a.a... chain', n => 'import tensorflow as tf\nx = tf.keras' + '.a'.repeat(n) + '()\n'],
  ['nested keras.ops calls', n => 'import keras\nx = ' + 'keras.ops.add('.repeat(n) + 'x' + ', 1)'.repeat(n) + '\n'],
  // Each compile() asks for the cell's tf.distribute strategies and their scope blocks (KM340; KM323 at strategy.run()): found once per cell.
  ['compile() again and again under a strategy', n => 'import tensorflow as tf\nimport keras\nstrategy = tf.distribute.MirroredStrategy()\n' + 'model.compile(loss="mse")\n'.repeat(n)],
  // Each training call asks what its model and data were last assigned (helpers/calls assignedBefore, moduleAssignments; KM380, KM229).
  // A path formatted from a template: its conversions and fields are read once each (helpers/paths formattedTemplate).
  ['a weights path formatted from a long %-template', n => 'import keras\nmodel.save_weights("' + 'w%d'.repeat(n) + '.h5" % args)\n'],
  ['a weights path formatted from a long str.format template', n => 'import keras\nmodel.save_weights("' + 'w{}'.repeat(n) + '.h5".format(*args))\n'],
  ['a loaded model trained and compiled again and again', n => 'import keras\nmodel = keras.models.load_model("m.h5")\n' + 'x = g()\nmodel.fit(x)\nmodel.compile(loss="mse")\n'.repeat(n / 4) + 'other.fit(x)\n'.repeat(n / 4)]
];

/**
 * The least CPU time one run took, over nine samples of `repeat` runs each: the small input is
 * run several times per sample so that a garbage collection or a timer tick during one short run
 * does not decide the ratio (a busy CI machine once measured 12.1 for linear code).
 */
function bestCpuTime(run: () => void, repeat = 1): number {
  let best = Infinity;
  for (let i = 0; i < 9; i++) {
    const before = process.cpuUsage();
    for (let r = 0; r < repeat; r++) {
      run();
    }
    const spent = process.cpuUsage(before);
    best = Math.min(best, (spent.user + spent.system) / repeat);
  }
  return best;
}

test.each(SHAPES)('%s: 4,000 links cost far less than 16x 1,000 links', async (_label, make) => {
  const analyzer = await getAnalyzer();
  const small = make(1000);
  const large = make(4000);
  analyzer.analyzeFile(small); // warm up
  const ratio = bestCpuTime(() => analyzer.analyzeFile(large)) / bestCpuTime(() => analyzer.analyzeFile(small), 4);
  // Linear: about 4; quadratic: 16; the cubic moved-module lookup this replaced: 64.
  expect(ratio).toBeLessThan(12);
});
