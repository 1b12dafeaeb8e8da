"""Loading the trained DIET and TED models without a training step (Rasa process, applied by rasa_patches).

Rasa 3.6's `RasaModel.load` creates a model's variables by fitting it on one example (Keras
`fit`: a traced training function with its gradients and an optimizer step), then overwrites
them with the trained weights. Tracing that training step was about half of a Rasa start
(py-spy: Keras `fit` 63 s of a 132 s start on the loaded machine). The variables only need
to exist: the forward pass (`batch_loss`) creates every one of them. TED's forward pass is
traced (tf.function), as the training step was, because its `tf.cond`s create the variables of
both branches only when traced (eagerly, the variables of the branch not taken would be created
later, after the restore, and never restored: TED predicted all zeros); DIET's runs eagerly. The
optimizer's slots are not created (no step is taken), so the restore expects that part of the
checkpoint to stay unused. Same predictions, float for float
(tests/rasa_env/test_model_loading.py); the agent's load took 28.7/25.2 s CPU, 15.6/14.8 s with
this (separate processes, same period); the load with finetuning (`rasa train --finetune`) is Rasa's own.
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

#: Rasa's own `RasaModel.load` (the function under the classmethod).
RASA_LOAD = RasaModel.__dict__["load"].__func__
#: Models whose forward pass creates all their variables when run eagerly (no `tf.cond` on data).
EAGER = {"DIET"}


def load(cls: type[RasaModel], model_file_name: str, model_data_example: RasaModelData,
         predict_data_example: RasaModelData | None = None, finetune_mode: bool = False,
         *args: Any, **kwargs: Any) -> RasaModel:
    """`RasaModel.load` with the variables created by one forward pass instead of a training step."""
    if finetune_mode:
        return RASA_LOAD(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                         *args, **kwargs)
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
                  run_eagerly=config.get(RUN_EAGERLY))
    batch = RasaBatchDataGenerator(model_data_example, batch_size=1)[0][0]
    model._training = True  # the training graph's layers, as `fit` builds them
    forward = model.batch_loss if cls.__name__ in EAGER else tf.function(model.batch_loss)
    forward(batch)
    model._training = False
    model.load_weights(model_file_name).expect_partial()  # the optimizer's slots: no step, none created
    if predict_data_example:
        model.run_inference(predict_data_example)  # traces the prediction once, as Rasa does
    return model


def apply() -> None:
    RasaModel.load = classmethod(load)  # type: ignore[assignment,method-assign]


def applied() -> bool:
    return RasaModel.__dict__["load"].__func__ is load
