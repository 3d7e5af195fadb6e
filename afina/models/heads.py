"""Model families and heads: what a base model is (decoder, encoder, encoder-decoder) and which head
a training objective puts on it, with the transformers Auto class and the peft task type of each head.

The head is separate from the objective: a reward model and a classifier share the
sequence-classification head; SFT and DPO share the causal-LM head.
"""

from __future__ import annotations

from dataclasses import dataclass

ENCODER_TYPES = {
    "bert",
    "distilbert",
    "roberta",
    "xlm-roberta",
    "camembert",
    "deberta",
    "deberta-v2",
    "electra",
    "albert",
    "modernbert",
    "mpnet",
}
# Modules that form a task head: trained in full (never adapted) by every method.
HEAD_NAMES = ("classifier", "pre_classifier", "score", "lm_head")


@dataclass(frozen=True)
class Head:
    """A model head: the Auto class that loads a base with it, peft's task type, the families it fits."""

    name: str
    auto_class: str
    peft_task_type: str
    families: tuple[str, ...]

    def load_class(self):
        """The transformers Auto class that loads a base model with this head."""
        import transformers

        return getattr(transformers, self.auto_class)


CAUSAL_LM = Head("causal_lm", "AutoModelForCausalLM", "CAUSAL_LM", ("decoder",))
SEQUENCE_CLASSIFICATION = Head(
    "sequence_classification", "AutoModelForSequenceClassification", "SEQ_CLS", ("encoder", "decoder")
)
SEQ2SEQ_LM = Head("seq2seq_lm", "AutoModelForSeq2SeqLM", "SEQ_2_SEQ_LM", ("encoder-decoder",))
HEADS = {head.name: head for head in (CAUSAL_LM, SEQUENCE_CLASSIFICATION, SEQ2SEQ_LM)}


def head_of_peft_task(task_type: str) -> Head:
    """The head of a saved PEFT adapter, from the `task_type` in its adapter_config.json."""
    return next(head for head in HEADS.values() if head.peft_task_type == task_type)


def family(model_config) -> str:
    """decoder, encoder or encoder-decoder, read from a transformers config."""
    if getattr(model_config, "is_encoder_decoder", False):
        return "encoder-decoder"
    architectures = getattr(model_config, "architectures", None) or []
    if model_config.model_type in ENCODER_TYPES or any("MaskedLM" in a for a in architectures):
        return "encoder"
    return "decoder"


def label_kwargs(labels: list[str] | None) -> dict:
    """from_pretrained() arguments that size a classification head for these labels (none without labels)."""
    if not labels:
        return {}
    return {
        "num_labels": len(labels),
        "id2label": dict(enumerate(labels)),
        "label2id": {label: i for i, label in enumerate(labels)},
    }
