"""Each paper's training recipe as data, with the citation: optimizer, schedule, decay, batch, augmentation.

A `Recipe`'s learning rate is the paper's at its batch size (`reference_batch`); `fit` scales it linearly
with the global batch actually used (Goyal et al. 2017). Weight decay is *coupled* L2 (added to the
gradient, what the papers used and what `weight_decay` meant in Caffe and PyTorch's SGD) unless
`decoupled=True` (AdamW-style, Keras' own `weight_decay`); `decay_norm_and_bias=False` leaves BatchNorm
parameters and biases undecayed where the recipe says so.

Example:
    >>> from keras_classics.training.recipes import recipe
    >>> r = recipe("alexnet")
    >>> r.optimizer, r.learning_rate, r.momentum, r.weight_decay, r.schedule
    ('sgd', 0.01, 0.9, 0.0005, 'plateau')
    >>> recipe("resnet").scaled_learning_rate(1024)   # 0.1 at 256, scaled linearly
    0.4
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Recipe:
    """How to train: every field a paper states, or our own measurement for the small-data recipes."""

    name: str
    citation: str
    optimizer: str = "sgd"  # "sgd", "rmsprop", "adam", "adamw"
    learning_rate: float = 0.1
    reference_batch: int = 256  # the batch size `learning_rate` belongs to
    momentum: float = 0.9
    nesterov: bool = False
    weight_decay: float = 1e-4
    decoupled: bool = False  # True: AdamW-style decay; False: coupled L2, as the papers
    decay_norm_and_bias: bool = True
    schedule: str = "step"  # "step", "cosine", "plateau", "exponential", "constant"
    step_epochs: tuple = (30, 60, 90)  # "step": divide by 10 at these epochs
    decay_rate: float = 0.96  # "exponential": multiply by this every `decay_epochs`
    decay_epochs: float = 8.0
    warmup_epochs: float = 0.0
    epochs: int = 90
    batch_size: int = 256
    label_smoothing: float = 0.0
    augmentation: str = "resnet"  # a `keras_classics.data.presets` name
    image_size: int | None = None  # None: the model's default input size
    aux_loss_weight: float = 0.0  # auxiliary classifiers' loss weight (GoogLeNet 0.3)
    rmsprop_rho: float = 0.9
    rmsprop_epsilon: float = 1.0
    kernel_init: str | None = None  # a `keras_classics.models.initialization` scheme; None: the reference's
    weight_averaging: float = 0.0  # decay of an exponential moving average of the weights; 0: none

    def scaled_learning_rate(self, global_batch: int) -> float:
        """The learning rate for `global_batch`, scaled linearly from `reference_batch`."""
        return self.learning_rate * global_batch / self.reference_batch


RECIPES = {
    r.name: r
    for r in (
        Recipe(
            "alexnet",
            "Krizhevsky et al. 2012, Sec. 5: SGD, batch 128, momentum 0.9, weight decay 5e-4, lr 0.01 divided by "
            "10 when the validation error stopped improving, about 90 epochs",
            learning_rate=0.01,
            reference_batch=128,
            weight_decay=5e-4,
            schedule="plateau",
            epochs=90,
            batch_size=128,
            augmentation="alexnet",
            kernel_init="paper",  # Sec. 5: N(0, 0.01^2), biases 1 in conv2/4/5 and the hidden FC layers
        ),
        Recipe(
            "vgg",
            "Simonyan & Zisserman 2015, Sec. 3.1: SGD, batch 256, momentum 0.9, L2 5e-4, dropout 0.5, lr 0.01 "
            "divided by 10 when validation accuracy stopped improving (3 times), 74 epochs; scale jittering",
            learning_rate=0.01,
            weight_decay=5e-4,
            schedule="plateau",
            epochs=74,
            augmentation="vgg",
            # Sec. 3.1: Glorot's scheme trains the deep nets without pre-training, as the authors found after
            # submission; kernel_init="paper" with `warm_start` from a trained net A is the published procedure.
            kernel_init="glorot",
        ),
        Recipe(
            "googlenet",
            "Szegedy et al. 2015, Sec. 6: asynchronous SGD, momentum 0.9, lr decreased by 4% every 8 epochs; "
            "auxiliary losses weighted 0.3 (lr and decay not stated: torchvision's reference values)",
            learning_rate=0.1,
            weight_decay=1e-4,
            schedule="exponential",
            decay_rate=0.96,
            decay_epochs=8,
            epochs=120,
            augmentation="inception",
            aux_loss_weight=0.3,
        ),
        Recipe(
            "inception_v3",
            "Szegedy et al. 2016, Sec. 8: RMSProp (decay 0.9, epsilon 1.0), lr 0.045 decayed by 0.94 every 2 "
            "epochs, batch 32 x 50 replicas, label smoothing 0.1, auxiliary head weight 0.4",
            optimizer="rmsprop",
            learning_rate=0.045,
            reference_batch=1600,
            momentum=0.9,
            weight_decay=4e-5,
            schedule="exponential",
            decay_rate=0.94,
            decay_epochs=2,
            epochs=100,
            batch_size=32,
            label_smoothing=0.1,
            augmentation="inception",
            image_size=299,
            aux_loss_weight=0.4,
            weight_averaging=0.9999,  # "evaluations are performed using a running average of the parameters"
        ),
        Recipe(
            "resnet",
            "He et al. 2016, Sec. 3.4: SGD, batch 256, momentum 0.9, weight decay 1e-4, lr 0.1 divided by 10 at "
            "30/60 epochs (torchvision: 90 epochs); warmup for large batches (Goyal et al. 2017)",
            learning_rate=0.1,
            weight_decay=1e-4,
            schedule="step",
            step_epochs=(30, 60, 80),
            epochs=90,
            augmentation="resnet",
            warmup_epochs=0.0,
            kernel_init="he",  # Sec. 3.4: "We initialize the weights as in [13]" (He et al. 2015)
        ),
        Recipe(
            "mobilenet",
            "Howard et al. 2017 / Sandler et al. 2018: RMSProp (decay 0.9, momentum 0.9), lr 0.045 decayed by "
            "0.98 per epoch, weight decay 4e-5, batch 96 per GPU x 16",
            optimizer="rmsprop",
            learning_rate=0.045,
            reference_batch=1536,
            weight_decay=4e-5,
            decay_norm_and_bias=False,
            schedule="exponential",
            decay_rate=0.98,
            decay_epochs=1,
            epochs=300,
            batch_size=96,
            augmentation="inception",
        ),
        Recipe(
            "efficientnet",
            "Tan & Le 2019, Sec. 5.2: RMSProp (decay 0.9, momentum 0.9), batch norm momentum 0.99, weight "
            "decay 1e-5, lr 0.256 decayed by 0.97 every 2.4 epochs, batch 4096 (0.016 per 256)",
            optimizer="rmsprop",
            learning_rate=0.016,
            weight_decay=1e-5,
            decay_norm_and_bias=False,
            schedule="exponential",
            decay_rate=0.97,
            decay_epochs=2.4,
            warmup_epochs=5,
            epochs=350,
            augmentation="inception",
            kernel_init="he",  # the TPU reference: normal, std sqrt(2 / fan_out)
            weight_averaging=0.9999,  # the TPU reference's moving_average_decay
        ),
        Recipe(
            "modern",
            "DeiT (Touvron et al. 2021) / timm: AdamW lr 5e-4 per 512, weight decay 0.05 (decoupled), cosine "
            "with 5 warmup epochs, label smoothing 0.1, mixup 0.8 / cutmix 1.0",
            optimizer="adamw",
            learning_rate=5e-4,
            reference_batch=512,
            weight_decay=0.05,
            decoupled=True,
            decay_norm_and_bias=False,
            schedule="cosine",
            warmup_epochs=5,
            epochs=300,
            batch_size=256,
            label_smoothing=0.1,
            augmentation="modern",
        ),
        Recipe(
            "digits",
            "ours, measured: LeNet-5 on the 8x8 digits upsampled to 32x32, Adam 2e-3 with a cosine decay and "
            "+-8% random shifts: 96.9-98.1% held out in 30 epochs (seeds 0-7, mean 97.5%)",
            optimizer="adam",
            learning_rate=2e-3,
            reference_batch=32,
            weight_decay=0.0,
            schedule="cosine",
            epochs=30,
            batch_size=32,
            augmentation="small",
        ),
        Recipe(
            "small_photos",
            "ours, measured: ResNet-18 from scratch on cats_vs_dogs (1,600 photos, a fifth held out): AdamW 2e-3 "
            "per 32, decoupled decay 0.05, cosine with 1 warmup epoch, random resized crops keeping 25-100% of the "
            "area and flips at 96x96, 36 epochs: 81.5% / 80.0% held out (seeds 0/1), 17.5 min on 2 CPU cores",
            optimizer="adamw",
            learning_rate=2e-3,
            reference_batch=32,
            weight_decay=0.05,
            decoupled=True,
            decay_norm_and_bias=False,
            schedule="cosine",
            warmup_epochs=1,
            epochs=36,
            batch_size=32,
            augmentation="photos",
            image_size=96,
        ),
    )
}

# The recipe a registered family trains with by default.
FAMILY_RECIPES = {
    "lenet": "digits",
    "alexnet": "alexnet",
    "zfnet": "alexnet",
    "vgg": "vgg",
    "inception": "googlenet",
    "mobilenet": "mobilenet",
    "shufflenet": "mobilenet",
    "ghostnet": "mobilenet",
    "efficientnet": "efficientnet",
    "efficientnet_v2": "efficientnet",
    "vit": "modern",
    "convnext": "modern",
}


def recipe(name: str) -> Recipe:
    """The named recipe; the error lists them all."""
    if not isinstance(name, str) or name not in RECIPES:
        raise ValueError(f"unknown recipe {name!r}; choose one of {', '.join(RECIPES)}")
    return RECIPES[name]


def recipe_for(model_name: str, family: str) -> Recipe:
    """The default recipe of a registered model: its family's paper, else ResNet's."""
    if model_name.startswith("inception_v3"):
        return RECIPES["inception_v3"]
    return RECIPES[FAMILY_RECIPES.get(family, "resnet")]
