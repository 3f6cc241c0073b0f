"""A deployed classifier: the model and its preprocessing transform come from a factory, the
weights from a file; predict() transforms an image, then runs the model in inference mode."""
from timeit import default_timer as timer
from typing import Dict, Tuple

import gradio as gr
import torch

from model import create_effnetb2_model

class_names = ["pizza", "steak", "sushi"]
effnetb2, effnetb2_transforms = create_effnetb2_model(num_classes=len(class_names))
effnetb2.load_state_dict(torch.load("effnetb2_feature_extractor.pth", map_location=torch.device("cpu")))


def predict(img) -> Tuple[Dict, float]:
    start_time = timer()
    img = effnetb2_transforms(img).unsqueeze(0)
    effnetb2.eval()
    with torch.inference_mode():
        pred_probs = torch.softmax(effnetb2(img), dim=1)
    labels_and_probs = {class_names[i]: float(pred_probs[0][i]) for i in range(len(class_names))}
    return labels_and_probs, round(timer() - start_time, 5)


for path in ["examples/pizza.jpg", "examples/sushi.jpg"]:
    print(predict(gr.processing_utils.decode_base64_to_image(open(path, "rb").read())))

demo = gr.Interface(fn=predict, inputs=gr.Image(type="pil"),
                    outputs=[gr.Label(num_top_classes=3, label="Predictions"), gr.Number(label="Prediction time (s)")])
demo.launch()
