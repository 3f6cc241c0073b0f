"""Causal language-model fine-tuning without the Trainer: texts grouped into blocks, manual
gradient accumulation with a per-update scheduler, perplexity on the validation split, the best
checkpoint kept on it."""
import math
from itertools import chain

import torch
from datasets import load_dataset
from torch.utils.data import DataLoader
from tqdm.auto import tqdm
from transformers import AutoModelForCausalLM, AutoTokenizer, default_data_collator, get_scheduler

model_name = "gpt2"
block_size = 512
gradient_accumulation_steps = 8
num_train_epochs = 3
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

raw_datasets = load_dataset("wikitext", "wikitext-2-raw-v1")
tokenizer = AutoTokenizer.from_pretrained(model_name)
model = AutoModelForCausalLM.from_pretrained(model_name).to(device)


def tokenize_function(examples):
    return tokenizer(examples["text"])


def group_texts(examples):
    concatenated = {k: list(chain(*examples[k])) for k in examples.keys()}
    total_length = (len(concatenated["input_ids"]) // block_size) * block_size
    result = {k: [t[i:i + block_size] for i in range(0, total_length, block_size)] for k, t in concatenated.items()}
    result["labels"] = result["input_ids"].copy()
    return result


tokenized = raw_datasets.map(tokenize_function, batched=True, remove_columns=["text"])
lm_datasets = tokenized.map(group_texts, batched=True)
train_dataset = lm_datasets["train"]
eval_dataset = lm_datasets["validation"]
train_dataloader = DataLoader(train_dataset, shuffle=True, collate_fn=default_data_collator, batch_size=4)
eval_dataloader = DataLoader(eval_dataset, collate_fn=default_data_collator, batch_size=8)

no_decay = ["bias", "layer_norm.weight"]
optimizer_grouped_parameters = [
    {"params": [p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)], "weight_decay": 0.01},
    {"params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
]
optimizer = torch.optim.AdamW(optimizer_grouped_parameters, lr=5e-5)
num_update_steps_per_epoch = math.ceil(len(train_dataloader) / gradient_accumulation_steps)
max_train_steps = num_train_epochs * num_update_steps_per_epoch
lr_scheduler = get_scheduler("cosine", optimizer=optimizer, num_warmup_steps=200, num_training_steps=max_train_steps)

progress_bar = tqdm(range(max_train_steps))
best_perplexity = float("inf")
for epoch in range(num_train_epochs):
    model.train()
    for step, batch in enumerate(train_dataloader):
        batch = {k: v.to(device) for k, v in batch.items()}
        loss = model(**batch).loss / gradient_accumulation_steps
        loss.backward()
        if (step + 1) % gradient_accumulation_steps == 0 or step == len(train_dataloader) - 1:
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
            progress_bar.update(1)

    model.eval()
    losses = []
    for batch in eval_dataloader:
        batch = {k: v.to(device) for k, v in batch.items()}
        with torch.no_grad():
            losses.append(model(**batch).loss.item())
    perplexity = math.exp(sum(losses) / len(losses))
    print(f"epoch {epoch}: perplexity {perplexity:.2f}")
    if perplexity < best_perplexity:
        best_perplexity = perplexity
        model.save_pretrained("best-model")
        tokenizer.save_pretrained("best-model")
