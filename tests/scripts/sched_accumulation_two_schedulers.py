"""Gradient accumulation with two schedulers stepped under the update guard: the transformers
warm-up is sized in updates and belongs there; the StepLR (step_size=2, in epochs) does not (FIT002)."""
import torch
from torch.optim.lr_scheduler import StepLR
from transformers import AutoModelForSequenceClassification, get_linear_schedule_with_warmup


def train(args, model, train_dataloader):
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
    total = len(train_dataloader) // args.gradient_accumulation_steps * args.epochs
    warmup = get_linear_schedule_with_warmup(optimizer, args.warmup, total)
    decay = StepLR(optimizer, step_size=2, gamma=0.5)
    for epoch in range(args.epochs):
        model.train()
        for step, batch in enumerate(train_dataloader):
            loss = model(**batch).loss / args.gradient_accumulation_steps
            loss.backward()
            if (step + 1) % args.gradient_accumulation_steps == 0:
                optimizer.step()
                warmup.step()
                decay.step()  # FIT002
                optimizer.zero_grad()
