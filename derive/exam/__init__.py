"""Exams: randomised backpropagation problems drawn from one network's shape, with answers and tolerances."""
