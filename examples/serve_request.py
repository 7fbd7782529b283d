"""Ask a TF Serving server to classify image files, through the SavedModel's image-bytes signature.

Builds the REST request TF Serving's `/v1/models/NAME:predict` takes (`{"b64": ...}` for the
`image_bytes` input) and, with `--grpc`, the same `PredictRequest` for port 8500 (needs the
`tensorflow-serving-api` client library). Without a server, `--local EXPORT_DIR` answers the request with
the exported SavedModel itself (`tf.saved_model.load`), exactly as the server would run it, so the request
can be checked before deploying.

Usage:
    python examples/serve_request.py cat.jpg dog.png --model lenet5 --server http://localhost:8501
    python examples/serve_request.py cat.jpg --model lenet5 --local saved_models/lenet5/1
    python examples/serve_request.py cat.jpg --model lenet5 --grpc localhost:8500
"""

from __future__ import annotations

import argparse
import base64
import json
import pathlib
import urllib.request

SIGNATURE = "classify_image_bytes"


def rest_request(paths) -> dict:
    """The JSON body of a REST predict call: each file's bytes, base64-encoded, under `image_bytes`."""
    instances = []
    for path in paths:
        with open(path, "rb") as file:
            instances.append({"image_bytes": {"b64": base64.b64encode(file.read()).decode("ascii")}})
    return {"signature_name": SIGNATURE, "instances": instances}


def ask_server(server: str, model: str, body: dict) -> list:
    request = urllib.request.Request(
        f"{server.rstrip('/')}/v1/models/{model}:predict",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["predictions"]


def answer_locally(export_dir: str, body: dict) -> list:
    """What TF Serving would answer: decode the base64 the way its REST layer does, run the signature."""
    import tensorflow as tf

    loaded = tf.saved_model.load(export_dir)
    data = [base64.b64decode(item["image_bytes"]["b64"]) for item in body["instances"]]
    outputs = loaded.signatures[body["signature_name"]](image_bytes=tf.constant(data))
    rows = {key: value.numpy() for key, value in outputs.items()}
    return [
        {key: (value[i].astype(str) if value.dtype.kind in "SO" else value[i]).tolist() for key, value in rows.items()}
        for i in range(len(data))
    ]


def grpc_predict(address: str, model: str, paths) -> dict:
    import grpc
    import tensorflow as tf
    from tensorflow_serving.apis import predict_pb2, prediction_service_pb2_grpc

    request = predict_pb2.PredictRequest()
    request.model_spec.name = model
    request.model_spec.signature_name = SIGNATURE
    request.inputs["image_bytes"].CopyFrom(tf.make_tensor_proto([pathlib.Path(p).read_bytes() for p in paths]))
    stub = prediction_service_pb2_grpc.PredictionServiceStub(grpc.insecure_channel(address))
    response = stub.Predict(request, 60.0)
    return {key: tf.make_ndarray(value).tolist() for key, value in response.outputs.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("images", nargs="+", help="JPEG/PNG/BMP/GIF files")
    parser.add_argument("--model", required=True, help="the model's name on the server")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--server", help="TF Serving's REST address, e.g. http://localhost:8501")
    where.add_argument("--grpc", help="TF Serving's gRPC address, e.g. localhost:8500")
    where.add_argument("--local", metavar="EXPORT_DIR", help="answer with this SavedModel version folder instead")
    args = parser.parse_args(argv)
    if args.grpc:
        print(json.dumps(grpc_predict(args.grpc, args.model, args.images)))
        return
    body = rest_request(args.images)
    predictions = ask_server(args.server, args.model, body) if args.server else answer_locally(args.local, body)
    for path, prediction in zip(args.images, predictions):
        best = ", ".join(
            f"{name} {p:.1%}" for name, p in zip(prediction["top_k_classes"], prediction["top_k_probabilities"])
        )
        print(f"{path}: {best}")


if __name__ == "__main__":
    main()
