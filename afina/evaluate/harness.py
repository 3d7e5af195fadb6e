"""Standard benchmarks through lm-evaluation-harness, on the model already in memory (its HFLM class).

Any task whose data is reachable runs: the harness's own tasks where the hub is reachable, and task
YAMLs of the user's over local files (`evaluate.harness.include_path`) anywhere.
"""

from __future__ import annotations

from afina.config import Config
from afina.errors import ConfigError


def run_harness(model, tokenizer, config: Config) -> dict:
    """{task: {metric: value}} for evaluate.harness.tasks."""
    harness = config.evaluate.harness
    try:
        import lm_eval
        from lm_eval.models.huggingface import HFLM
        from lm_eval.tasks import TaskManager
    except ImportError:
        raise ConfigError("needs lm-evaluation-harness: pip install 'afina[harness]'", key="evaluate.harness") from None
    manager = TaskManager(include_path=harness.include_path)
    unknown = [t for t in harness.tasks if t not in manager.all_tasks]
    if unknown:
        raise ConfigError(
            f"unknown lm-eval task(s) {', '.join(unknown)}; define them in a YAML under evaluate.harness.include_path",
            key="evaluate.harness.tasks",
        )
    lm = HFLM(pretrained=model, tokenizer=tokenizer, batch_size=config.evaluate.batch_size)
    output = lm_eval.simple_evaluate(
        model=lm,
        tasks=list(harness.tasks),
        task_manager=manager,
        limit=harness.limit,
        num_fewshot=harness.num_fewshot,
        random_seed=config.seed,
        numpy_random_seed=config.seed,
        torch_random_seed=config.seed,
        fewshot_random_seed=config.seed,
        log_samples=False,
    )
    return {
        task: {
            metric.split(",")[0]: float(value)
            for metric, value in scores.items()
            if isinstance(value, (int, float)) and not isinstance(value, bool)
        }
        for task, scores in output["results"].items()
    }
