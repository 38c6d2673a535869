"""Renderers: each turns the one evaluation result into a format and computes nothing."""
