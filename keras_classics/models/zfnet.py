"""ZFNet (Zeiler & Fergus 2013, "Visualizing and Understanding Convolutional Networks", Fig. 3).

AlexNet with the first layers changed after the paper's visualizations (Section 4.1): conv1 96@7x7 stride 2
(not 11x11/4) and conv2 256@5x5 stride 2, one tower, on 224x224 inputs. Each of the first two layers is
followed by a ReLU, a 3x3/2 max-pool and contrast normalization across feature maps (the paper's order,
Fig. 3; LRN with AlexNet's constants). The paper gives the map sizes, not the paddings; these give exactly
Fig. 3's 224 -> 110 -> 55 -> 26 -> 13 -> 13 -> 13 -> 6 in PyTorch's floor mode:

    conv1 pad 1: (224 + 2 - 7) // 2 + 1 = 110     pool1 pad 1: (110 + 2 - 3) // 2 + 1 = 55
    conv2 pad 0: (55 - 5) // 2 + 1 = 26           pool2 pad 1: (26 + 2 - 3) // 2 + 1 = 13
    conv3-5 pad 1: 13                             pool5 pad 0: (13 - 3) // 2 + 1 = 6  -> 6x6x256 into fc6

Parameters: 14,208 + 614,656 + 885,120 + 1,327,488 + 884,992 (convs) + 37,752,832 + 16,781,312 + 4,097,000
(fc6-8) = 62,357,608. Built by AlexNet's sequential builder (layers `features_i`, `classifier_i`).
"""

from keras_classics.blocks.sequential import LRN, RELU, Plan, conv, maxpool
from keras_classics.models.alexnet import ALEXNET_CLASSIFIER, SequentialRow, build_sequential, sequential_stages
from keras_classics.models.variant_table import register_family

FEATURES = (
    conv(96, 7, 2, 1), RELU, maxpool(3, 2, 1), LRN,  # 224 -> 110 -> 55
    conv(256, 5, 2, 0), RELU, maxpool(3, 2, 1), LRN,  # 55 -> 26 -> 13
    conv(384, 3), RELU,
    conv(384, 3), RELU,
    conv(256, 3), RELU, maxpool(3, 2),  # 13 -> 6
)  # fmt: skip

# fmt: off
VARIANTS = (
    SequentialRow(Plan(FEATURES, ALEXNET_CLASSIFIER), name="zfnet", reference="paper:Zeiler & Fergus 2013 Fig. 3",
                  params=62_357_608, params_source="shared/reference/architectures.csv (Fig. 3 layer sizes, our count)",
                  doc="ZFNet (Zeiler & Fergus 2013 Fig. 3): AlexNet with conv1 96@7x7/2 and conv2 256@5x5/2, one "
                  "tower."),
)
# fmt: on

register_family(
    VARIANTS,
    build_sequential,
    options={"dropout_rate": 0.5},
    family="zfnet",
    head_modules=("classifier",),
    paper="Zeiler & Fergus 2013, Visualizing and Understanding Convolutional Networks",
    default_size=224,
    min_size=53,
    stages=sequential_stages,
)
