import { ruleTester } from '../rule-tester';

const FRAME = 'import numpy as np\nimport pandas as pd\nimport tensorflow as tf\ndf = pd.DataFrame({"age": np.arange(8.0), "chol": np.arange(8.0) * 3})\n';

ruleTester('adapt-pandas-data', {
  valid: [
    { name: 'NumPy values of the DataFrame', code: FRAME + 'n = tf.keras.layers.Normalization(axis=-1)\nn.adapt(df.to_numpy())\nn.adapt(np.array(df))\nn.adapt(df.values)\n' },
    { name: 'a dict of its columns (a different input: the model takes a dict)', code: FRAME + 'n = tf.keras.layers.Normalization(axis=-1)\nn.adapt(dict(df))\n' },
    { name: 'data that is not pandas', code: 'import numpy as np\nimport keras\nx = np.ones((4, 2))\nn = keras.layers.Normalization()\nn.adapt(x)\nn.adapt(x[:2])\n' },
    { name: 'a name assigned pandas data only after the call', code: 'import pandas as pd\nimport keras\nn = keras.layers.Normalization()\nn.adapt(features)\nfeatures = pd.read_csv("f.csv")\n' }
  ],
  invalid: [
    {
      // TensorFlow pandas-dataframe tutorial (/work/og44c r1, pdf2022): "adapt() expects an iterable that yields arrays or
      // tensors with a `.shape` attribute ... Got an element of type str" on tf/jax/torch; fixed, it runs on all three (Keras 3.15).
      name: 'a column selection of a read_csv DataFrame (the pandas-dataframe tutorial)',
      code: 'import pandas as pd\nimport tensorflow as tf\ndf = pd.read_csv("heart.csv")\ntarget = df.pop("target")\nnumeric_feature_names = ["age", "thalach", "chol"]\nnumeric_features = df[numeric_feature_names]\nnormalizer = tf.keras.layers.Normalization(axis=-1)\nnormalizer.adapt(numeric_features)\n',
      errors: [{ line: 8, column: 18, message: 'pandas data: Keras 3 iterates it' }],
      output: 'import pandas as pd\nimport tensorflow as tf\ndf = pd.read_csv("heart.csv")\ntarget = df.pop("target")\nnumeric_feature_names = ["age", "thalach", "chol"]\nnumeric_features = df[numeric_feature_names]\nnormalizer = tf.keras.layers.Normalization(axis=-1)\nnormalizer.adapt(numeric_features.to_numpy())\n'
    },
    {
      name: 'a Series, a copied frame, a row slice, a frame given by keyword and arithmetic on a column',
      code: FRAME + 'train = df.sample(frac=0.5).copy()\nlabels = train.pop("chol")\na = tf.keras.layers.Normalization(axis=None)\na.adapt(labels)\nb = tf.keras.layers.Normalization()\nb.adapt(train.iloc[:4])\nb.adapt(data=df[["age"]])\nb.adapt(df["age"] * 2)\n',
      errors: [{ line: 8, column: 9 }, { line: 10, column: 9 }, { line: 11, column: 14 }, { line: 12, column: 9 }],
      output: FRAME + 'train = df.sample(frac=0.5).copy()\nlabels = train.pop("chol")\na = tf.keras.layers.Normalization(axis=None)\na.adapt(labels.to_numpy())\nb = tf.keras.layers.Normalization()\nb.adapt(train.iloc[:4].to_numpy())\nb.adapt(data=df[["age"]].to_numpy())\nb.adapt((df["age"] * 2).to_numpy())\n'
    }
  ]
});
