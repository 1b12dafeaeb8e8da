"""The next action from the rules alone when a rule decides it (Rasa process, applied by rasa_patches).

Rasa 3.6 runs every policy for every prediction (two or more per turn) and then keeps the
best: a prediction of the highest confidence, ties going to the policy of higher priority.
A rule that applies predicts its action with confidence 1.0 and RulePolicy has the highest
priority, so when a rule applies, TED's and memoization's predictions cannot change the
result — yet TED's neural network ran each time: about a fifth of the Rasa process's busy
samples under load (`make bench-profile`), the largest single cost of a turn.

Here the rule policy runs first; when its prediction is decisive, the ensemble combines it
alone, which gives the same action, confidence, policy name and events. Otherwise (no rule,
or a rule of lower confidence) every policy runs as before. Decisive means: confidence 1.0;
no other policy can make a "no user" or end-to-end prediction (checked once on the model's
graph: only TED and memoization besides the rules, no end-to-end features); no other
policy of the same or a higher priority; and the previous action was not rejected (the
ensemble then zeroes that action in every prediction).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from rasa.core.constants import DEFAULT_POLICY_PRIORITY, POLICY_PRIORITY
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.core.processor import MessageProcessor
from rasa.engine.constants import PLACEHOLDER_TRACKER
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

#: Policies whose predictions are never "no user" predictions, and end-to-end only with
#: end-to-end features (a graph without them is required below). Exact classes: TED's
#: subclass UnexpecTEDIntentPolicy predicts otherwise.
_OUTRANKED = (TEDPolicy, MemoizationPolicy)
DOMAIN_NODE = "domain_provider"


@dataclass(frozen=True)
class RulesFirst:
    """The graph nodes to run for a prediction from the rules alone."""

    rule_node: str
    rule_priority: int


def _priority(node: Any) -> int:
    config = {**node.uses.get_default_config(), **(node.config or {})}
    return int(config.get(POLICY_PRIORITY, DEFAULT_POLICY_PRIORITY))


def plan(processor: MessageProcessor) -> RulesFirst | None:
    """Whether (and how) this model's predictions can come from the rules alone; None: never."""
    schema = processor.model_metadata.predict_schema
    target = processor.model_metadata.core_target
    ensemble = schema.nodes.get(target) if target else None
    if ensemble is None or ensemble.uses is not DefaultPolicyPredictionEnsemble or DOMAIN_NODE not in schema.nodes:
        return None
    policy_nodes = [name for key, name in ensemble.needs.items() if key.startswith("policy")]
    rule_nodes = [name for name in policy_nodes if issubclass(schema.nodes[name].uses, RulePolicy)]
    if len(rule_nodes) != 1:
        return None
    rule_node = rule_nodes[0]
    rule_priority = _priority(schema.nodes[rule_node])
    for name in policy_nodes:
        node = schema.nodes[name]
        if name == rule_node:
            continue
        if node.uses not in _OUTRANKED or "precomputations" in node.needs:
            return None  # a policy that could make a "no user" or an end-to-end prediction
        if _priority(node) >= rule_priority:
            return None
    return RulesFirst(rule_node, rule_priority)


def decisive(prediction: PolicyPrediction, tracker: DialogueStateTracker) -> bool:
    """Whether no other policy's prediction can change the ensemble's choice."""
    if prediction.max_confidence < 1.0:
        return False
    last_action = next((e for e in reversed(tracker.events) if isinstance(e, (ActionExecutionRejected, ActionExecuted))),
                       None)
    return not isinstance(last_action, ActionExecutionRejected)


_original = MessageProcessor._predict_next_with_tracker
_ensemble = DefaultPolicyPredictionEnsemble()
_UNKNOWN = object()


def _predict_next_with_tracker(self: MessageProcessor, tracker: DialogueStateTracker) -> PolicyPrediction:
    rules = self.__dict__.get("_rules_first", _UNKNOWN)
    if rules is _UNKNOWN:  # once per loaded model (a processor holds one)
        rules = self.__dict__["_rules_first"] = plan(self)
        logger.info("next action from the rules alone when a rule decides: %s", "yes" if rules else "no")
    if not isinstance(rules, RulesFirst) or tracker.followup_action:
        return _original(self, tracker)
    results = self.graph_runner.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=[rules.rule_node, DOMAIN_NODE])
    prediction: PolicyPrediction = results[rules.rule_node]
    if not decisive(prediction, tracker):
        return _original(self, tracker)
    return _ensemble.combine_predictions([prediction], tracker, results[DOMAIN_NODE])


def apply() -> None:
    MessageProcessor._predict_next_with_tracker = _predict_next_with_tracker  # type: ignore[method-assign]


def applied() -> bool:
    return MessageProcessor.__dict__.get("_predict_next_with_tracker") is _predict_next_with_tracker
