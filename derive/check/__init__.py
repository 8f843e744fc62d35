"""Checking hand-worked backpropagation: marking each number and naming the mistakes that explain it."""
