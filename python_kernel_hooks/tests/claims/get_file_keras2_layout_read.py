# TensorFlow feature-columns tutorial: get_file(extract=True, cache_dir=".") with its result dropped, the
# CSV then read by the path Keras 2 extracted it to (./datasets/...). Keras 3.6+ extracts into
# ./datasets/<name>_extracted/: "No such file or directory" on every backend.
import os
import zipfile

import keras

os.makedirs("source", exist_ok=True)
with open("source/data.csv", "w") as f:
    f.write("a,b\n1,2\n")
with zipfile.ZipFile("source/data.zip", "w") as archive:
    archive.write("source/data.csv", "data/data.csv")

csv_file = "datasets/data/data.csv"
keras.utils.get_file("data.zip", "file://" + os.path.abspath("source/data.zip"), extract=True, cache_dir=".")
print(open(csv_file).read())
