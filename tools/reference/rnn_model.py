"""The PyTorch model the rnnlab fixtures describe, shared by make_fixtures.py and
load_rnnlab_checkpoint.py.

    x (T, B) int64 token ids, time-major
      -> embedding (nn.Embedding(vocab, embed))   if embed > 0
         one-hot   (F.one_hot(x, vocab))          if embed == 0
      -> rnn       (nn.RNN tanh/relu, nn.GRU or nn.LSTM; time-major, dropout 0)
      -> linear    (nn.Linear(D*hidden, vocab)) on every time step; with tie, its weight IS the
                   embedding's (weight tying: one tensor under both state_dict names)
      -> logits reshaped to (T*B, vocab), row t*B + b
    loss = F.cross_entropy(logits, targets.reshape(-1))   (mean over the T*B tokens)

The attribute names embedding / rnn / linear give the state_dict names used everywhere
(rnn.weight_ih_l0, linear.weight, embedding.weight, ...).
"""

import re

import torch
import torch.nn as nn
import torch.nn.functional as F

CELLS = ("rnn_tanh", "rnn_relu", "gru", "lstm")
GATES = {"rnn_tanh": 1, "rnn_relu": 1, "gru": 3, "lstm": 4}   # rows of weight_ih = GATES * hidden


class Net(nn.Module):
    def __init__(self, cell, vocab, embed, hidden, layers, bidirectional, tie=False):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {CELLS}, not {cell!r}")
        self.cell = cell
        self.vocab = vocab
        # Attribute order fixes both the state_dict order and the order in which the default
        # initialisers draw from the RNG.
        if embed > 0:
            self.embedding = nn.Embedding(vocab, embed)
        input_size = embed if embed > 0 else vocab
        common = dict(input_size=input_size, hidden_size=hidden, num_layers=layers,
                      bias=True, batch_first=False, dropout=0.0, bidirectional=bidirectional)
        if cell == "lstm":
            self.rnn = nn.LSTM(**common)
        elif cell == "gru":
            self.rnn = nn.GRU(**common)
        else:
            self.rnn = nn.RNN(nonlinearity=cell[len("rnn_"):], **common)
        d = 2 if bidirectional else 1
        self.linear = nn.Linear(d * hidden, vocab)
        if tie:
            if embed != d * hidden:
                raise ValueError(f"weight tying needs embed == {d * hidden}, not {embed}")
            self.linear.weight = self.embedding.weight

    def rnn_input(self, x):
        """Token ids (T, B) -> rnn input (T, B, embed or vocab) in the model's dtype."""
        if hasattr(self, "embedding"):
            return self.embedding(x)
        return F.one_hot(x, self.vocab).to(self.linear.weight.dtype)

    def forward(self, x, h0=None, c0=None):
        """Returns (outputs (T, B, D*H), logits (T*B, V), hn, cn or None).

        With h0 None the rnn is called without a state (PyTorch's default zero state)."""
        inp = self.rnn_input(x)
        if self.cell == "lstm":
            if h0 is None:
                out, (hn, cn) = self.rnn(inp)
            else:
                out, (hn, cn) = self.rnn(inp, (h0, c0))
        else:
            out, hn = self.rnn(inp) if h0 is None else self.rnn(inp, h0)
            cn = None
        logits = self.linear(out).reshape(-1, self.vocab)
        return out, logits, hn, cn


def loss_fn(logits, targets):
    return F.cross_entropy(logits, targets.reshape(-1))


def config_from_state_dict(sd, cell_hint=None):
    """Infer (cell, vocab, embed, hidden, layers, bidirectional) from state_dict names/shapes.

    The plain-RNN nonlinearity (tanh or relu) cannot be seen in the weights: it is taken
    from cell_hint, defaulting to tanh."""
    if "linear.weight" not in sd or "rnn.weight_hh_l0" not in sd:
        raise ValueError("state dict lacks linear.weight or rnn.weight_hh_l0")
    vocab = sd["linear.weight"].shape[0]
    gh, hidden = sd["rnn.weight_hh_l0"].shape
    gates = gh // hidden
    layers = 1 + max(int(m.group(1)) for k in sd
                     for m in [re.fullmatch(r"rnn\.weight_hh_l(\d+)(_reverse)?", k)] if m)
    bidirectional = "rnn.weight_hh_l0_reverse" in sd
    embed = sd["embedding.weight"].shape[1] if "embedding.weight" in sd else 0
    if gates == 4:
        cell = "lstm"
    elif gates == 3:
        cell = "gru"
    elif gates == 1:
        cell = cell_hint if cell_hint in ("rnn_tanh", "rnn_relu") else "rnn_tanh"
    else:
        raise ValueError(f"rnn.weight_hh_l0 has {gh} rows for hidden {hidden}: not an RNN/GRU/LSTM")
    if cell_hint and cell_hint != cell:
        raise ValueError(f"weights describe a {cell} but {cell_hint} was asked for")
    return dict(cell=cell, vocab=vocab, embed=embed, hidden=hidden,
                layers=layers, bidirectional=bidirectional)
