"""The monitor stage (to come): the request log, drift of production inputs against the training data,
feedback statistics, and the trigger that starts a retraining run.
"""
