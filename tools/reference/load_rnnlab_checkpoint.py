#!/usr/bin/python3
"""Load a model.safetensors written by rnnlab into PyTorch and print its loss: proof of interchange.

    /usr/bin/python3 tools/reference/load_rnnlab_checkpoint.py DIR [--inputs FILE.json]
    /usr/bin/python3 tools/reference/load_rnnlab_checkpoint.py DIR --tokens 3,1,4,1,5,9 \\
        --targets 1,4,1,5,9,2 --batch 2 [--cell rnn_relu]

DIR holds model.safetensors whose tensors use the PyTorch state_dict names of rnn_model.Net
(embedding.weight if any, rnn.weight_ih_l0, ..., linear.weight, linear.bias). The configuration
(cell, vocab, embed, hidden, layers, bidirectional) is read from the tensor names and shapes; a
plain RNN's nonlinearity is taken from --cell, else from the header's __metadata__ "cell", else
tanh. Tensors outside embedding./rnn./linear. (e.g. optimizer state) are listed and ignored; the
model tensors are loaded with load_state_dict(strict=True), so a missing, extra or misshapen model
tensor is an error. The model runs in the checkpoint's floating-point dtype (or --dtype).

Inputs: --inputs FILE.json in the fixture schema (inputs, targets, config.steps/batch, optional
h0/c0; see README.md), else DIR/expected.json if present, else --tokens/--targets/--batch
(time-major: token t*B+b is step t of sequence b; zero initial state). If the inputs file has a
"loss" (and "logits"), the result is compared with it and the exit status is 1 on a mismatch.
"""

import argparse
import json
import os
import sys

import torch

sys.dont_write_bytecode = True          # keep tools/reference free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rnn_model import CELLS, Net, config_from_state_dict, loss_fn  # noqa: E402
from safetensors_io import read_safetensors  # noqa: E402

MODEL_PREFIXES = ("embedding.", "rnn.", "linear.")


def parse_ints(s):
    return [int(v) for v in s.replace(" ", ",").split(",") if v != ""]


def main():
    ap = argparse.ArgumentParser(description="Load an rnnlab model.safetensors into PyTorch and print the loss.")
    ap.add_argument("dir", help="directory holding model.safetensors")
    ap.add_argument("--inputs", help="JSON file in the fixture schema (default: DIR/expected.json if present)")
    ap.add_argument("--tokens", help="comma-separated input token ids, time-major")
    ap.add_argument("--targets", help="comma-separated target token ids, time-major")
    ap.add_argument("--batch", type=int, default=1, help="batch size B for --tokens (default 1)")
    ap.add_argument("--cell", choices=CELLS, help="cell kind (needed only to tell rnn_relu from rnn_tanh)")
    ap.add_argument("--dtype", choices=("float32", "float64"), help="run in this dtype instead of the checkpoint's")
    args = ap.parse_args()

    path = os.path.join(args.dir, "model.safetensors")
    tensors, metadata = read_safetensors(path)
    model_sd = {k: v for k, v in tensors.items() if k.startswith(MODEL_PREFIXES)}
    ignored = sorted(set(tensors) - set(model_sd))
    cell_hint = args.cell or metadata.get("cell")
    if metadata.get("cell") == "lstm_ln":
        # torch.nn.LSTM has no layer normalisation; the LSTM tensors load, but the ln.* gains would be lost
        sys.exit("a layer-normalised LSTM (lstm_ln) has no torch.nn counterpart: its rnn.* tensors are torch.nn.LSTM's,"
                 " its ln.* tensors the normalisations' gains and shifts (bench/peer_torch_awd.py --cell layernorm runs it)")
    cfg = config_from_state_dict(model_sd, cell_hint)
    float_dtypes = {v.dtype for v in model_sd.values() if v.is_floating_point()}
    if args.dtype:
        dtype = getattr(torch, args.dtype)
    elif len(float_dtypes) == 1:
        dtype = float_dtypes.pop()
    else:
        dtype = torch.float64 if torch.float64 in float_dtypes else torch.float32

    net = Net(cfg["cell"], cfg["vocab"], cfg["embed"], cfg["hidden"], cfg["layers"], cfg["bidirectional"]).to(dtype)
    net.load_state_dict({k: v.to(dtype) for k, v in model_sd.items()}, strict=True)
    net.eval()

    print(f"checkpoint: {path}")
    print(f"  tensors: {len(model_sd)} model" + (f", ignored: {', '.join(ignored)}" if ignored else "")
          + (f"; metadata: {json.dumps(metadata)}" if metadata else ""))
    print(f"  config: {json.dumps(cfg)}; dtype {str(dtype).replace('torch.', '')}")

    ref = None
    inputs_path = args.inputs
    if inputs_path is None and args.tokens is None and os.path.exists(os.path.join(args.dir, "expected.json")):
        inputs_path = os.path.join(args.dir, "expected.json")
    h0 = c0 = None
    if inputs_path:
        with open(inputs_path, encoding="utf-8") as f:
            ref = json.load(f)
        T, B = ref["config"]["steps"], ref["config"]["batch"]
        x = torch.tensor(ref["inputs"], dtype=torch.int64).reshape(T, B)
        y = torch.tensor(ref["targets"], dtype=torch.int64).reshape(T, B)
        if "h0" in ref:
            h0 = torch.tensor(ref["h0"]["data"], dtype=dtype).reshape(ref["h0"]["shape"])
        if "c0" in ref:
            c0 = torch.tensor(ref["c0"]["data"], dtype=dtype).reshape(ref["c0"]["shape"])
        print(f"  inputs: {inputs_path} (T={T}, B={B})")
    elif args.tokens and args.targets:
        xs, ys = parse_ints(args.tokens), parse_ints(args.targets)
        if len(xs) != len(ys) or len(xs) % args.batch:
            sys.exit("--tokens and --targets need the same length, a multiple of --batch")
        x = torch.tensor(xs, dtype=torch.int64).reshape(-1, args.batch)
        y = torch.tensor(ys, dtype=torch.int64).reshape(-1, args.batch)
        print(f"  inputs: --tokens (T={x.shape[0]}, B={args.batch}), zero initial state")
    else:
        sys.exit("no inputs: give --inputs FILE.json, or --tokens and --targets, or put expected.json in DIR")
    if int(x.max()) >= cfg["vocab"] or int(y.max()) >= cfg["vocab"] or int(x.min()) < 0 or int(y.min()) < 0:
        sys.exit(f"token ids must lie in [0, {cfg['vocab']})")
    if cfg["cell"] == "lstm" and (h0 is None) != (c0 is None):
        sys.exit("an LSTM needs both h0 and c0, or neither")

    with torch.no_grad():
        _, logits, _, _ = net(x, h0, c0)
        loss = loss_fn(logits, y).item()
    print(f"loss: {loss!r}  (perplexity {torch.tensor(loss).exp().item():.6g})")

    if ref is not None and "loss" in ref:
        tol = 1e-5 if dtype == torch.float32 else 1e-10
        diff = abs(loss - ref["loss"])
        ok = diff <= tol * max(1.0, abs(ref["loss"]))
        line = f"expected loss: {ref['loss']!r}  |diff| = {diff:.3g}"
        if "logits" in ref:
            exp_logits = torch.tensor(ref["logits"]["data"], dtype=torch.float64).reshape(ref["logits"]["shape"])
            ldiff = (logits.double() - exp_logits).abs().max().item()
            ok = ok and ldiff <= tol * max(1.0, exp_logits.abs().max().item())
            line += f"; max |logit diff| = {ldiff:.3g}"
        print(line + ("  OK" if ok else "  MISMATCH"))
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
