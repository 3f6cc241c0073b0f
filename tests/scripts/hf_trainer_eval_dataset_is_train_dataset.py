"""A quick Hugging Face fine-tune: the Trainer evaluates on the very dataset it trains on, so
every reported eval accuracy measures memorization."""
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

checkpoint = "distilbert-base-uncased"
tokenizer = AutoTokenizer.from_pretrained(checkpoint)
model = AutoModelForSequenceClassification.from_pretrained(checkpoint, num_labels=2)

raw = load_dataset("csv", data_files="reviews.csv")["train"]
tokenized_dataset = raw.map(lambda batch: tokenizer(batch["text"], truncation=True, padding="max_length"), batched=True)

args = TrainingArguments(
    output_dir="out",
    evaluation_strategy="epoch",
    per_device_train_batch_size=16,
    num_train_epochs=3,
    learning_rate=2e-5,
    weight_decay=0.01,
)
trainer = Trainer(
    model=model,
    args=args,
    train_dataset=tokenized_dataset,
    eval_dataset=tokenized_dataset,  # expect: FIT603
)
trainer.train()
print(trainer.evaluate())
