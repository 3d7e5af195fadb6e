"""The align stage (to come): what aligning a model with human preferences needs beyond a training
objective — PPO's rollout loop, judges, feedback turned into preference data. The objectives
themselves (reward model, DPO and its relatives) are modules of afina/objectives/.
"""
