#!/usr/bin/python3
"""Generate the PyTorch reference fixtures the rnnlab Java tests compare against.

Run with Debian's python (python3-torch, python3-numpy):

    /usr/bin/python3 tools/reference/make_fixtures.py [--out DIR] [--only CASE...]

For every case below it builds the model of rnn_model.py (embedding or one-hot -> RNN/GRU/LSTM ->
linear -> mean cross-entropy) with PyTorch's default initialisation, converts it to float64,
runs it on random tokens with a random initial state, and writes one JSON file holding the
configuration, inputs, every parameter, the outputs, the final state, the loss and the gradient of
the loss with respect to every parameter and to the initial state. The schema is documented in
README.md beside this script.

Before anything is written the script checks its own results:
  * torch.autograd.gradcheck of the loss against all parameters and the initial state, on
    several cases (one per cell kind plus deep/bidirectional/embedding ones);
  * an independent, from-the-equations implementation of each cell (reference_forward below,
    the same equations as README.md) must reproduce PyTorch's outputs, final states, loss and
    (through autograd) gradients to ~1e-12, on every case;
  * the pre-activations of the nonlinearities must be neither saturated nor tiny.

Finally it writes a float32 checkpoint fixture (checkpoint_lstm_l1/model.safetensors and
expected.json) with a small safetensors writer of its own (Debian has no python3-safetensors).

Everything is deterministic: each case seeds torch with a CRC of its name, and torch runs on one
thread, so re-running reproduces the files byte for byte (for the same torch build).
"""

import argparse
import copy
import json
import math
import os
import sys
import zlib

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True          # keep tools/reference free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rnn_model import GATES, Net, loss_fn  # noqa: E402
from safetensors_io import read_safetensors, write_safetensors  # noqa: E402

GENERATOR = "tools/reference/make_fixtures.py"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO, "rnnlab-core", "src", "test", "resources", "fixtures", "torch")

# Shape shared by the small cases.
SMALL = dict(vocab=7, embed=0, hidden=6, steps=5, batch=3)


def case(name, cell, layers=1, bidirectional=False, zero_state=False, **overrides):
    cfg = dict(SMALL, cell=cell, layers=layers, bidirectional=bidirectional, tie=False)
    cfg.update(overrides)
    return dict(name=name, config=cfg, zero_state=zero_state)


CASES = [
    case("rnn_tanh_l1", "rnn_tanh"),
    case("rnn_relu_l1", "rnn_relu"),
    case("rnn_tanh_l2", "rnn_tanh", layers=2),
    case("rnn_tanh_bi", "rnn_tanh", bidirectional=True),
    case("rnn_tanh_l2_bi", "rnn_tanh", layers=2, bidirectional=True),
    case("gru_l1", "gru"),
    case("gru_l2", "gru", layers=2),
    case("gru_bi", "gru", bidirectional=True),
    case("gru_l2_bi", "gru", layers=2, bidirectional=True),
    case("lstm_l1", "lstm"),
    case("lstm_l2", "lstm", layers=2),
    case("lstm_bi", "lstm", bidirectional=True),
    case("lstm_l2_bi", "lstm", layers=2, bidirectional=True),
    case("lstm_embed_l1", "lstm", embed=5),
    case("gru_embed_l2", "gru", layers=2, embed=5),
    # Initial state not passed to PyTorch (its default zero state); gradients are still reported
    # with respect to explicit zero tensors.
    case("lstm_l1_noinit", "lstm", zero_state=True),
    # The D2L chapter-8 shape, scaled down.
    case("lstm_v28_h16", "lstm", vocab=28, hidden=16, steps=35, batch=4),
    # Weight tying: linear.weight is embedding.weight; its gradient is the sum of both uses.
    case("lstm_embed_tied", "lstm", embed=6, tie=True),
    case("gru_l2_bi_tied", "gru", layers=2, bidirectional=True, embed=12, tie=True),
]

# Cases whose gradients are also checked against finite differences with gradcheck.
GRADCHECK_CASES = {"rnn_relu_l1", "rnn_tanh_l2_bi", "gru_l2_bi", "lstm_l2_bi", "gru_embed_l2",
                   "lstm_l1_noinit"}

# Pre-activation sanity bounds (see check_activations).
SATURATION = 3.0           # |a| above which tanh'/sigmoid' are < 0.01 / 0.045
MAX_SATURATED_FRACTION = 0.05
MIN_MEAN_ABS, MAX_MEAN_ABS = 0.1, 2.0


def seed_of(name):
    """A stable per-case seed, so adding or reordering cases leaves the other files unchanged."""
    return zlib.crc32(name.encode("utf-8")) & 0x7FFFFFFF


# ----------------------------------------------------------------------------------------------
# Independent implementation of the cells, straight from the equations in README.md.
# Works on any dtype and is differentiable through autograd.
# ----------------------------------------------------------------------------------------------

def reference_forward(params, cfg, x, h0, c0):
    """Returns (outputs (T,B,D*H), logits (T*B,V), hn, cn or None, list of pre-activations).

    params: name -> tensor (state_dict names). h0, c0: (L*D, B, H); c0 None unless LSTM."""
    cell, H, V = cfg["cell"], cfg["hidden"], cfg["vocab"]
    L, D = cfg["layers"], 2 if cfg["bidirectional"] else 1
    T = x.shape[0]
    if cfg["embed"] > 0:
        layer_in = params["embedding.weight"][x]                       # (T, B, E) row lookup
    else:
        layer_in = F.one_hot(x, V).to(params["linear.weight"].dtype)   # (T, B, V)
    pre = []                              # every argument of a tanh / sigmoid / relu
    hn, cn = [], []
    for layer in range(L):
        dir_outputs = []
        for d in range(D):
            sfx = f"_l{layer}" + ("_reverse" if d == 1 else "")
            w_ih, w_hh = params["rnn.weight_ih" + sfx], params["rnn.weight_hh" + sfx]
            b_ih, b_hh = params["rnn.bias_ih" + sfx], params["rnn.bias_hh" + sfx]
            h = h0[layer * D + d]
            c = c0[layer * D + d] if cell == "lstm" else None
            steps = range(T) if d == 0 else range(T - 1, -1, -1)   # reverse direction runs t = T-1..0
            out = [None] * T
            for t in steps:
                gi = layer_in[t] @ w_ih.T + b_ih          # (B, G*H)
                gh = h @ w_hh.T + b_hh                    # (B, G*H)
                if cell == "rnn_tanh":
                    a = gi + gh
                    pre.append(a)
                    h = torch.tanh(a)
                elif cell == "rnn_relu":
                    a = gi + gh
                    pre.append(a)
                    h = torch.relu(a)
                elif cell == "gru":
                    i_r, i_z, i_n = gi.split(H, dim=1)    # gate order r, z, n
                    h_r, h_z, h_n = gh.split(H, dim=1)
                    r = torch.sigmoid(i_r + h_r)
                    z = torch.sigmoid(i_z + h_z)
                    a_n = i_n + r * h_n
                    n = torch.tanh(a_n)
                    pre += [i_r + h_r, i_z + h_z, a_n]
                    h = (1 - z) * n + z * h
                else:                                     # lstm, gate order i, f, g, o
                    a = gi + gh
                    a_i, a_f, a_g, a_o = a.split(H, dim=1)
                    i_g, f_g = torch.sigmoid(a_i), torch.sigmoid(a_f)
                    g_g, o_g = torch.tanh(a_g), torch.sigmoid(a_o)
                    c = f_g * c + i_g * g_g
                    h = o_g * torch.tanh(c)
                    pre += [a_i, a_f, a_g, a_o, c]
                out[t] = h
            dir_outputs.append(torch.stack(out))          # (T, B, H)
            hn.append(h)
            if cell == "lstm":
                cn.append(c)
        layer_in = torch.cat(dir_outputs, dim=2)          # (T, B, D*H): forward then reverse
    outputs = layer_in
    logits = (outputs @ params["linear.weight"].T + params["linear.bias"]).reshape(-1, V)
    return outputs, logits, torch.stack(hn), (torch.stack(cn) if cell == "lstm" else None), pre


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------

def tjson(t):
    """A tensor as {"shape": [...], "data": [row-major floats]}; floats are Python floats, which
    json writes with repr(), i.e. the shortest text that reads back to the same double."""
    t = t.detach()
    data = t.reshape(-1).tolist()
    if t.is_floating_point():
        bad = [v for v in data if not math.isfinite(v)]
        if bad:
            raise ValueError(f"non-finite value in tensor: {bad[:3]}")
    return {"shape": list(t.shape), "data": data}


def dump_json(obj, path):
    """Write JSON with one line per top-level key and per entry of params/grads; arrays compact."""
    def compact(v):
        return json.dumps(v, separators=(",", ":"), allow_nan=False)
    lines = []
    items = list(obj.items())
    for i, (k, v) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if isinstance(v, dict) and v and all(isinstance(e, dict) for e in v.values()):
            inner = [f"    {json.dumps(ik)}: {compact(iv)}" for ik, iv in v.items()]
            lines.append(f"  {json.dumps(k)}: {{\n" + ",\n".join(inner) + f"\n  }}{comma}")
        else:
            lines.append(f"  {json.dumps(k)}: {compact(v)}{comma}")
    text = "{\n" + "\n".join(lines) + "\n}\n"
    json.loads(text)  # must be valid JSON
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return len(text.encode("utf-8"))


def functional_net(net):
    """A copy of `net` whose parameters are replaced by plain attributes, plus a function that
    sets them. (torch.nn.utils.stateless.functional_call does not reach nn.RNN's flat weights in
    torch 1.13, so gradcheck goes through this instead.) nn.RNNBase.__setattr__ keeps its flat
    weight list in step with attribute assignment."""
    clone = copy.deepcopy(net)
    names = [n for n, _ in clone.named_parameters()]
    slots = []
    for n in names:
        mod_path, leaf = n.rsplit(".", 1)
        mod = clone.get_submodule(mod_path)
        del mod._parameters[leaf]
        slots.append((mod, leaf))

    def set_params(tensors):
        for (mod, leaf), t in zip(slots, tensors):
            setattr(mod, leaf, t)
    return clone, names, set_params


def max_abs_diff(a, b):
    return (a.detach() - b.detach()).abs().max().item()


def rel_diff(a, b):
    return max_abs_diff(a, b) / max(1e-300, b.detach().abs().max().item())


def check_activations(name, cell, pre):
    """Make sure the fixture exercises the nonlinearities in a useful range."""
    a = torch.cat([p.detach().reshape(-1) for p in pre]).abs()
    mean_abs = a.mean().item()
    saturated = (a > SATURATION).double().mean().item()
    if not (MIN_MEAN_ABS <= mean_abs <= MAX_MEAN_ABS) or saturated > MAX_SATURATED_FRACTION:
        raise AssertionError(f"{name}: pre-activations out of range: mean |a| = {mean_abs:.3f}, "
                             f"{saturated:.1%} beyond {SATURATION}")
    stats = dict(mean_abs_pre=mean_abs, saturated=saturated, min_abs_pre=a.min().item())
    if cell == "rnn_relu":
        stats["relu_zero"] = (torch.cat([p.detach().reshape(-1) for p in pre]) <= 0).double().mean().item()
        if not 0.1 <= stats["relu_zero"] <= 0.9:
            raise AssertionError(f"{name}: relu units {stats['relu_zero']:.0%} off")
    return stats


# ----------------------------------------------------------------------------------------------
# Cases
# ----------------------------------------------------------------------------------------------

def build(cfg, dtype):
    net = Net(cfg["cell"], cfg["vocab"], cfg["embed"], cfg["hidden"], cfg["layers"], cfg["bidirectional"], cfg.get("tie", False))
    return net.to(dtype)


def random_data(cfg, dtype, zero_state=False):
    T, B, V, H = cfg["steps"], cfg["batch"], cfg["vocab"], cfg["hidden"]
    LD = cfg["layers"] * (2 if cfg["bidirectional"] else 1)
    x = torch.randint(0, V, (T, B))
    y = torch.randint(0, V, (T, B))
    if zero_state:
        h0 = torch.zeros(LD, B, H, dtype=dtype)
        c0 = torch.zeros(LD, B, H, dtype=dtype) if cfg["cell"] == "lstm" else None
    else:
        h0 = torch.randn(LD, B, H, dtype=dtype) * 0.5
        c0 = torch.randn(LD, B, H, dtype=dtype) * 0.5 if cfg["cell"] == "lstm" else None
    return x, y, h0, c0


def make_case(spec, do_gradcheck):
    name, cfg = spec["name"], spec["config"]
    torch.manual_seed(seed_of(name))
    net = build(cfg, torch.float32).double()         # PyTorch default init, then float64
    x, y, h0, c0 = random_data(cfg, torch.float64, spec["zero_state"])
    is_lstm = cfg["cell"] == "lstm"
    h0.requires_grad_(True)
    if is_lstm:
        c0.requires_grad_(True)

    params = list(net.parameters())
    names = [n for n, _ in net.named_parameters()]     # a tied tensor once, under its first name
    tied = {"linear.weight": "embedding.weight"} if cfg["tie"] else {}
    assert names == [k for k in net.state_dict().keys() if k not in tied], "every state_dict entry must be a parameter"

    outputs, logits, hn, cn = net(x, h0, c0)
    loss = loss_fn(logits, y)
    state = [h0] + ([c0] if is_lstm else [])
    grads = torch.autograd.grad(loss, params + state)
    g_params, g_state = grads[:len(params)], grads[len(params):]

    # PyTorch's own default (zero) state must give the same results as the explicit zeros.
    if spec["zero_state"]:
        out2, logits2, hn2, cn2 = net(x)
        assert torch.equal(out2, outputs) and torch.equal(logits2, logits) and torch.equal(hn2, hn)
        assert not is_lstm or torch.equal(cn2, cn)

    # Independent implementation of the equations: forward and (autograd) gradients.
    ref_params = {n: p.detach().clone().requires_grad_(True) for n, p in zip(names, params)}
    leaves = list(ref_params.values())
    for alias, of in tied.items():
        ref_params[alias] = ref_params[of]            # the same leaf: autograd sums both uses
    ref_state = [s.detach().clone().requires_grad_(True) for s in state]
    r_out, r_logits, r_hn, r_cn, pre = reference_forward(ref_params, cfg, x, ref_state[0],
                                                         ref_state[1] if is_lstm else None)
    r_loss = loss_fn(r_logits, y)
    r_grads = torch.autograd.grad(r_loss, leaves + ref_state)
    worst = max([rel_diff(r_out, outputs), rel_diff(r_logits, logits), rel_diff(r_hn, hn),
                 abs(r_loss.item() - loss.item()) / abs(loss.item())]
                + ([rel_diff(r_cn, cn)] if is_lstm else [])
                + [rel_diff(rg, g) for rg, g in zip(r_grads, grads)])
    if worst > 1e-10:
        raise AssertionError(f"{name}: reference implementation differs from torch by {worst:.3e}")
    stats = check_activations(name, cfg["cell"], pre)
    if min(g.abs().max().item() for g in grads) == 0.0:
        raise AssertionError(f"{name}: some gradient is identically zero")

    if do_gradcheck:
        clone, _, set_params = functional_net(net)

        def f(*ts):
            set_params(ts[:len(params)])
            st = ts[len(params):]
            _, lg, _, _ = clone(x, st[0], st[1] if is_lstm else None)
            return loss_fn(lg, y)
        inputs = tuple(p.detach().clone().requires_grad_(True) for p in params) + \
            tuple(s.detach().clone().requires_grad_(True) for s in state)
        assert abs(f(*inputs).item() - loss.item()) <= 1e-14 * abs(loss.item())
        torch.autograd.gradcheck(f, inputs, eps=1e-6, atol=1e-8, rtol=1e-5, raise_exception=True)
        stats["gradcheck"] = True

    doc = {
        "generator": GENERATOR,
        "torch_version": torch.__version__,
        "case": name,
        "dtype": "float64",
        "config": {k: cfg[k] for k in ("cell", "vocab", "embed", "hidden", "layers",
                                       "bidirectional", "steps", "batch")} | ({"tie": True} if tied else {}),
        "inputs": x.reshape(-1).tolist(),
        "targets": y.reshape(-1).tolist(),
        "h0": tjson(h0),
    }
    if is_lstm:
        doc["c0"] = tjson(c0)
    doc["params"] = {n: tjson(p) for n, p in zip(names, params)}
    for alias, of in tied.items():                    # both names, as the state_dict (and rnnlab) hold them
        doc["params"][alias] = doc["params"][of]
    doc["outputs"] = tjson(outputs)
    doc["logits"] = tjson(logits)
    doc["hn"] = tjson(hn)
    if is_lstm:
        doc["cn"] = tjson(cn)
    doc["loss"] = loss.item()
    doc["grads"] = {n: tjson(g) for n, g in zip(names, g_params)}
    for alias, of in tied.items():                    # one tensor, one gradient: the sum over both uses
        doc["grads"][alias] = doc["grads"][of]
    doc["grad_h0"] = tjson(g_state[0])
    if is_lstm:
        doc["grad_c0"] = tjson(g_state[1])
    stats["ref_diff"] = worst
    return doc, stats


def make_checkpoint(out_dir):
    """float32 one-hot LSTM (V=7, H=6, 1 layer) + linear: model.safetensors and expected.json."""
    name = "checkpoint_lstm_l1"
    cfg = dict(SMALL, cell="lstm", layers=1, bidirectional=False)
    torch.manual_seed(seed_of(name))
    net = build(cfg, torch.float32)
    x, y, h0, c0 = random_data(cfg, torch.float32)
    with torch.no_grad():
        outputs, logits, hn, cn = net(x, h0, c0)
        loss = loss_fn(logits, y)
    sd = net.state_dict()
    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    st_path = os.path.join(d, "model.safetensors")
    # Written by safetensors_io.write_safetensors: the format of safetensors.torch.save_file
    # (Debian has no python3-safetensors); metadata "format": "pt" as save_file writes.
    write_safetensors(st_path, sd, metadata={"format": "pt", "generator": GENERATOR,
                                             "cell": cfg["cell"]})
    # Read it back and make sure a fresh module loads it strictly and gives identical results.
    back, meta = read_safetensors(st_path)
    fresh = build(cfg, torch.float32)
    fresh.load_state_dict(back, strict=True)
    with torch.no_grad():
        o2, l2, hn2, cn2 = fresh(x, h0, c0)
    assert torch.equal(o2, outputs) and torch.equal(l2, logits) and torch.equal(hn2, hn)
    assert torch.equal(cn2, cn) and loss_fn(l2, y).item() == loss.item()
    doc = {
        "generator": GENERATOR,
        "torch_version": torch.__version__,
        "case": name,
        "dtype": "float32",
        "config": {k: cfg[k] for k in ("cell", "vocab", "embed", "hidden", "layers",
                                       "bidirectional", "steps", "batch")},
        "inputs": x.reshape(-1).tolist(),
        "targets": y.reshape(-1).tolist(),
        "h0": tjson(h0),
        "c0": tjson(c0),
        "params": {n: tjson(p) for n, p in sd.items()},
        "outputs": tjson(outputs),
        "logits": tjson(logits),
        "hn": tjson(hn),
        "cn": tjson(cn),
        "loss": loss.item(),
    }
    size = dump_json(doc, os.path.join(d, "expected.json"))
    print(f"{name}/expected.json  {size:7d} B  loss={loss.item():.9g}  float32; "
          f"{name}/model.safetensors {os.path.getsize(st_path)} B, {len(sd)} tensors")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    ap.add_argument("--no-gradcheck", action="store_true", help="skip the (slower) gradcheck runs")
    ap.add_argument("--only", nargs="*", metavar="CASE", help="make only these cases (and no checkpoint)")
    args = ap.parse_args()
    torch.set_num_threads(1)                 # fixed reduction order -> reproducible bits
    os.makedirs(args.out, exist_ok=True)
    # Build and verify every case first; write only when all checks passed.
    docs = []
    for spec in CASES:
        if args.only and spec["name"] not in args.only:
            continue
        doc, stats = make_case(spec, spec["name"] in GRADCHECK_CASES and not args.no_gradcheck)
        docs.append((doc, stats))
    for doc, stats in docs:
        size = dump_json(doc, os.path.join(args.out, doc["case"] + ".json"))
        gmax = max(max(abs(v) for v in g["data"]) for g in doc["grads"].values())
        extra = f" relu_zero={stats['relu_zero']:.0%}" if "relu_zero" in stats else ""
        print(f"{doc['case'] + '.json':22s} {size:7d} B  loss={doc['loss']:.12g}  "
              f"max|grad|={gmax:.3g}  mean|pre|={stats['mean_abs_pre']:.3f} "
              f"sat={stats['saturated']:.1%}{extra}  ref_diff={stats['ref_diff']:.1e}"
              + ("  gradcheck=ok" if stats.get("gradcheck") else ""))
    if not args.only:
        make_checkpoint(args.out)


if __name__ == "__main__":
    main()
