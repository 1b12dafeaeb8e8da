"""DIET and TED loaded without a training step (assistant/model_loading.py) predict exactly what
Rasa's own load predicts: every intent ranking of the NLU dev set, TED's probabilities over a few
conversations, and every weight of both models."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import numpy
import pytest
import yaml
from rasa.core.agent import Agent, load_agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted
from rasa.utils.tensorflow.models import RasaModel

from assistant import model_loading
from assistant.settings import ROOT

MODEL = ROOT / "models" / "assistant.tar.gz"
DEV = Path(__file__).with_name("nlu_dev.yml")
CONVERSATIONS = [
    ["Bonjour", "Quel est le capital minimum pour une SARL ?", "et pour une SA ?", "merci"],
    ["salam", "wach n9der ndir auto-entrepreneur w ana sakn f Italia?", "bghit nhder m3a chi wa7ed", "oui", "Karim"],
    ["Hello", "What is MDM Invest?", "and the tax rate?", "xqzw plorf", "I want to talk to a human", "bye"],
]


def predictions(agent: Agent) -> dict[str, Any]:
    """NLU rankings of the dev messages; TED's probabilities after each message of the conversations."""
    texts = [m["text"] for m in yaml.safe_load(DEV.read_text(encoding="utf-8"))["messages"]]
    nlu = [asyncio.run(agent.parse_message(text)).get("intent_ranking") for text in texts]
    processor = agent.processor
    assert processor is not None
    ted = next(n for n in processor.model_metadata.predict_schema.nodes if n.startswith("run_TEDPolicy"))

    async def converse() -> list[list[float]]:
        probabilities = []
        for n, conversation in enumerate(CONVERSATIONS):
            for text in conversation:
                tracker = await processor.fetch_tracker_and_update_session(f"loading-{n}")
                await processor._handle_message_with_tracker(UserMessage(text, sender_id=f"loading-{n}"), tracker)
                prediction = processor.graph_runner.run(inputs={"__tracker__": tracker}, targets=[ted])[ted]
                probabilities.append(list(prediction.probabilities))
                tracker.update(ActionExecuted("action_listen"))
                await processor.save_tracker(tracker)
        return probabilities

    nodes = processor.graph_runner._instantiated_nodes  # type: ignore[attr-defined]
    weights = {name: [v.numpy() for v in node._component.model.weights]
               for name, node in nodes.items() if name.startswith(("run_TEDPolicy", "run_DIETClassifier"))}
    return {"nlu": nlu, "ted": asyncio.run(converse()), "weights": weights}


@pytest.mark.timeout(900)  # two loads of the model and its predictions: 200 s on a loaded machine
def test_the_same_predictions_as_rasas_own_load(monkeypatch: pytest.MonkeyPatch) -> None:
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` first")
    assert not model_loading.applied()
    started = time.process_time()
    expected = predictions(asyncio.run(load_agent(model_path=str(MODEL))))
    rasa_load = time.process_time() - started
    monkeypatch.setattr(RasaModel, "load", classmethod(model_loading.load))
    assert model_loading.applied()
    started = time.process_time()
    got = predictions(asyncio.run(load_agent(model_path=str(MODEL))))
    ours = time.process_time() - started
    assert got["nlu"] == expected["nlu"]
    assert any(max(p) > 0.5 for p in got["ted"])  # TED predicts (not all zeros)
    assert got["ted"] == expected["ted"]
    # every variable of both models, restored: none left out, none created after the restore
    assert sorted(got["weights"]) == sorted(expected["weights"]) and len(expected["weights"]) == 2
    for name, values in expected["weights"].items():
        assert len(got["weights"][name]) == len(values), name
        assert all(numpy.array_equal(a, b) for a, b in zip(got["weights"][name], values, strict=True)), name
    print(f"\nload and predictions: Rasa's {rasa_load:.1f} s CPU, without a training step {ours:.1f} s")
