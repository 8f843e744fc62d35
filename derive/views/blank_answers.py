"""An answers file to fill in: every quantity the checker reads, by the document's names, in computation order."""
from __future__ import annotations

import json

from ..core.graph import build_graph
from ..core.naming import plain_name_in
from ..core.spec import Spec

# The state of an optimizer after the first step, and the losses of later steps, are not answered:
# the checker marks the worked step (the loss before it is `loss`).
UNANSWERED = ("x", "t", "W", "b", "loss_history")


def blank_answers(spec: Spec, notation: str, variant: str | None = None, asked: list[str] = ()) -> str:
    """YAML with one `name: null` line per quantity; an exam variant's file names it and marks its questions."""
    graph = build_graph(spec)
    asked_at = {path: i for i, path in enumerate(asked, 1)}
    lines = [f"# answers for {spec.name or 'this network'}: replace each null you worked out with your number,",
             "# written with the digits you rounded it to; leave the others null"]
    if variant:
        lines.append(f"variant: {variant}")
    for step in graph.steps:
        q = step.quantity
        if q.kind in UNANSWERED:
            continue
        question = asked_at.get(q.json_path)
        lines.append(f"{json.dumps(plain_name_in(q, spec, notation), ensure_ascii=False)}: null"
                     + (f"   # question {question}" if question else ""))
    return "\n".join(lines) + "\n"
