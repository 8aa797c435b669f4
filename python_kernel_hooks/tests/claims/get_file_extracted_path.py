# TensorFlow tutorials (text classification, transfer learning): the folder beside what get_file()
# returned. Keras 3 extracts the archive into a folder of its own and returns it, so the data is not
# beside it: "No such file or directory" on every backend (Keras 2 extracted next to the download).
import os
import tarfile

import keras

os.makedirs("source/data/pos", exist_ok=True)
with open("source/data/pos/a.txt", "w") as f:
    f.write("a fine film")
with tarfile.open("source/data.tar.gz", "w:gz") as archive:
    archive.add("source/data", arcname="data")

path = keras.utils.get_file(
    "data.tar.gz", "file://" + os.path.abspath("source/data.tar.gz"), untar=True, cache_dir=".", cache_subdir=""
)
data_dir = os.path.join(os.path.dirname(path), "data")
print(os.listdir(os.path.join(data_dir, "pos")))
