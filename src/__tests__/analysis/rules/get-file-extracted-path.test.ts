import { ruleTester } from '../rule-tester';

const URL = '"https://example.com/data.tar.gz"';

ruleTester('get-file-extracted-path', {
  valid: [
    { name: 'no extraction: the file itself', code: `import os\nimport keras\npath = keras.utils.get_file("data.csv", ${URL})\nfolder = os.path.dirname(path)\n` },
    { name: 'the returned folder used as Keras 3 returns it', code: `import os\nimport keras\npath = keras.utils.get_file("aclImdb_v1.tar.gz", ${URL}, untar=True)\ndata_dir = os.path.join(path, "aclImdb")\n` },
    {
      name: 'cache_subdir="" with the result read as Keras 3 returns it: no copy suggested',
      code: `import os\nimport keras\npath = keras.utils.get_file("aclImdb_v1.tar.gz", ${URL}, untar=True, cache_dir=".", cache_subdir="")\ntrain = keras.utils.text_dataset_from_directory(os.path.join(path, "aclImdb", "train"))\n`
    },
    {
      name: 'untar=True with fname: the top folder already joined to the result',
      code: `import os\nimport keras\ndata_dir = os.path.join(keras.utils.get_file(origin=${URL}, fname="flower_photos", untar=True), "flower_photos")\n`
    },
    {
      name: 'a path under the default cache (~/.keras) is not known: a literal "datasets/..." elsewhere is not its read',
      code: `import keras\nkeras.utils.get_file("data.zip", ${URL}, extract=True)\nprint(open("datasets/other.csv").read())\n`
    },
    {
      name: 'the name reassigned before its dirname is read',
      code: `import os\nimport keras\npath = keras.utils.get_file("a.zip", ${URL}, extract=True)\npath = "/data/b/c"\nfolder = os.path.dirname(path)\n`
    }
  ],
  invalid: [
    {
      // TensorFlow text-classification tutorial (helper og42a tc): cache_dir=".", cache_subdir="" then
      // text_dataset_from_directory("aclImdb/train"): "No such file or directory" on tf/jax/torch; the copy runs on all three.
      name: 'cache_subdir="": a suggestion copies the extracted files into cache_dir (Keras 2\'s layout), claiming nothing',
      code: `import tensorflow as tf\ndataset = tf.keras.utils.get_file("aclImdb_v1.tar.gz", ${URL}, untar=True, cache_dir=".", cache_subdir="")\ntrain = tf.keras.utils.text_dataset_from_directory("aclImdb/train")\n`,
      errors: [{ line: 2, column: 11, message: 'copy the extracted files where Keras 2 put them' }],
      blocks: [],
      fixOptions: { unsafe: true },
      output: `import tensorflow as tf\nimport os\nimport shutil\ndataset = tf.keras.utils.get_file("aclImdb_v1.tar.gz", ${URL}, untar=True, cache_dir=".", cache_subdir="")\nshutil.copytree(dataset, os.path.dirname(dataset), dirs_exist_ok=True)\ntrain = tf.keras.utils.text_dataset_from_directory("aclImdb/train")\n`
    },
    {
      // TensorFlow feature-columns tutorial (/work/og43a R1): the result dropped, the CSV read by its Keras 2
      // path under cache_dir/cache_subdir: "No such file or directory" on tf/jax/torch; with the copy it runs on all three.
      name: 'the result dropped and a file read by its Keras 2 path under cache_dir/datasets: claimed, the copy names the result',
      code: `import tensorflow as tf\ncsv_file = "datasets/petfinder-mini/petfinder-mini.csv"\ntf.keras.utils.get_file("petfinder_mini.zip", ${URL}, extract=True, cache_dir=".")\nprint(open(csv_file).read())\n`,
      errors: [{ line: 3, column: 1, message: 'the code reads "datasets/petfinder-mini/petfinder-mini.csv" there' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output: `import tensorflow as tf\nimport os\nimport shutil\ncsv_file = "datasets/petfinder-mini/petfinder-mini.csv"\nextracted_dir = tf.keras.utils.get_file("petfinder_mini.zip", ${URL}, extract=True, cache_dir=".")\nshutil.copytree(extracted_dir, os.path.dirname(extracted_dir), dirs_exist_ok=True)\nprint(open(csv_file).read())\n`
    },
    {
      // TensorFlow word-embeddings tutorial (/work/og43a R2): after the safe dirname fix, the literal read
      // of the archive's top folder still fails on tf/jax/torch; the copy makes it run on all three.
      name: 'cache_subdir="" with the result read the Keras 3 way and the top folder also read by its own path: claimed',
      code: `import os\nimport tensorflow as tf\ndataset = tf.keras.utils.get_file("aclImdb_v1.tar.gz", ${URL}, untar=True, cache_dir=".", cache_subdir="")\ndataset_dir = os.path.join(dataset, "aclImdb")\ntrain = tf.keras.utils.text_dataset_from_directory("aclImdb/train")\n`,
      errors: [{ line: 3, column: 11, message: 'the code reads "aclImdb/train" there' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output: `import os\nimport tensorflow as tf\nimport shutil\ndataset = tf.keras.utils.get_file("aclImdb_v1.tar.gz", ${URL}, untar=True, cache_dir=".", cache_subdir="")\nshutil.copytree(dataset, os.path.dirname(dataset), dirs_exist_ok=True)\ndataset_dir = os.path.join(dataset, "aclImdb")\ntrain = tf.keras.utils.text_dataset_from_directory("aclImdb/train")\n`
    },
    {
      // TensorFlow image-classification tutorial after tensorflow/docs#2183: 'flower_photos.tar' with extract=True.
      name: 'extract=True then pathlib.Path(path).with_suffix(""): the archive\'s top folder inside the returned one',
      code: `import pathlib\nimport tensorflow as tf\ndata_dir = tf.keras.utils.get_file("flower_photos.tar", origin=${URL}, extract=True)\ndata_dir = pathlib.Path(data_dir).with_suffix("")\n`,
      errors: [{ line: 4, column: 12, message: '`flower_photos_extracted`' }],
      output: `import pathlib\nimport tensorflow as tf\ndata_dir = tf.keras.utils.get_file("flower_photos.tar", origin=${URL}, extract=True)\ndata_dir = pathlib.Path(data_dir) / "flower_photos"\n`
    },
    {
      // TensorFlow text-classification tutorial (helper og42a r6): "No such file or directory: './data'" on tf/jax/torch.
      name: 'untar=True with a file name: the folder beside the returned path',
      code: `import os\nimport tensorflow as tf\npath = tf.keras.utils.get_file("data.tar.gz", ${URL}, untar=True)\ndata_dir = os.path.join(os.path.dirname(path), "data")\n`,
      errors: [{ line: 4, column: 25, message: 'returns the folder it extracted the archive into' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: `import os\nimport tensorflow as tf\npath = tf.keras.utils.get_file("data.tar.gz", ${URL}, untar=True)\ndata_dir = os.path.join(path, "data")\n`
    },
    {
      // TensorFlow transfer-learning tutorial's cats_and_dogs.zip (helper og42a r8).
      name: 'extract=True of a zip: every dirname of the result',
      code: `import os\nimport keras\npath_to_zip = keras.utils.get_file("cats_and_dogs.zip", origin=${URL}, extract=True)\nPATH = os.path.join(os.path.dirname(path_to_zip), "cats_and_dogs_filtered")\nprint(os.path.dirname(path_to_zip))\n`,
      errors: [{ line: 4, column: 21 }, { line: 5, column: 7 }],
      output: `import os\nimport keras\npath_to_zip = keras.utils.get_file("cats_and_dogs.zip", origin=${URL}, extract=True)\nPATH = os.path.join(path_to_zip, "cats_and_dogs_filtered")\nprint(path_to_zip)\n`
    },
    {
      // TensorFlow image-loading tutorial (helper og42a r7): the glob finds no image on tf/jax/torch.
      name: 'untar=True with fname without an extension: the archive\'s top folder joined to the result, os imported',
      code: `import pathlib\nimport tensorflow as tf\ndata_dir = tf.keras.utils.get_file(origin=${URL}, fname="flower_photos", untar=True)\ndata_dir = pathlib.Path(data_dir)\n`,
      errors: [{ line: 3, column: 12, message: 'the archive\'s own top folder is now `flower_photos/flower_photos`' }],
      output: `import pathlib\nimport tensorflow as tf\nimport os\ndata_dir = os.path.join(tf.keras.utils.get_file(origin=${URL}, fname="flower_photos", untar=True), "flower_photos")\ndata_dir = pathlib.Path(data_dir)\n`
    }
  ]
});
