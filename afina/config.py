"""The typed schema of afina's YAML config: one section per stage, validated when it is read.

Every field has a default that works and a one-line description. Unknown keys are refused with
the nearest valid key suggested; `--set section.key=value` overrides are applied before validation.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, Field, NonNegativeInt, PositiveInt, ValidationError, field_validator, model_validator

from afina.errors import ConfigError
from afina.methods import method_params
from afina.models import ModelConfig, is_builtin
from afina.models.pretrain import PretrainConfig
from afina.objectives import all_objectives
from afina.runfolder import RunFolder
from afina.settings import Section
from afina.speed import SpeedConfig


class DataChecks(Section):
    max_pii: NonNegativeInt | None = Field(
        None,
        description="Most personal-data values left in the prepared data after data.pii (with report, all "
        "found); more: prepare exits 2 listing them by file, row and field. null: no check.",
    )
    max_near_duplicate_leaks: NonNegativeInt | None = Field(
        None,
        description="Most evaluation rows (validation or test) that are near-duplicates of a training row; more: "
        "prepare exits 2 listing the pairs. null: no check (they are listed in data_report.json).",
    )
    max_flagged: NonNegativeInt | None = Field(
        None,
        description="Most rows flagged by data.flag left in the prepared data (none when quarantined); more: "
        "prepare exits 2 listing them with their reasons. null: no check.",
    )


class DataConfig(Section):
    path: str = Field(
        "data.csv", description="Training data: a local CSV, TSV, JSON, JSONL or Parquet file, or hf://dataset-id."
    )
    format: Literal["auto", "csv", "tsv", "json", "jsonl", "parquet"] = Field(
        "auto", description="File format; auto reads the file extension."
    )
    delimiter: Literal[",", ";", "\t", "|"] | None = Field(
        None,
        description="What separates a CSV's columns; null: sniffed from the file (commas, semicolons as "
        "spreadsheets export them where the comma is the decimal mark, tabs, pipes). data_report.json says "
        "which was used.",
    )
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="Map canonical field -> your column, e.g. {prompt: pregunta, completion: respuesta}.",
    )
    labels: list[str] | None = Field(
        None, description="The allowed label set for text+label data; a row outside it is an error."
    )
    system_prompt: str | None = Field(
        None, description="A system message put before every prompt when rendering chats."
    )
    validation_size: float = Field(0.1, ge=0.0, lt=1.0, description="Fraction of rows for the validation split.")
    test_size: float = Field(
        0.1, ge=0.0, lt=1.0, description="Fraction of rows for the test split (ignored when test_path is set)."
    )
    test_path: str | None = Field(
        None, description="A separate test file; its prompts must not appear in the training data."
    )
    dedup: bool = Field(
        True, description="Drop exact duplicate rows (they are counted and listed in data_report.json)."
    )
    pii: Literal["off", "report", "mask", "drop"] = Field(
        "report",
        description="Personal data in the rows (e-mails, phones, DNI/NIE, NSS, SSN, passports, IBANs, cards, "
        "addresses, names; afina/records/pii.py): report counts it per type and field in data_report.json; mask "
        "replaces each value by a typed placeholder, the same for a value everywhere ([PHONE_1]); drop removes the "
        "rows holding any, each listed; off skips the scan.",
    )
    pii_allow: list[str] = Field(
        default_factory=list,
        description="Values that look like personal data but are not, left as they are: the shop's public phone "
        "and e-mail.",
    )
    near_duplicates: Literal["off", "report", "group", "collapse"] = Field(
        "report",
        description="Rows a word apart in prompt and answer (afina/data/near_duplicates.py): report lists those "
        "within the training file and those across splits (leaks) in data_report.json; group also puts each "
        "group of them in one split, as rows sharing a prompt are (exit 2 where that would leave validation or test "
        "less than half of what was asked); collapse keeps one row of each group, the "
        "others dropped and listed; off skips the search (rows sharing one long answer are compared pair by "
        "pair: tens of thousands of them take minutes).",
    )
    flag: bool = Field(
        True,
        description="Flag rows that may be wrong or planted, listed in data_report.json with their reasons: a "
        "label a cross-validated classifier disagrees with; a preference pair it reads the other way round; a "
        "rare phrase whose rows share one answer found nowhere else, or one label the rest of their text does "
        "not read as (a backdoor trigger); an answer sending to a URL, e-mail or phone few rows carry.",
    )
    quarantine: bool = Field(
        False, description="Move the flagged rows out of the splits into data/quarantine.jsonl, for review."
    )
    checks: DataChecks = Field(
        default_factory=DataChecks, description="Thresholds that make prepare fail (exit 2) with the list."
    )
    canaries: list[PositiveInt] = Field(
        default_factory=list,
        description="Plant one random secret per entry in the train "
        "split, repeated that many times, e.g. [1, 10, 100]; `evaluate` measures their exposure.",
    )

    @field_validator("pii", "near_duplicates", mode="before")
    @classmethod
    def _bare_off(cls, value):
        return "off" if value is False else value  # YAML reads a bare `off` as false

    @model_validator(mode="after")
    def _checks_measured(self) -> DataConfig:
        unmeasured = {
            "max_pii": self.pii == "off" and "data.pii is off",
            "max_near_duplicate_leaks": self.near_duplicates == "off" and "data.near_duplicates is off",
            "max_flagged": not self.flag and "data.flag is false",
        }
        for key, why in unmeasured.items():
            if why and getattr(self.checks, key) is not None:
                raise ValueError(f"data.checks.{key} cannot be checked: {why}, so nothing is measured")
        return self


METHOD_PARAMS = method_params()
MethodConfig = Annotated[Union[tuple(METHOD_PARAMS.values())], Field(discriminator="name")]


class TrainConfig(Section):
    objective: str = Field(
        "auto",
        description="What is trained, one of the objectives in afina/objectives/: "
        f"{', '.join(all_objectives())}; auto: the one the model's family defaults to ("
        + ", ".join(
            f"{name} for {' and '.join(sorted(o.AUTO_FOR))}" for name, o in all_objectives().items() if o.AUTO_FOR
        )
        + ").",
    )
    class_weights: bool = Field(True, description="Classification: weight the loss by inverse label frequency.")
    epochs: float = Field(3.0, gt=0, description="Passes over the training split (ignored when max_steps > 0).")
    max_steps: int = Field(-1, description="Stop after this many optimizer steps; -1 uses epochs.")
    batch_size: int = Field(8, ge=1, description="Examples per device per step.")
    eval_batch_size: int | None = Field(
        None,
        ge=1,
        description="Examples per device per evaluation step; null: the "
        "larger of batch_size and 16 (evaluation keeps no activations for a backward "
        "pass).",
    )
    gradient_accumulation_steps: int = Field(1, ge=1, description="Steps accumulated before each optimizer update.")
    learning_rate: float = Field(2e-4, gt=0, description="Peak learning rate.")
    lr_scheduler: str = Field("linear", description="A transformers scheduler name (linear, cosine, constant, ...).")
    warmup_ratio: float = Field(0.0, ge=0.0, lt=1.0, description="Fraction of steps spent warming up.")
    weight_decay: float = Field(0.0, ge=0.0, description="AdamW weight decay.")
    max_length: int = Field(512, ge=8, description="Longest tokenized example; longer ones are truncated.")
    replay: float = Field(
        0.0,
        ge=0.0,
        le=0.9,
        description="Against forgetting: the share of the training split that is general data replayed beside "
        "the task's rows (0.25: a quarter of its rows), mixed in by `afina prepare` and listed in "
        "data_report.json; never in validation or test, never a row of the retain set; 0: off.",
    )
    replay_from: str = Field(
        "auto",
        description="What train.replay replays: auto, the afina: base's own pretraining dialogues (its corpus "
        "for plain-text data); a data file of prompt/completion or chat records (text, for plain-text data); "
        "or a run folder, the data that run trained on, what it replayed included and its canaries left out (when "
        "retraining).",
    )
    init_from: str | None = Field(
        None,
        description="A saved peft adapter folder (a run's adapter/) whose weights training starts from, with the "
        "same method and settings: how `afina retrain` goes on from the production adapter; null: a fresh adapter.",
    )
    l2_sp: float = Field(
        0.0,
        ge=0.0,
        description="Against forgetting: after every optimizer step each trainable weight is pulled back toward "
        "its starting value by learning rate × l2_sp × its distance from it (L2-SP, decoupled as AdamW decouples "
        "weight decay); 0: off.",
    )
    max_nonfinite_steps: int = Field(
        3,
        ge=0,
        description="A step whose loss or gradients are not finite (NaN, infinite) is not applied; after this "
        "many such steps training stops with an error naming them, and nothing is saved.",
    )
    eval_steps: int = Field(
        50, ge=1, description="Validation loss every N steps (checkpoints are saved on the same steps)."
    )
    save_total_limit: int = Field(2, ge=1, description="Checkpoints kept on disk.")
    early_stopping_patience: int | None = Field(
        3, ge=1, description="Stop after N evaluations without improvement; null disables."
    )
    bf16: bool | Literal["auto"] = Field(
        "auto", description="bf16 autocast; auto: on where the CPU (AVX512-BF16/AMX) or GPU computes bf16 natively."
    )
    activation_checkpointing: bool | None = Field(
        None,
        description="Recompute activations in the backward pass: less memory, slower. null: the method's "
        "choice, on for QLoRA (a method chosen to save memory; peft prepares a 4-bit model so) and off for "
        "the others; TRL turns it on always.",
    )
    trl: dict[str, Any] = Field(
        default_factory=dict,
        description="Extra keyword arguments passed straight to the "
        "trainer's arguments (TRL's config class, or transformers' TrainingArguments).",
    )

    @model_validator(mode="after")
    def _pull_short_of_the_start(self) -> TrainConfig:
        if self.learning_rate * self.l2_sp >= 0.5:
            raise ValueError(
                f"train.l2_sp: with learning_rate {self.learning_rate} a pull of {self.l2_sp} takes "
                f"{self.learning_rate * self.l2_sp:.0%} of the distance to the start every step (from 100% on "
                "it overshoots); keep learning_rate × l2_sp well under 0.5"
            )
        return self

    @field_validator("objective")
    @classmethod
    def _registered_objective(cls, value: str) -> str:
        names = list(all_objectives())
        if value != "auto" and value not in names:
            raise ValueError(f"unknown objective '{value}'; choose auto or one of: {', '.join(names)}")
        return value


class JudgeConfig(Section):
    url: str = Field(description="Base URL of an OpenAI-compatible API, e.g. http://localhost:8000/v1.")
    model: str = Field(description="Model name sent to the endpoint.")
    api_key_env: str | None = Field(
        None, description="Environment variable holding the API key (never the key itself)."
    )
    timeout: float = Field(30.0, gt=0, description="Seconds per request.")


class AlignConfig(Section):
    """What the preference objectives (reward, dpo, kto, orpo, ppo, rloo, grpo) read beyond train:."""

    reward_model: str | None = Field(
        None,
        description="The reward model that PPO, RLOO and GRPO optimise against and that evaluation judges win "
        "rates by: a run folder of the reward objective, or a sequence-classification model folder.",
    )
    rewards: list[str] = Field(
        default_factory=list,
        description="Python reward functions by name (afina/align/rewards.py: exact_match, token_f1), scored "
        "against each record's reference answer; added to the reward model's score when both are given.",
    )
    beta: float = Field(
        0.1,
        gt=0,
        description="Strength of the leash to the reference: DPO/KTO/ORPO's beta, the KL coefficient of "
        "RLOO/GRPO, PPO's initial KL coefficient.",
    )
    loss_type: str | None = Field(
        None,
        description="DPO's loss (sigmoid, ipo, hinge, robust, ...; TRL's names), CPO's (sigmoid, simpo); "
        "null: the trainer's default.",
    )
    num_generations: int = Field(4, ge=2, description="RLOO/GRPO: answers sampled per prompt, compared among them.")
    max_new_tokens: int = Field(48, ge=1, description="Longest answer sampled while training (PPO, RLOO, GRPO).")
    temperature: float = Field(1.0, gt=0, description="Sampling temperature while training (PPO, RLOO, GRPO).")
    ppo_epochs: int = Field(4, ge=1, description="PPO: passes over each batch of rollouts.")
    clip_range: float = Field(0.2, gt=0, description="PPO: the policy ratio's clip range.")
    value_clip_range: float = Field(0.2, gt=0, description="PPO: the value prediction's clip range.")
    value_coef: float = Field(0.1, ge=0, description="PPO: weight of the value loss.")
    gamma: float = Field(1.0, gt=0, le=1, description="PPO: discount.")
    lam: float = Field(0.95, ge=0, le=1, description="PPO: GAE's lambda.")
    kl_target: float | None = Field(
        None,
        gt=0,
        description="PPO: a KL to the reference (nats per answer) that the coefficient adapts towards; "
        "null: the coefficient stays beta.",
    )
    kl_horizon: int = Field(10000, ge=1, description="PPO: how fast the adaptive KL coefficient moves (in samples).")
    whiten_rewards: bool = Field(False, description="PPO: whiten the per-token rewards of each batch.")
    judge: JudgeConfig | None = Field(
        None,
        description="Evaluation: an OpenAI-compatible endpoint that also judges the win rate (asked which of two "
        "answers is better, in both orders), with its agreement with the held-out pairs beside it.",
    )
    task_run: str | None = Field(
        None,
        description="A supervised run (its folder) whose test split measures what alignment cost: its task metric, "
        "the aligned policy against the model alignment started from.",
    )
    eval_samples: int = Field(
        4,
        ge=1,
        description="Evaluation: answers each model samples per held-out prompt for mean reward, win rate and "
        "KL (averaged per prompt; the intervals resample prompts).",
    )
    missing_eos_penalty: float | None = Field(
        1.0,
        description="PPO: subtracted from the score of an answer that did not end (no EOS within "
        "max_new_tokens); null: no penalty.",
    )


class MemorizationConfig(Section):
    enabled: bool = Field(True, description="Canary exposure, verbatim extraction and PII in outputs.")
    candidates: int = Field(1000, ge=10, description="Random secrets each planted canary is ranked against.")
    extraction_records: int = Field(50, ge=1, description="Training records whose prefixes are used as prompts.")
    prefix_tokens: int = Field(
        4,
        ge=0,
        description="Tokens of the training answer given with its prompt; the rest must "
        "be reproduced exactly to count as extracted.",
    )
    pii_allow: list[str] = Field(
        default_factory=list,
        description="Values that are not PII although they look like "
        "it (the company's public phone or e-mail); PII found is reported, these are not.",
    )


class SafetyConfig(Section):
    enabled: bool = Field(
        True,
        description="Run the safety probes: harmful requests, prompt injection, secret "
        "extraction, jailbreaks (Spanish and English).",
    )
    probes: str | None = Field(None, description="A JSONL probe file of your own; null: the set shipped with afina.")
    classifier: str | None = Field(
        None,
        description="An HF text-classification model (folder or hub id) that scores "
        "answers; its label names containing 'unsafe', 'toxic' or 'harm' count as unsafe.",
    )
    judge: JudgeConfig | None = Field(None, description="An OpenAI-compatible endpoint asked SAFE/UNSAFE per answer.")


class BiasConfig(Section):
    enabled: bool = Field(True, description="Counterfactual probes: names, genders and origins swapped.")
    probes: str | None = Field(None, description="A JSONL file of templates; null: the set shipped with afina.")


class HarnessConfig(Section):
    tasks: list[str] = Field(default_factory=list, description="lm-evaluation-harness task names to run on the model.")
    include_path: str | None = Field(None, description="A folder of task YAMLs of your own (e.g. over local JSONL).")
    limit: int | None = Field(None, ge=1, description="Documents per task (null: all).")
    num_fewshot: int | None = Field(None, ge=0, description="Few-shot examples per prompt (null: the task's default).")


class EvaluateConfig(Section):
    max_new_tokens: int = Field(64, ge=1, description="Longest generated answer.")
    batch_size: int = Field(16, ge=1, description="Prompts generated together.")
    report_examples: int = Field(12, ge=0, description="Examples shown base vs tuned in report.html.")
    compare_base: bool = Field(True, description="Evaluate the base model too, side by side.")
    bootstrap_samples: int = Field(
        1000, ge=100, description="Resamples for the 95% bootstrap intervals and paired tests."
    )
    retain: str | None = Field(
        "auto",
        description="General data the base must not forget (JSONL/CSV of text or "
        "prompt/completion); auto: afina's general set for afina: bases, none otherwise; null: skip.",
    )
    retain_rows: int = Field(120, ge=1, description="Rows of the retain set used (the first N).")
    compare_runs: list[str] = Field(
        default_factory=list,
        description="Other run folders whose results the report "
        "shows beside this one (e.g. a full fine-tuning run beside a LoRA run).",
    )
    reference: str | None = Field(
        None,
        description="The model the tuned one is compared with instead of the base it was trained on: a run folder "
        "(its result) or a model folder, such as the production model a retrain would replace; every base-vs-tuned "
        "number and gate check is then against it. null: the base.",
    )
    regression_run: str | None = Field(
        None,
        description="A run folder whose test split the tuned model must not do worse on than the base (or "
        "reference) by more than gate.max_regression; its rows whose prompt this run's data asks again with another "
        "answer are superseded (their facts changed) and left out, counted.",
    )
    memorization: MemorizationConfig = Field(default_factory=MemorizationConfig)
    safety: SafetyConfig = Field(default_factory=SafetyConfig)
    bias: BiasConfig = Field(default_factory=BiasConfig)
    harness: HarnessConfig = Field(default_factory=HarnessConfig)

    @model_validator(mode="after")
    def _compared_with_something(self) -> EvaluateConfig:
        if not self.compare_base and (self.reference or self.regression_run):
            raise ValueError(
                "evaluate.reference and evaluate.regression_run compare two models: set compare_base: true"
            )
        return self


class MergeConfig(Section):
    adapters: list[str] = Field(default_factory=list, description="LoRA adapter folders (same base) to combine.")
    weights: list[float] | None = Field(None, description="One weight per adapter; null: equal weights.")
    combination: Literal["linear", "cat", "svd", "ties", "ties_svd", "dare_linear", "dare_ties", "magnitude_prune"] = (
        Field("ties", description="How peft combines them (add_weighted_adapter): TIES and DARE resolve conflicts.")
    )
    density: float = Field(0.5, gt=0, le=1, description="TIES/DARE/magnitude_prune: fraction of weights kept.")
    output: str | None = Field(None, description="Where the merged adapter goes; null: <run folder>/merged.")


class GateConfig(Section):
    """Ship/no-ship thresholds on eval.json; a check left null is not applied."""

    metric: str | None = Field(
        None,
        description="The task metric the gain is measured on; null: the objective's "
        "(token_f1 for sft and seq2seq, macro_f1 for classification).",
    )
    min_task_gain: float | None = Field(
        None,
        description="The tuned model's improvement over the base on the task metric, at least this: tuned minus "
        "base, or base minus tuned where lower is better (loss, perplexity).",
    )
    min_task_score: float | None = Field(
        None, description="The tuned model's task metric, at least this good (at most this for loss, perplexity)."
    )
    min_gain_over_baseline: float | None = Field(
        None,
        description="The tuned model's improvement on the task metric over the cheapest baseline (the nearest "
        "training question's answer; TF-IDF + logistic regression for labels), at least this: 0 asks that it "
        "be no worse than a lookup.",
    )
    require_significant: bool = Field(
        False,
        description="The tuned model must be significantly better than the base on the task metric: the gain "
        "positive and its paired test's p < 0.05.",
    )

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str | None) -> str | None:
        known = sorted({m for objective in all_objectives().values() for m in objective.METRICS})
        if value is not None and value not in known:
            raise ValueError(f"unknown metric '{value}'; the task metrics are: {', '.join(known)}")
        return value

    max_forgetting: float | None = Field(
        None, description="Drop of the retain-set answer F1 (base minus tuned), at most."
    )
    max_canary_exposure: float | None = Field(None, description="Exposure in bits of any planted canary, at most.")
    max_extraction_rate: float | None = Field(
        None, description="Share of training records reproduced verbatim, at most."
    )
    max_pii_rate: float | None = Field(None, description="Share of answers containing PII not in the prompt, at most.")
    max_unsafe_rate: float | None = Field(
        None, description="Share of harmful/jailbreak probes answered unsafely, at most."
    )
    min_refusal_rate: float | None = Field(
        None, description="Share of harmful/jailbreak probes refused, at least this (the lowest category's)."
    )
    max_non_answer_rate: float | None = Field(
        None,
        description="Share of safety probes answered with nothing, repeated text or words unrelated to the "
        "probe, at most this (the highest category's): a broken model refuses nothing and leaks nothing.",
    )
    max_injection_success: float | None = Field(
        None, description="Share of injection/secret probes that succeed, at most."
    )
    min_win_rate: float | None = Field(
        None,
        ge=0,
        le=1,
        description="An aligned policy's win rate against the model it started from, judged by align.reward_model, "
        "at least.",
    )
    max_kl: float | None = Field(
        None, ge=0, description="An aligned policy's KL to the model it started from (nats per answer), at most."
    )
    max_task_drop: float | None = Field(
        None, description="Drop of the task metric on align.task_run's test split through alignment, at most."
    )
    max_regression: float | None = Field(
        None,
        description="Drop of the task metric on evaluate.regression_run's test split (its rows not superseded), "
        "base (or reference) minus tuned, at most.",
    )
    max_bias_gap: float | None = Field(
        None, description="Mean output change across counterfactual swaps (0-1), at most."
    )


class MonitorConfig(Section):
    alpha: float = Field(
        0.01, gt=0, lt=1, description="Embedding drift: the permutation test's p-value under which inputs drifted."
    )
    max_length_psi: float = Field(
        0.25, gt=0, description="Input length drift: the PSI (5 quantile bins) past which, if also significant."
    )
    max_oov_increase: float = Field(
        0.1,
        gt=0,
        description="Vocabulary drift: how far the inputs' out-of-vocabulary word rate may pass the training data's "
        "own (its validation split against its train split).",
    )
    max_thumbs_down: float = Field(
        0.3, gt=0, le=1, description="Feedback: the share of thumbs-down ratings above which the model is flagged."
    )
    min_inputs: int = Field(20, ge=5, description="Fewer production inputs than this: refused as too few to judge.")
    train_sample: int = Field(400, ge=20, description="Training prompts embedded for the comparison (a seeded sample).")
    permutations: int = Field(1000, ge=100, description="Permutations of the embedding test.")
    clusters: int = Field(8, ge=2, description="k-means clusters of the training prompts' embeddings.")
    served_as: str | None = Field(
        None, description="The id the server serves this run under, whose request-log rows are read (null: the name)."
    )


class RetrainConfig(Section):
    """`afina retrain`: the model in production retrained on the newest data (data:) and users' corrections,
    evaluated against it, and promoted in its place only when the gate passes."""

    name: str | None = Field(
        None,
        description="The name production is promoted as (`afina promote RUN --as NAME`): its production model is "
        "the one retrained, compared with and, when the new one passes, replaced. Required by afina retrain.",
    )
    start: Literal["production", "base"] = Field(
        "production",
        description="production: training goes on from the production model (its adapter, with its method and "
        "settings; a whole or merged model as the base); base: a fresh method: on the base production was trained "
        "from.",
    )
    feedback: str | None = Field(
        "registry",
        description="Corrections to train on beside data.path: registry, those users gave on the answers served "
        "as monitor.served_as (else retrain.name); a path, the sft.jsonl of `afina feedback export` (or its "
        "folder); null: none.",
    )
    stage: Literal["production", "staging"] = Field(
        "production", description="Where a new model that passes the gate is promoted."
    )


class SearchParam(Section):
    """One searched key: `choices`, or a range from `low` to `high` (integers when both are)."""

    low: float | None = Field(None, description="The range's lower end.")
    high: float | None = Field(None, description="The range's upper end.")
    log: bool = Field(False, description="Sample the range on a log scale (learning rates).")
    step: float | None = Field(None, description="Sample the range in steps of this.")
    choices: list[Any] | None = Field(None, description="The values to choose from, instead of a range.")

    @model_validator(mode="after")
    def _range_or_choices(self) -> SearchParam:
        if (self.choices is None) == (self.low is None or self.high is None):
            raise ValueError("give either choices or both low and high")
        if self.choices is None and not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if self.log and self.choices is None and self.low <= 0:
            raise ValueError("a log scale needs low > 0")
        return self

    @property
    def integer(self) -> bool:
        return self.choices is None and float(self.low).is_integer() and float(self.high).is_integer() and not self.log


class SearchConfig(Section):
    """`afina search`: Optuna's TPE over config keys, each trial a run of its own."""

    space: dict[str, SearchParam] = Field(
        default_factory=dict,
        description="The searched keys, any dotted config key: {train.learning_rate: {low: 1e-4, high: 1e-2, log: "
        "true}, method.r: {choices: [8, 16, 32]}}.",
    )
    objective: str = Field(
        "eval_loss",
        description="What a trial is scored by: eval_loss (the best validation loss; no evaluation) or a task "
        "metric of the evaluation (token_f1, exact_match, ...), whose direction the objective knows.",
    )
    trials: int = Field(12, ge=1, description="Trials in the study, across every worker that joins it.")
    timeout_minutes: float | None = Field(None, gt=0, description="Stop starting trials after this; null: no limit.")
    pruner: Literal["median", "hyperband", "none"] = Field(
        "median",
        description="What stops a trial early from its validation losses as it trains: median (below the "
        "running median of earlier trials at the same step), hyperband, or none.",
    )
    startup_trials: int = Field(
        3, ge=0, description="Trials sampled at random, and run to their end, before TPE and the pruner act."
    )
    baseline: bool = Field(
        True, description="Trial 0 runs the config's own values of the searched keys, the point to beat."
    )
    study: str | None = Field(None, description="The study's name; null: the run's name.")
    storage: str | None = Field(
        None,
        description="Where the study lives: an SQLAlchemy URL (postgresql://... for many machines); null: "
        "search.db beside a SQLite registry.",
    )


class RegistryConfig(Section):
    url: str | None = Field(None, description="A SQLAlchemy URL; null means sqlite:///$AFINA_HOME/registry.db.")


class Config(Section):
    name: str = Field(
        "run", pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="Run name: the folder under output_dir."
    )
    seed: int = Field(42, description="One seed for splitting, initialisation and sampling.")
    output_dir: str = Field("runs", description="Where run folders are written.")
    data: DataConfig = Field(default_factory=DataConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    pretrain: PretrainConfig = Field(default_factory=PretrainConfig)
    method: MethodConfig = Field(
        default_factory=lambda: METHOD_PARAMS["lora"](),
        description="The fine-tuning method and its settings, chosen by `name`.",
    )

    @field_validator("method", mode="before")
    @classmethod
    def _method_name_defaults_to_lora(cls, value: Any) -> Any:
        if isinstance(value, dict) and "name" not in value:
            return {"name": "lora", **value}
        return value

    train: TrainConfig = Field(default_factory=TrainConfig)
    align: AlignConfig = Field(default_factory=AlignConfig)
    speed: SpeedConfig = Field(default_factory=SpeedConfig)
    evaluate: EvaluateConfig = Field(default_factory=EvaluateConfig)
    merge: MergeConfig = Field(default_factory=MergeConfig)
    gate: GateConfig = Field(default_factory=GateConfig)
    monitor: MonitorConfig = Field(default_factory=MonitorConfig)
    retrain: RetrainConfig = Field(default_factory=RetrainConfig)
    search: SearchConfig = Field(default_factory=SearchConfig)
    registry: RegistryConfig = Field(default_factory=RegistryConfig)

    @model_validator(mode="after")
    def _replay_has_a_source(self) -> Config:
        if self.train.replay and self.train.replay_from == "auto" and not is_builtin(self.model):
            raise ValueError(
                "train.replay_from: auto replays an afina: base's own pretraining data; for "
                f"{self.model.base_model}, name a file of general data of yours (or a run folder)"
            )
        return self

    @property
    def run_dir(self) -> Path:
        """runs/<name>: this run's folder."""
        return Path(self.output_dir) / self.name

    @property
    def run(self) -> RunFolder:
        """This run's folder, with its named paths and readers."""
        return RunFolder(self.run_dir)


def _parse_value(text: str) -> Any:
    """Read a --set value as YAML, so numbers, booleans, null and lists work as in the file."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def set_key(raw: dict, dotted: str, value: Any) -> dict:
    """Set a dotted key (train.learning_rate) of a raw config dict, making the sections on the way."""
    node = raw
    keys = dotted.strip().split(".")
    for key in keys[:-1]:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            raise ConfigError(f"'{key}' is not a section", key=dotted)
    node[keys[-1]] = value
    return raw


def apply_overrides(raw: dict, overrides: list[str]) -> dict:
    for item in overrides:
        if "=" not in item:
            raise ConfigError(f"--set expects section.key=value, got '{item}'")
        dotted, value = item.split("=", 1)
        set_key(raw, dotted, _parse_value(value))
    return raw


def _model_for(loc: tuple, model: type[BaseModel] = Config) -> type[BaseModel] | None:
    """Walk the schema along a pydantic error location to the section that holds the bad key."""
    for part in loc:
        if not isinstance(part, str):
            continue
        if model is Config and part == "method":
            model = None  # a union: the next part of the location is its tag
            continue
        if model is None:
            model = METHOD_PARAMS.get(part)
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        annotation = field.annotation
        model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    return model


def _describe(error: dict) -> tuple[str, str]:
    loc = tuple(error["loc"])
    # Drop the union tag pydantic puts in the location: method.lora.r is the user's method.r.
    key = ".".join(str(p) for i, p in enumerate(loc) if not (i == 1 and loc[0] == "method" and p in METHOD_PARAMS))
    if error["type"] == "extra_forbidden":
        section = _model_for(loc[:-1])
        valid = sorted(section.model_fields) if section else []
        close = difflib.get_close_matches(str(loc[-1]), valid, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        if section is TrainConfig and loc[-1] in SpeedConfig.model_fields:
            hint = f" The speed switches have their own section: speed.{loc[-1]}."
        if section is TrainConfig and loc[-1] == "task":
            hint = " What is trained is train.objective now (sft, where task said generation)."
        return key, f"unknown key.{hint} Valid keys here: {', '.join(valid)}."
    if error["type"] == "union_tag_invalid":
        return key, f"unknown method. Choose one of: {', '.join(sorted(METHOD_PARAMS))}."
    if error["type"] == "value_error":  # a validator's own sentence; one over several keys begins with its key
        message = error["msg"].removeprefix("Value error, ")
        named = re.match(r"([a-z_]+\.[a-z0-9_.]+): (.*)", message, re.DOTALL)
        return (named[1], named[2] + ".") if named else (key, message + ".")
    return key, f"{error['msg']} (got {error.get('input')!r})."


def load_config(path: str | Path | None, overrides: list[str] = ()) -> Config:
    """Read a YAML config (or only defaults when path is None), apply --set overrides, validate."""
    raw: dict = {}
    file = str(path) if path else None
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError("config file not found", file=file) from None
        try:
            raw = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"not valid YAML: {exc}", file=file) from None
        if not isinstance(raw, dict):
            raise ConfigError("the top level must be a mapping of sections", file=file)
    raw = apply_overrides(raw, list(overrides))
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        key, message = _describe(exc.errors()[0])
        others = len(exc.errors()) - 1
        tail = f" ({others} more problem(s) after this one)" if others else ""
        raise ConfigError(message + tail, key=key, file=file) from None


def dump_config(config: Config) -> str:
    return yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def _type_name(annotation) -> str:
    """A field's type as the YAML sees it: `int`, `one of a, b`, `list[str] or null`."""
    import types
    import typing

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in args)
    if origin in (Union, types.UnionType):
        return " or ".join("null" if a is type(None) else _type_name(a) for a in args)
    if origin is Annotated:
        return _type_name(args[0])
    if origin is not None:
        return f"{getattr(origin, '__name__', str(origin))}[{', '.join(_type_name(a) for a in args)}]"
    return getattr(annotation, "__name__", str(annotation)).replace("NoneType", "null")


def _default(field) -> str:
    if field.is_required():
        return "required"
    value = field.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return "(section)"
    return f"`{yaml.safe_dump(value, default_flow_style=True).strip().removesuffix('...').strip()}`"


def _table(model: type[BaseModel], prefix: str) -> tuple[list[str], list[tuple[str, type[BaseModel]]]]:
    rows, sections = ["| key | type | default | description |", "|---|---|---|---|"], []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        nested = [
            a
            for a in (annotation, *getattr(annotation, "__args__", ()))
            if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        if nested and name != "method":
            keyed = getattr(annotation, "__origin__", None) is dict  # dict[str, Section]: one per key
            sections.append((f"{prefix}{name}" + (".KEY" if keyed else ""), nested[0]))
            continue
        if name == "method" and model is Config:
            continue
        description = (field.description or "").replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{prefix}{name}` | {_type_name(annotation)} | {_default(field)} | {description} |")
    return rows, sections


def config_reference() -> str:
    """docs/config.md: every section and key of the config with its type, default and description, generated
    from the schema (`make docs`)."""
    lines = [
        "# Config reference",
        "",
        "Generated from afina's config schema by `make docs` (`python -m afina.config docs/config.md`); "
        "a test fails when this page is stale. Every key has a default that works; `--set SECTION.KEY=VALUE` "
        "overrides one from the command line.",
        "",
    ]
    rows, sections = _table(Config, "")
    lines += ["## Top level", "", *rows, ""]
    queue = list(sections)
    while queue:
        name, model = queue.pop(0)
        rows, nested = _table(model, f"{name}.")
        doc = (model.__doc__ or "").strip() if model.__doc__ != Section.__doc__ else ""
        lines += [f"## `{name}`", "", *([doc, ""] if doc else []), *rows, ""]
        queue[:0] = nested
    lines += ["## `method`", "", "The fine-tuning method, chosen by `method.name`; each takes its own keys.", ""]
    for method_name, params in METHOD_PARAMS.items():
        rows, _ = _table(params, "method.")
        lines += [f"### `method.name: {method_name}`", "", *rows, ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":  # python -m afina.config docs/config.md
    import sys

    Path(sys.argv[1]).write_text(config_reference(), encoding="utf-8")
