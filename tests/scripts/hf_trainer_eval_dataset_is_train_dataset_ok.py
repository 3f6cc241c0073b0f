"""The same fine-tune with a held-out part carved off before training: the Trainer evaluates on
data it never trains on."""
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

checkpoint = "distilbert-base-uncased"
tokenizer = AutoTokenizer.from_pretrained(checkpoint)
model = AutoModelForSequenceClassification.from_pretrained(checkpoint, num_labels=2)

raw = load_dataset("csv", data_files="reviews.csv")["train"]
tokenized_dataset = raw.map(lambda batch: tokenizer(batch["text"], truncation=True, padding="max_length"), batched=True)
parts = tokenized_dataset.train_test_split(test_size=0.1, seed=42)

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
    train_dataset=parts["train"],
    eval_dataset=parts["test"],
)
trainer.train()
print(trainer.evaluate())
