"""Fuzzing of the readers: mutated valid inputs, bounded in the suite, long in the campaign."""
