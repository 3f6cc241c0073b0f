"""A recurrent network from scratch in the Dive-into-Deep-Learning style: parameters in a list,
the state made by an init_rnn_state helper, predict_rnn and the training function receive the
model's functions as arguments; gradient clipping and a hand-written SGD step."""
import math
import time

import torch
import torch.nn.functional as F

import d2lzh_pytorch as d2l

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
corpus_indices, char_to_idx, idx_to_char, vocab_size = d2l.load_data_jay_lyrics()
num_inputs, num_hiddens, num_outputs = vocab_size, 256, vocab_size


def to_onehot(X, n_class):
    return [F.one_hot(X[:, i], n_class).float() for i in range(X.shape[1])]


def get_params():
    def _one(shape):
        return torch.nn.Parameter(torch.randn(shape, device=device) * 0.01, requires_grad=True)

    return [_one((num_inputs, num_hiddens)), _one((num_hiddens, num_hiddens)),
            torch.nn.Parameter(torch.zeros(num_hiddens, device=device)), _one((num_hiddens, num_outputs)),
            torch.nn.Parameter(torch.zeros(num_outputs, device=device))]


def init_rnn_state(batch_size, num_hiddens, device):
    return (torch.zeros((batch_size, num_hiddens), device=device),)


def rnn(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = torch.tanh(X @ W_xh + H @ W_hh + b_h)
        outputs.append(H @ W_hq + b_q)
    return outputs, (H,)


def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state, num_hiddens, vocab_size, device, idx_to_char,
                char_to_idx):
    state = init_rnn_state(1, num_hiddens, device)
    output = [char_to_idx[prefix[0]]]
    with torch.no_grad():
        for t in range(num_chars + len(prefix) - 1):
            X = to_onehot(torch.tensor([[output[-1]]], device=device), vocab_size)
            Y, state = rnn(X, state, params)
            output.append(char_to_idx[prefix[t + 1]] if t < len(prefix) - 1 else int(Y[0].argmax(dim=1).item()))
    return "".join(idx_to_char[i] for i in output)


def grad_clipping(params, theta, device):
    norm = torch.tensor([0.0], device=device)
    for param in params:
        norm += (param.grad.data ** 2).sum()
    norm = norm.sqrt().item()
    if norm > theta:
        for param in params:
            param.grad.data *= theta / norm


def train_and_predict_rnn(rnn, get_params, init_rnn_state, num_hiddens, vocab_size, device, corpus_indices,
                          idx_to_char, char_to_idx, num_epochs, num_steps, lr, clipping_theta, batch_size, prefixes):
    params = get_params()
    loss = torch.nn.CrossEntropyLoss()
    for epoch in range(num_epochs):
        state = init_rnn_state(batch_size, num_hiddens, device)
        l_sum, n, start = 0.0, 0, time.time()
        for X, Y in d2l.data_iter_consecutive(corpus_indices, batch_size, num_steps, device):
            for s in state:
                s.detach_()
            outputs, state = rnn(to_onehot(X, vocab_size), state, params)
            y = torch.transpose(Y, 0, 1).contiguous().view(-1)
            l = loss(torch.cat(outputs, dim=0), y.long())
            for param in params:
                if param.grad is not None:
                    param.grad.data.zero_()
            l.backward()
            grad_clipping(params, clipping_theta, device)
            d2l.sgd(params, lr, 1)
            l_sum += l.item() * y.shape[0]
            n += y.shape[0]
        if (epoch + 1) % 50 == 0:
            print(f"epoch {epoch + 1}, perplexity {math.exp(l_sum / n):.2f}, time {time.time() - start:.2f} sec")
            for prefix in prefixes:
                print(" -", predict_rnn(prefix, 50, rnn, params, init_rnn_state, num_hiddens, vocab_size, device,
                                        idx_to_char, char_to_idx))


train_and_predict_rnn(rnn, get_params, init_rnn_state, num_hiddens, vocab_size, device, corpus_indices, idx_to_char,
                      char_to_idx, 250, 35, 1e2, 1e-2, 32, ["the ", "she "])
