"""A Hugging Face Trainer fine-tuning on a csv that only has a training split: the evaluation
dataset is the same entry of the tokenized dataset as the training one (FIT603)."""
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
raw = load_dataset("csv", data_files={"train": "data/train.csv"})
tokenized = raw.map(lambda batch: tokenizer(batch["text"], truncation=True, padding="max_length"), batched=True)
model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=2)
training_args = TrainingArguments(output_dir="out", num_train_epochs=3, per_device_train_batch_size=16,
                                  evaluation_strategy="epoch", weight_decay=0.01)
trainer = Trainer(
    model=model,
    args=training_args,
    train_dataset=tokenized["train"],
    eval_dataset=tokenized["train"],  # expect: FIT603
)
trainer.train()
