"""Domain rules as pure functions over the models (tasks, evaluation, classification)."""
