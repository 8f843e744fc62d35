"""python -m derive: the same as the derive command."""
from .cli import main

main(prog_name="derive")
