"""The pieces of afina's PPO on small fixed tensors, against values computed by hand."""

import pytest
import torch

from afina.align.ppo import KLController, RepeatedBatches, gae, policy_loss, token_rewards, value_loss, whiten


def test_gae_matches_the_recursion_by_hand():
    rewards, values = torch.tensor([[0.0, 0.0, 1.0]]), torch.tensor([[0.5, 0.4, 0.3]])
    advantages, returns = gae(rewards, values, torch.ones(1, 3), gamma=1.0, lam=0.5)
    # t=2: δ = 1 − 0.3 = 0.7; t=1: δ = 0.3 − 0.4 = −0.1, A = −0.1 + 0.5·0.7; t=0: δ = −0.1, A = −0.1 + 0.5·0.25
    assert advantages[0].tolist() == pytest.approx([0.025, 0.25, 0.7])
    assert returns[0].tolist() == pytest.approx([0.525, 0.65, 1.0])


def test_gae_with_lambda_one_is_the_discounted_return_and_stops_at_the_answer_end():
    rewards, values = torch.tensor([[1.0, 2.0, 3.0, 9.0]]), torch.zeros(1, 4)
    mask = torch.tensor([[1.0, 1.0, 1.0, 0.0]])  # the fourth token is padding after EOS: its reward never counts
    advantages, returns = gae(rewards, values, mask, gamma=0.9, lam=1.0)
    assert returns[0].tolist() == pytest.approx([1 + 0.9 * 2 + 0.81 * 3, 2 + 0.9 * 3, 3.0, 0.0])
    assert advantages[0, 3] == 0


def _ratio_gradient(ratio: float, advantage: float, clip: float = 0.2) -> float:
    logprobs = torch.tensor([[torch.log(torch.tensor(ratio)).item()]], requires_grad=True)
    loss, _ = policy_loss(logprobs, torch.zeros(1, 1), torch.tensor([[advantage]]), torch.ones(1, 1), clip)
    loss.backward()
    return logprobs.grad.item()


def test_the_clipped_objective_has_no_gradient_outside_the_clip_range():
    assert _ratio_gradient(1.5, advantage=1.0) == 0  # already more likely than 1+ε allows: no further push
    assert _ratio_gradient(0.5, advantage=-1.0) == 0  # already less likely than 1−ε allows
    # inside the range, or outside on the side that undoes the move: −A·ρ
    assert _ratio_gradient(1.1, advantage=1.0) == pytest.approx(-1.1)
    assert _ratio_gradient(1.5, advantage=-1.0) == pytest.approx(1.5)
    assert _ratio_gradient(0.5, advantage=1.0) == pytest.approx(-0.5)


def test_the_clip_fraction_counts_the_tokens_whose_clipped_side_wins():
    logprobs = torch.log(torch.tensor([[1.5, 1.0, 0.5, 1.1]]))
    _, stats = policy_loss(logprobs, torch.zeros(1, 4), torch.ones(1, 4), torch.ones(1, 4), 0.2)
    assert stats["clipfrac"] == pytest.approx(0.25)  # only the 1.5 one: 0.5 with A > 0 is not clipped


def test_the_value_loss_takes_the_worse_of_the_clipped_and_unclipped_errors():
    one = torch.ones(1, 1)
    # V jumped from 0 to 1 = R: unclipped error 0, clipped to 0.2 error 0.8² — the larger is kept
    assert value_loss(one, torch.zeros(1, 1), one, one, clip=0.2).item() == pytest.approx(0.5 * 0.64)
    assert value_loss(torch.full((1, 1), 0.1), torch.zeros(1, 1), one, one, clip=0.2).item() == pytest.approx(0.405)


def test_the_kl_penalty_lowers_the_reward_where_the_policy_leaves_the_reference_and_the_score_lands_last():
    logprobs, ref = torch.tensor([[-1.0, -1.0, -1.0]]), torch.tensor([[-2.0, -1.0, -1.5]])
    rewards, kl = token_rewards(torch.tensor([2.0]), logprobs, ref, torch.ones(1, 3), kl_coef=0.1)
    assert rewards[0].tolist() == pytest.approx([-0.1, 0.0, 2.0 - 0.05])
    assert kl.tolist() == pytest.approx([1.5])
    # a policy less sure than the reference is not penalised: the per-token estimate is signed
    rewards, _ = token_rewards(torch.tensor([0.0]), ref, logprobs, torch.ones(1, 3), kl_coef=0.1)
    assert rewards[0, 0] == pytest.approx(0.1)
    # the answer ended at its second token: the score goes there, nothing after it
    rewards, _ = token_rewards(torch.tensor([2.0]), logprobs, ref, torch.tensor([[1.0, 1.0, 0.0]]), kl_coef=0.1)
    assert rewards[0].tolist() == pytest.approx([-0.1, 2.0, 0.0])


def test_the_adaptive_kl_coefficient_moves_towards_its_target_and_a_fixed_one_does_not():
    step = 0.2 * 256 / 10000
    above, below, on = (KLController(0.1, target=6.0) for _ in range(3))
    above.update(kl=12.0, samples=256)  # twice the target: the error is clipped to +0.2
    below.update(kl=3.0, samples=256)  # half: −0.5 clipped to −0.2
    on.update(kl=6.0, samples=256)
    assert above.value == pytest.approx(0.1 * (1 + step)) and below.value == pytest.approx(0.1 * (1 - step))
    assert on.value == pytest.approx(0.1)
    fixed = KLController(0.1)
    fixed.update(kl=100.0, samples=256)
    assert fixed.value == 0.1


def test_whitening_gives_zero_mean_unit_variance_over_the_answer_tokens_only():
    x = torch.tensor([[1.0, 2.0, 3.0, 4.0]])
    std = torch.tensor([1.0, 2.0, 3.0, 4.0]).std().item()  # unbiased, as the published implementation
    assert whiten(x, torch.ones(1, 4))[0].tolist() == pytest.approx([(v - 2.5) / std for v in (1, 2, 3, 4)], abs=1e-5)
    assert whiten(x, torch.ones(1, 4), shift_mean=False)[0].tolist() == pytest.approx(
        [(v - 2.5) / std + 2.5 for v in (1, 2, 3, 4)], abs=1e-5
    )
    masked = whiten(torch.tensor([[1.0, 2.0, 3.0, 100.0]]), torch.tensor([[1.0, 1.0, 1.0, 0.0]]))
    assert masked[0].tolist() == pytest.approx([-1.0, 0.0, 1.0, 0.0], abs=1e-5)  # the padding's 100 does not count


def test_each_batch_of_prompts_comes_ppo_epochs_times_in_a_row_and_every_prompt_comes():
    sampler = RepeatedBatches(size=5, batch_size=2, times=3, seed=0)
    order = list(sampler)
    assert len(order) == len(sampler) == 3 * 2 * 3
    batches = [tuple(order[i : i + 2]) for i in range(0, len(order), 2)]
    assert all(batches[i] == batches[i + 1] == batches[i + 2] for i in range(0, len(batches), 3))
    assert set(order) == set(range(5))
    assert list(sampler) != order  # a new shuffle each pass


def test_the_value_loss_trains_the_value_head_and_not_the_policy(tiny_base, tmp_path):
    """The value head reads the policy's hidden states detached: its loss moves the head only."""
    from afina.cli import main
    from afina.config import load_config
    from afina.train import build_trainer

    from conftest import ROOT, write_config

    path = write_config(
        tmp_path,
        data={"path": str(ROOT / "examples" / "data" / "preferencias_test.jsonl"), "columns": {}},
        train={"objective": "ppo", "max_steps": 1, "max_length": 192},
        align={"rewards": ["token_f1"], "max_new_tokens": 6},
    )
    assert main(["prepare", str(path), "--quiet"]) == 0
    config = load_config(path)
    trainer = build_trainer(config, config.run, quiet=True).trainer
    batch = next(iter(trainer.get_train_dataloader()))
    rollout = trainer._roll_out(trainer.model, batch, tuple(batch["index"].tolist()))
    torch.nn.init.normal_(trainer.model.afina_value_head.summary.weight)  # zero-initialised, it would pass nothing back
    _, values = trainer._forward(trainer.model, rollout.sequences, rollout.attention, rollout.prompt_length, True)
    value_loss(values, rollout.values, rollout.returns + 1.0, rollout.mask, 0.2).backward()
    head = list(trainer.model.afina_value_head.parameters())
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in head)
    policy = [p for n, p in trainer.model.named_parameters() if p.requires_grad and "afina_value_head" not in n]
    assert policy and all(p.grad is None or p.grad.abs().sum() == 0 for p in policy)
