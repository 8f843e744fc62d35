"""The view model a worked example's templates receive, section by section (README, "Templates").

Every number is formatted and every formula LaTeX already; `*_rel` is '=' or '\\approx'. The
sections are plain dicts, so that templates read them as before; these types say which keys each has.
"""

from typing import Any, NotRequired, TypedDict


class Activation(TypedDict):
    l: int
    name: str
    code: str
    f: str
    units: int
    alpha: str
    derivative: str


class Summary(TypedDict):
    title: str
    architecture: str
    widths: list[int]
    n_layers: int
    batch: int
    loss: str
    loss_title: str
    natural_log: bool
    ell: str
    learning_rate: str
    updates: bool
    steps: int
    train_bias: bool
    reduction: str
    shared_bias: str
    shared_layers: list[int]
    n_parameters: int
    weight_layout: str
    notes: str
    loss_value: str
    final_loss: str
    activations: list[Activation]


class Parameters(TypedDict):
    l: int
    W_name: str
    b_name: str
    W: list[list[str]]
    b: list[str]
    shared_bias: bool
    W_symbols: list[list[str]]
    b_symbols: list[str]


class Caption(TypedDict):
    l: int  # 0 for the inputs
    output: bool
    activation: str


class Legend(TypedDict):
    weights: list[str]
    biases: list[str]
    plain_weights: list[str]
    plain_biases: list[str]
    shared: list[int]  # the layers whose units share one bias
    layers: int


class Picture(TypedDict):
    plain_labels: list[list[str]]
    tex_labels: list[list[str]]
    captions: list[Caption]
    edge_labels: list[list[list[str]]]
    plain_edge_labels: list[list[list[str]]]
    bias_labels: list[list[str]]
    plain_bias_labels: list[list[str]]
    legend: Legend | None  # None: the picture has no legend


Term = TypedDict("Term", {"w": str, "a": str, "w_val": str, "a_val": str})


class ForwardUnit(TypedDict):
    z: str
    a: str
    z_formula: str  # the step's formula as shown_line prints it: w_1 a_1 + ... + b
    z_substituted: str  # and with the numbers it reads
    a_formula: str  # f(z) by the activation's name ("" for softmax and the identity, whose lines the template writes)
    a_substituted: str
    b: str  # b, b_val and terms: the pieces of the sum, which templates written before z_formula read
    b_val: str
    terms: list[Term]
    z_val: str
    z_factor: str
    z_rel: str
    a_rel: str
    a_val: str


class ForwardLayer(TypedDict):
    l: int
    kind: str  # its layer kind: the template that prints it (templates/layers/<kind>_forward)
    exps: list[str]  # a softmax's e^{z_m} with z's numbers, m in order (full detail; else empty)
    activation: str
    f: str
    softmax: bool
    identity: bool
    shared_bias: bool
    units: list[ForwardUnit]
    z_factors: list[str]
    z: list[str]
    a: list[str]


ForwardExample = TypedDict("ForwardExample", {"n": int, "layers": list[ForwardLayer]})


class LossExample(TypedDict):
    n: int
    value: str
    rel: str
    symbolic: str
    substituted: str
    targets: list[str]


class Loss(TypedDict):
    general: str
    examples: list[LossExample]
    over_units: int
    unit_gradient: Any
    unit_gradient_K: str
    mean: str
    mean_rel: str
    terms: list[str]
    batch: int
    natural_log: bool


class UnitExample(TypedDict):
    """One unit's delta in one example: dl/da, da/dz (not for softmax), the short form where there is one."""
    n: int
    a: str
    z: str
    delta: str
    ell: str
    dL_da: str
    dL_da_num: str
    dL_da_val: str
    dL_da_factor: str
    dL_da_rel: str
    delta_val: str
    delta_factor: str
    delta_rel: str
    closed: str
    closed_num: str
    product: str
    da_dz: NotRequired[str]
    da_dz_num: NotRequired[str]
    da_dz_val: NotRequired[str]
    da_dz_factor: NotRequired[str]
    da_dz_rel: NotRequired[str]


BackwardUnit = TypedDict("BackwardUnit", {"j": int, "examples": list[UnitExample]})


class Gradient(TypedDict):
    """A weight's or bias's gradient from its chain-rule factors, and its value after the step."""
    name: str
    delta: str
    a: NotRequired[str]
    z: NotRequired[str]
    ell: str
    input: str
    factors: list[tuple[str, str]]  # (delta, input) by example, as templates written before `terms` read them
    terms: list[str]  # the step's terms with their numbers, as shown_line prints them (full detail only)
    value: str
    rel: str
    value_factor: str
    old: str
    new: str
    new_rel: str
    shared: NotRequired[bool]


Jacobian = TypedDict("Jacobian", {"n": int, "J": list[list[str]], "dl_da": list[str], "delta": list[str]})


Softmax = TypedDict("Softmax", {"simplified": bool, "jacobians": list[Jacobian]})


class BackwardLayer(TypedDict):
    l: int
    kind: str  # its layer kind: the template that prints it (templates/layers/<kind>_backward)
    output: bool
    activation: str
    units: list[BackwardUnit]
    identity: bool
    closed: bool
    weights: list[Gradient]
    biases: list[Gradient]
    softmax: Softmax | None
    next: int
    train_bias: bool


MatrixRow = TypedDict("MatrixRow", {"name": str, "what": str, "l": int, "shared": bool, "dims": str})


class MatrixLayer(TypedDict):
    l: int
    activation: str
    output: bool
    shared_bias: bool
    delta: list[list[str]]
    dW: list[list[str]]
    db: list[str]
    W_new: list[list[str]]
    b_new: list[str]


class MatrixForm(TypedDict):
    table: list[MatrixRow]
    layers: list[MatrixLayer]
    batch: int
    L: int
    T_dims: str


Final = TypedDict("Final", {"l": int, "W": list[list[str]], "b": list[str], "shared_bias": bool})


HistoryRow = TypedDict("HistoryRow", {"step": int, "loss": str})


class Check(TypedDict):
    name: str
    method: str
    compared: Any
    ran: bool
    passed: Any
    max_abs_error: str
    max_abs_error_plain: str
    tolerance: str
    worst: Any
    note: str
    step: str


Moved = TypedDict("Moved", {"name": str, "old": str, "new": str, "change": str, "gradient": str})


Outputs = TypedDict("Outputs", {"n": int, "before": list[str], "after": list[str]})


class WrapUp(TypedDict):
    before: str
    after: str
    change: str
    relative: str
    falls: bool
    predicted: str
    squared: str
    predicted_rel: str
    eta: str
    outputs: list[Outputs]
    first_order: str
    moved: list[Moved]


class Document(TypedDict):
    """Everything a worked example's template receives as `doc`."""
    summary: Summary
    detail: str
    digits: int
    math: str
    notation: str
    parameters: list[Parameters]
    inputs: list[list[str]]
    targets: list[list[str]]
    target_classes: list[int]
    picture: Picture
    forward: list[ForwardExample]
    loss: Loss
    backward: list[BackwardLayer]
    matrix_form: MatrixForm
    final: list[Final]
    history: list[HistoryRow]
    checks: list[Check]
    checks_ran: list[str]
    checks_not_run: list[str]
    published: list[dict[str, Any]]
    wrap_up: WrapUp | None
    optimizer: dict[str, Any] | None
    notes: list[dict[str, Any]]
    code: dict[str, Any] | None
    exercises: dict[str, Any] | None
