#!/usr/bin/python3
"""Reference values for rnnlab's layer-normalised LSTM (CellType.LSTM_LN, --model lstm_ln), written with
PyTorch's own operations in float64: torch.nn.functional.layer_norm, the LSTM's gate equations in PyTorch's
order (i, f, g, o), autograd for every gradient. torch.nn has no such layer, so the model is spelled out here
(Ba, Kiros and Hinton 2016, eqs. 20-22):

    a_t = LN(W_hh h_(t-1); gain_hh, b_hh) + LN(W_ih x_t; gain_ih, b_ih)     (over the 4H gates of a row)
    c_t = sigmoid(a_f) c_(t-1) + sigmoid(a_i) tanh(a_g)
    h_t = sigmoid(a_o) tanh(LN(c_t; gain_c, bias_c))                         (over the H units)

with LN's eps 1e-5 (layer_norm's default). The gains and shifts are drawn away from 1 and 0 so that their
gradients are tested too. Writes the same JSON as make_fixtures.py (TorchFixtureTest reads both), with
rnnlab's tensor names: rnn.weight_ih_l0 ... as torch.nn.LSTM's, ln.gain_ih_l0, ln.gain_hh_l0, ln.gain_c_l0,
ln.bias_c_l0 for the normalisations.

    /usr/bin/python3 tools/reference/make_layernorm_fixtures.py      # needs python3-torch
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import DEFAULT_OUT, dump_json, tjson  # noqa: E402

GENERATOR = "tools/reference/make_layernorm_fixtures.py"
EPS = 1e-5
CASES = [
    dict(name="lstm_ln_l2", vocab=7, embed=0, hidden=6, layers=2, bidirectional=False, steps=5, batch=3, seed=101),
    dict(name="lstm_ln_bi", vocab=7, embed=0, hidden=6, layers=1, bidirectional=True, steps=5, batch=3, seed=102),
    dict(name="lstm_ln_embed_l1", vocab=7, embed=4, hidden=5, layers=1, bidirectional=False, steps=4, batch=2, seed=103),
]


def params_for(cfg):
    """The tensors in rnnlab's order (its Parameters layout), float64, drawn from cfg's seed."""
    torch.manual_seed(cfg["seed"])
    V, E, H, L = cfg["vocab"], cfg["embed"], cfg["hidden"], cfg["layers"]
    D = 2 if cfg["bidirectional"] else 1
    k = H ** -0.5
    u = lambda *shape: (torch.rand(*shape, dtype=torch.float64) * 2 - 1) * k
    p = {}
    if E:
        p["embedding.weight"] = torch.randn(V, E, dtype=torch.float64)
    for layer in range(L):
        inputs = (E or V) if layer == 0 else D * H
        for d in range(D):
            s = f"l{layer}" + ("_reverse" if d else "")
            p[f"rnn.weight_ih_{s}"] = u(4 * H, inputs)
            p[f"rnn.weight_hh_{s}"] = u(4 * H, H)
            p[f"rnn.bias_ih_{s}"] = u(4 * H)
            p[f"rnn.bias_hh_{s}"] = u(4 * H)
            p[f"ln.gain_ih_{s}"] = 1 + 0.3 * torch.randn(4 * H, dtype=torch.float64)
            p[f"ln.gain_hh_{s}"] = 1 + 0.3 * torch.randn(4 * H, dtype=torch.float64)
            p[f"ln.gain_c_{s}"] = 1 + 0.3 * torch.randn(H, dtype=torch.float64)
            p[f"ln.bias_c_{s}"] = 0.2 * torch.randn(H, dtype=torch.float64)
    p["linear.weight"] = (torch.rand(V, D * H, dtype=torch.float64) * 2 - 1) * (D * H) ** -0.5
    p["linear.bias"] = (torch.rand(V, dtype=torch.float64) * 2 - 1) * (D * H) ** -0.5
    return p


def direction(p, s, x, h, c, reverse):
    """One direction of one layer over x (T, B, I); returns (outputs (T, B, H), h_T, c_T)."""
    G, H = p[f"rnn.weight_hh_{s}"].shape[0], h.shape[1]
    xs = F.layer_norm(x @ p[f"rnn.weight_ih_{s}"].T, (G,), p[f"ln.gain_ih_{s}"], p[f"rnn.bias_ih_{s}"], EPS)
    out = [None] * x.shape[0]
    for t in (reversed(range(x.shape[0])) if reverse else range(x.shape[0])):
        r = F.layer_norm(h @ p[f"rnn.weight_hh_{s}"].T, (G,), p[f"ln.gain_hh_{s}"], p[f"rnn.bias_hh_{s}"], EPS)
        i, f, g, o = (xs[t] + r).split(H, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(F.layer_norm(c, (H,), p[f"ln.gain_c_{s}"], p[f"ln.bias_c_{s}"], EPS))
        out[t] = h
    return torch.stack(out), h, c


def forward(p, cfg, x, h0, c0):
    D = 2 if cfg["bidirectional"] else 1
    inp = F.embedding(x, p["embedding.weight"]) if cfg["embed"] else F.one_hot(x, cfg["vocab"]).double()
    hn, cn = [], []
    for layer in range(cfg["layers"]):
        outs = []
        for d in range(D):
            k = layer * D + d
            o, h, c = direction(p, f"l{layer}" + ("_reverse" if d else ""), inp, h0[k], c0[k], d == 1)
            outs.append(o)
            hn.append(h)
            cn.append(c)
        inp = torch.cat(outs, dim=2)
    logits = (inp @ p["linear.weight"].T + p["linear.bias"]).reshape(-1, cfg["vocab"])
    return inp, logits, torch.stack(hn), torch.stack(cn)


def make_case(cfg):
    p = params_for(cfg)
    T, B, H, V = cfg["steps"], cfg["batch"], cfg["hidden"], cfg["vocab"]
    LD = cfg["layers"] * (2 if cfg["bidirectional"] else 1)
    x, y = torch.randint(0, V, (T, B)), torch.randint(0, V, (T, B))
    h0 = (torch.randn(LD, B, H, dtype=torch.float64) * 0.5).requires_grad_(True)
    c0 = (torch.randn(LD, B, H, dtype=torch.float64) * 0.5).requires_grad_(True)
    leaves = {n: t.clone().requires_grad_(True) for n, t in p.items()}
    outputs, logits, hn, cn = forward(leaves, cfg, x, h0, c0)
    loss = F.cross_entropy(logits, y.reshape(-1))
    grads = torch.autograd.grad(loss, list(leaves.values()) + [h0, c0])
    if min(g.abs().max().item() for g in grads) == 0.0:
        raise AssertionError(f"{cfg['name']}: some gradient is identically zero")
    names = list(leaves)
    return {
        "generator": GENERATOR,
        "torch_version": torch.__version__,
        "case": cfg["name"],
        "dtype": "float64",
        "config": {"cell": "lstm_ln"} | {k: cfg[k] for k in ("vocab", "embed", "hidden", "layers", "bidirectional", "steps", "batch")},
        "inputs": x.reshape(-1).tolist(),
        "targets": y.reshape(-1).tolist(),
        "h0": tjson(h0),
        "c0": tjson(c0),
        "params": {n: tjson(t) for n, t in p.items()},
        "outputs": tjson(outputs),
        "logits": tjson(logits),
        "hn": tjson(hn),
        "cn": tjson(cn),
        "loss": loss.item(),
        "grads": {n: tjson(g) for n, g in zip(names, grads[:len(names)])},
        "grad_h0": tjson(grads[len(names)]),
        "grad_c0": tjson(grads[len(names) + 1]),
    }


def main():
    os.makedirs(DEFAULT_OUT, exist_ok=True)
    for cfg in CASES:
        path = os.path.join(DEFAULT_OUT, cfg["name"] + ".json")
        size = dump_json(make_case(cfg), path)
        print(f"{path}: {size:,} bytes")


if __name__ == "__main__":
    main()
