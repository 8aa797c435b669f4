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

test('without the later load, the save becomes a .keras file (nothing reads it as a SavedModel) and a lone load a TFSMLayer', async () => {
  const analyzer = await getAnalyzer();
  const fixed = analyzer.fixCells(['import keras\nmodel.save("exported")\n', 'm = keras.models.load_model("other")\n'], {}).cells;
  expect(fixed).toEqual(['import keras\nmodel.save("exported.keras")\n', 'm = keras.layers.TFSMLayer("other", call_endpoint="serving_default")\n']);
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

describe('a path assigned to a name in one cell, saved and loaded through the name in later cells', () => {
  const HEAD = 'import os\nimport tensorflow as tf\nBASE = "/tmp/run"\n';

  test('a SavedModel folder becomes one .keras file at the value; save and load stay as written', async () => {
    const analyzer = await getAnalyzer();
    const cells = [HEAD + 'MODEL_DIR = "saved/my_model"\n', 'model.save(MODEL_DIR)\n', 'restored = tf.keras.models.load_model(MODEL_DIR)\n'];
    const found = analyzer.analyzeCells(cells).filter(f => f.rule === 'KM031');
    expect(found.map(f => [f.cell, f.line, f.fix?.safe])).toEqual([[0, 4, false]]);
    const fixed = analyzer.fixCells(cells, { unsafe: true }).cells;
    expect(fixed[0]).toContain('MODEL_DIR = "saved_my_model.keras"');
    expect(fixed[1]).toContain('model.save(MODEL_DIR)');
    expect(fixed[2]).toContain('load_model(MODEL_DIR)');
    // Safe fixes alone leave it (other code may read the name).
    expect(analyzer.fixCells(cells, {}).cells[0]).toContain('"saved/my_model"');
  });

  test('an os.path.join value of a legacy .h5 model saved by a full-model ModelCheckpoint and loaded back', async () => {
    const analyzer = await getAnalyzer();
    const cells = [
      HEAD + 'CKPT = os.path.join(BASE, "best.h5")\n',
      'cb = tf.keras.callbacks.ModelCheckpoint(CKPT, save_best_only=True)\nmodel.fit(x, y, callbacks=[cb])\n',
      'best = tf.keras.models.load_model(CKPT)\n'
    ];
    const fixed = analyzer.fixCells(cells, { unsafe: true }).cells;
    expect(fixed[0]).toContain('CKPT = os.path.join(BASE, "best.keras")');
    expect(fixed[1]).toContain('ModelCheckpoint(CKPT,');
    expect(fixed[2]).toContain('load_model(CKPT)');
  });

  test('a legacy .h5 model saved but never loaded back is left alone', async () => {
    const analyzer = await getAnalyzer();
    const cells = [HEAD + 'PATH = "model.h5"\n', 'model.save(PATH)\n'];
    expect(analyzer.analyzeCells(cells).filter(f => f.rule === 'KM031')).toEqual([]);
  });

  test('weights through an f-string-free name: save_weights and load_weights read the renamed .weights.h5 file', async () => {
    const analyzer = await getAnalyzer();
    const cells = [HEAD + 'WEIGHTS = BASE + "/ckpt/model"\n', 'model.save_weights(WEIGHTS)\n', 'model.load_weights(WEIGHTS)\n'];
    const found = analyzer.analyzeCells(cells).filter(f => f.rule === 'KM166');
    expect(found.map(f => f.cell)).toEqual([0]);
    expect(analyzer.fixCells(cells, { unsafe: true }).cells[0]).toContain('WEIGHTS = BASE + "/ckpt/model.weights.h5"');
  });

  test('an f-string value: the text after its last field is renamed', async () => {
    const analyzer = await getAnalyzer();
    const cells = [HEAD + 'RUN = 3\nMODEL_DIR = f"{BASE}/run{RUN}_model"\n', 'model.save(MODEL_DIR)\n', 'restored = tf.keras.models.load_model(MODEL_DIR)\n'];
    expect(analyzer.fixCells(cells, { unsafe: true }).cells[0]).toContain('MODEL_DIR = f"{BASE}/run{RUN}_model.keras"');
  });

  test('an f-string path saved and loaded in one cell: both sides renamed alike (safe: the save raised before)', async () => {
    const analyzer = await getAnalyzer();
    const cell = HEAD + 'model.save(f"{BASE}/model")\nrestored = tf.keras.models.load_model(f"{BASE}/model")\n';
    const fixed = analyzer.fixCells([cell], {}).cells[0] as string;
    expect(fixed).toContain('model.save(f"{BASE}/model.keras")');
    expect(fixed).toContain('load_model(f"{BASE}/model.keras")');
  });

  test('a tf.train.Checkpoint saved through a prefix name is no model save', async () => {
    const analyzer = await getAnalyzer();
    const cells = [HEAD + 'checkpoint_prefix = os.path.join(BASE, "ckpt")\ncheckpoint = tf.train.Checkpoint(model=model)\n', 'checkpoint.save(checkpoint_prefix)\n'];
    expect(analyzer.analyzeCells(cells).filter(f => f.rule === 'KM031' || f.rule === 'KM166')).toEqual([]);
  });

  test('a name only loaded later (the file comes from elsewhere) is not renamed', async () => {
    const analyzer = await getAnalyzer();
    const cells = [HEAD + 'PRETRAINED = "weights/pretrained.h5"\n', 'model.load_weights(PRETRAINED)\nm = tf.keras.models.load_model(PRETRAINED)\n'];
    expect(analyzer.analyzeCells(cells).filter(f => f.rule === 'KM031' || f.rule === 'KM166')).toEqual([]);
  });
});

test('a save through a name assigned in its cell, loaded through the name in a later cell: both read one .keras file, never export()', async () => {
  const analyzer = await getAnalyzer();
  const cells = ['import keras\nMODEL_PATH = "exported_model"\nmodel.save(MODEL_PATH)\n', 'restored = keras.models.load_model(MODEL_PATH)\n'];
  const fixed = analyzer.fixCells(cells, {}).cells;
  expect(fixed[0]).toContain('MODEL_PATH = "exported_model.keras"');
  expect(fixed.join('')).not.toMatch(/export\(|TFSMLayer/);
});
