/**
 * A save in one cell and a load of the same path in a later cell are fixed alike, each side by
 * its own rule's finding in its own cell: fixing the notebook with every rule leaves both cells
 * pointing at the file Keras 3 writes.
 */
import { getAnalyzer } from './helpers';

test('a SavedModel save and its load_model() in a later cell both move to one .keras file', async () => {
  const analyzer = await getAnalyzer();
  const cells = [
    'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.save("saved_model/my_model")\n',
    '# a markdown-free cell in between\nprint("trained")\n',
    'restored = tf.keras.models.load_model("saved_model/my_model")\nrestored.summary()\n'
  ];
  const fixed = analyzer.fixCells(cells, {}).cells;
  expect(fixed[0]).toContain('model.save("saved_model_my_model.keras")');
  expect(fixed[2]).toContain('models.load_model("saved_model_my_model.keras")');
  // Not the export()/TFSMLayer pair, which would not read back what was written.
  expect(fixed.join('')).not.toMatch(/export\(|TFSMLayer/);
});

test('without the later load, the save becomes export() and a lone load a TFSMLayer', async () => {
  const analyzer = await getAnalyzer();
  const fixed = analyzer.fixCells(['import keras\nmodel.save("exported")\n', 'm = keras.models.load_model("other")\n'], {}).cells;
  expect(fixed).toEqual(['import keras\nmodel.export("exported")\n', 'm = keras.layers.TFSMLayer("other", call_endpoint="serving_default")\n']);
});

test('weights saved by save_weights() and loaded in a later cell get the same .weights.h5 name', async () => {
  const analyzer = await getAnalyzer();
  const cells = ['import keras\nmodel.save_weights("checkpoints/w.h5")\n', 'model.load_weights("checkpoints/w.h5")\n'];
  expect(analyzer.fixCells(cells, {}).cells).toEqual(['import keras\nmodel.save_weights("checkpoints/w.weights.h5")\n', 'model.load_weights("checkpoints/w.weights.h5")\n']);
});

test('moving the load before the save changes the fix (order is what counts)', async () => {
  const analyzer = await getAnalyzer();
  const nb = analyzer.openNotebook();
  nb.update(['import keras\n', 'model.save("m")\n', 'r = keras.models.load_model("m")\n']);
  expect(nb.findings().find(f => f.rule === 'KM031')?.message).toContain('in a later cell');
  nb.update(['import keras\n', 'r = keras.models.load_model("m")\n', 'model.save("m")\n']);
  expect(nb.findings().find(f => f.rule === 'KM031')?.message).toContain('model.export(path)');
  nb.dispose();
});
