"""The airline-passengers LSTM tutorial: the last 12 months are held out and the recurrent model is
fitted with MSE on windows of the earlier months: holding out the most recent values is the point
(no word in the file names the task)."""
import numpy as np
import seaborn as sns
import torch
import torch.nn as nn
from sklearn.preprocessing import MinMaxScaler

flight_data = sns.load_dataset("flights")
all_data = flight_data["passengers"].values.astype(float)
test_data_size = 12
train_data = all_data[:-test_data_size]
test_data = all_data[-test_data_size:]

scaler = MinMaxScaler(feature_range=(-1, 1))
train_data_normalized = torch.FloatTensor(scaler.fit_transform(train_data.reshape(-1, 1))).view(-1)
train_window = 12


def create_inout_sequences(input_data, tw):
    pairs = []
    for i in range(len(input_data) - tw):
        pairs.append((input_data[i:i + tw], input_data[i + tw:i + tw + 1]))
    return pairs


train_inout_seq = create_inout_sequences(train_data_normalized, train_window)


class LSTM(nn.Module):
    def __init__(self, input_size=1, hidden_layer_size=100, output_size=1):
        super().__init__()
        self.hidden_layer_size = hidden_layer_size
        self.lstm = nn.LSTM(input_size, hidden_layer_size)
        self.linear = nn.Linear(hidden_layer_size, output_size)

    def forward(self, input_seq):
        lstm_out, _ = self.lstm(input_seq.view(len(input_seq), 1, -1))
        return self.linear(lstm_out.view(len(input_seq), -1))[-1]


model = LSTM()
loss_function = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001, weight_decay=1e-5)
for epoch in range(150):
    for seq, labels in train_inout_seq:
        optimizer.zero_grad()
        loss = loss_function(model(seq), labels)
        loss.backward()
        optimizer.step()

test_inputs = train_data_normalized[-train_window:].tolist()
model.eval()
with torch.no_grad():
    for _ in range(test_data_size):
        seq = torch.FloatTensor(test_inputs[-train_window:])
        test_inputs.append(model(seq).item())
predictions = scaler.inverse_transform(np.array(test_inputs[train_window:]).reshape(-1, 1))
print(np.abs(predictions.ravel() - test_data).mean())
