"""A Keras-style binary classifier on 1,440 rows exported sorted by label.

`validation_split=0.2` takes the last 288 rows, before Keras shuffles anything: all of them from
the class stored last (FIT102). `shuffle=True` in `fit` does not help, it only shuffles the
training part after the split.
"""
import numpy as np
import pandas as pd
from tensorflow import keras

frame = pd.read_csv("measurements.csv")
features = frame.drop(columns=["label"]).to_numpy(dtype="float32")
labels = frame["label"].to_numpy()
features = (features - features.mean(axis=0)) / features.std(axis=0)

model = keras.Sequential([
    keras.layers.Input(shape=(features.shape[1],)),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(
    features,
    labels,
    batch_size=32,
    epochs=100,
    shuffle=True,
    validation_split=0.2,  # FIT102
    callbacks=[keras.callbacks.CSVLogger("training.log.csv")],
)
print(max(history.history["val_accuracy"]))
