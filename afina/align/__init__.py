"""What aligning a model with human preferences needs beyond an objective module, below the objectives
that use it: the rewards an answer gets (a reward model's score, Python reward functions), PPO's own
loop, and the judging of one policy against another.
"""
