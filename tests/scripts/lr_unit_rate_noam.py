"""The same Transformer trained with Adam at lr=1.0 and the Noam schedule left out: every step
runs at a rate of 1, a thousand times Adam's usual range, and the loss diverges."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from dataset import TranslationPairs

d_model = 512
pairs = TranslationPairs("multi30k")
loader = DataLoader(pairs, batch_size=64, shuffle=True, collate_fn=pairs.collate)
model = nn.Transformer(d_model=d_model, nhead=8, num_encoder_layers=3, num_decoder_layers=3, dropout=0.1)
embed = nn.Embedding(pairs.vocab_size, d_model)
head = nn.Linear(d_model, pairs.vocab_size)
params = list(model.parameters()) + list(embed.parameters()) + list(head.parameters())


optimizer = torch.optim.Adam(params, lr=1.0, betas=(0.9, 0.98), eps=1e-9)  # expect: FIT505
criterion = nn.CrossEntropyLoss(ignore_index=0, label_smoothing=0.1)
for epoch in range(20):
    model.train()
    for src, tgt_in, tgt_out in loader:
        optimizer.zero_grad()
        out = model(embed(src), embed(tgt_in), tgt_mask=model.generate_square_subsequent_mask(tgt_in.size(0)))
        loss = criterion(head(out).view(-1, pairs.vocab_size), tgt_out.view(-1))
        loss.backward()
        optimizer.step()
