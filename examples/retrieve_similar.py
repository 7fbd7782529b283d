"""Find the photos most like a query by a network's features (AlexNet's fc7 retrieval experiment).

Indexes a folder with a trained model's penultimate features (or a named layer's), saves the index as a
`.npz` file so later queries skip the indexing (delete it when the folder changes), and prints the nearest images of each query.

Usage:
    python examples/retrieve_similar.py runs/alexnet-cats_vs_dogs --index photos/ --query cat.jpg --top 5
"""

from __future__ import annotations

import argparse
import os


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="a run folder from keras-classics train, a .keras file, or a registered name")
    parser.add_argument("--index", required=True, help="the folder of images to search")
    parser.add_argument("--query", nargs="+", required=True, help="image files to look up")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--layer", default=None, help="the layer whose output is the feature")
    parser.add_argument("--metric", choices=("cosine", "euclidean"), default="cosine")
    parser.add_argument("--saved-index", default="index.npz", help="the index file, reused when present")
    args = parser.parse_args(argv)

    from keras_classics.reuse import ImageIndex, embedding_model, load_images
    from keras_classics.weights import load_trained

    embed = embedding_model(load_trained(args.model), layer=args.layer)
    if os.path.exists(args.saved_index):
        index = ImageIndex.load(embed, args.saved_index)
        print(f"index of {len(index.names)} images read from {args.saved_index}")
    else:
        index = ImageIndex.from_folder(embed, args.index)
        index.save(args.saved_index)
        print(f"indexed {len(index.names)} images ({embed.output.shape[-1]}-d features) into {args.saved_index}")
    results = index.search(load_images(args.query, embed), k=args.top, metric=args.metric, query_names=args.query)
    print(results.to_string(index=False, float_format="{:.4f}".format))
    return results


if __name__ == "__main__":
    main()
