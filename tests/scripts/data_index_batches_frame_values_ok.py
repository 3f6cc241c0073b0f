"""The twin of data_index_batches_frame_values.py, correct: the same tabular data and hand
batching, through a fresh permutation every epoch.
"""
import pandas as pd
import torch
import torch.nn as nn


def load_data(csv_path):
    df = pd.read_csv(csv_path)
    features = [c for c in df.columns if c != "Churn"]
    X = torch.tensor(df[features].values, dtype=torch.float32)
    y = torch.tensor(df["Churn"].values, dtype=torch.float32).unsqueeze(1)
    return df, X, y


def train(train_path, val_path, num_epochs=40, batch_size=32):
    df_train, X_train, y_train = load_data(train_path)
    df_val, X_val, y_val = load_data(val_path)
    model = nn.Sequential(nn.Linear(X_train.shape[1], 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 1), nn.Sigmoid())
    criterion = nn.BCELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    for epoch in range(num_epochs):
        model.train()
        perm = torch.randperm(len(X_train))
        for i in range(0, len(X_train), batch_size):
            idx = perm[i : i + batch_size]
            batch_X, batch_y = X_train[idx], y_train[idx]
            optimizer.zero_grad()
            loss = criterion(model(batch_X), batch_y)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            val_loss = criterion(model(X_val), y_val).item()
        print(f"epoch {epoch + 1}: validation loss {val_loss:.4f}")
    return model


if __name__ == "__main__":
    train("data/train.csv", "data/val.csv")
