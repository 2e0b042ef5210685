#!/usr/bin/python3
"""The PyTorch peer for rnnlab's learning-quality comparison (docs/RESULTS.md): a character-level LSTM
language model trained for a wall-clock budget with the AWD-LSTM regularisers that rnnlab's `train` offers,
each written with PyTorch's own operations, so that both sides run the same recipe:

  --embed E                embedding of size E instead of one-hot input
  --embedding-dropout P    whole rows of the embedding dropped per batch, kept rows scaled by 1/(1-P)
  --input-dropout P        locked dropout (one mask per stream and feature, all steps) on the embedded input
  --hidden-dropout P       locked dropout between stacked layers
  --output-dropout P       locked dropout on the top layer's output
  --weight-drop P          DropConnect on every W_hh, one mask per batch (F.dropout on the raw weight)
  --ar ALPHA, --tar BETA   AR: ALPHA mean((dropped top output)^2); TAR: BETA mean((h_t - h_(t-1))^2), t in the batch
  --tie-weights            the output layer's weight is the embedding's
  --schedule cosine        the learning rate follows a cosine from --lr to 0 over the budget's time
  --average-last F         the weights are averaged over the last fraction F of the budget (torch.optim.swa_utils)
  --cell loop|layernorm    instead of torch.nn.LSTM, a cell whose time loop runs in Python: "loop" with
                           torch.nn.LSTM's equations, "layernorm" the layer-normalised LSTM of Ba, Kiros and
                           Hinton (2016, eqs. 20-22); compared with each other, they tell what layer
                           normalisation does at a size with the loop's overhead on both sides

`--check-weight-drop` checks the weight drop against torch.nn.LSTM holding the dropped matrix, and exits.

Everything else is as ../shared/bench/peer_torch.py trains (D2L's sequential partitioning with the state
carried and detached, mean cross-entropy, global-norm clipping, Adam), one layer per torch.nn.LSTM so the
dropouts can sit between layers. Validation (not counted in the budget) runs every --valid-every seconds of
training and at the end; the last line printed is one JSON object with the curve.

  peer_torch_awd.py --text tinyshakespeare.txt --hidden 256 --layers 2 --seconds 600 --threads 1 --blas-threads 1
"""
import argparse, collections, ctypes, json, math, os, sys, time

import torch
import torch.nn.functional as F


def load_corpus(path):
    """Raw characters (char-rnn); indices as D2L's Vocab: 0 is <unk>, then by descending frequency."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    by_frequency = sorted(collections.Counter(text).items(), key=lambda kv: kv[1], reverse=True)
    index = {c: i + 1 for i, (c, _) in enumerate(by_frequency)}
    return torch.tensor([index[c] for c in text], dtype=torch.long), len(index) + 1


def sequential_batches(corpus, batch, steps):
    usable = ((len(corpus) - 1) // batch) * batch
    xs, ys = corpus[:usable].reshape(batch, -1), corpus[1:usable + 1].reshape(batch, -1)
    while True:
        for i in range(0, xs.shape[1] - steps + 1, steps):
            yield xs[:, i:i + steps].T, ys[:, i:i + steps].T  # (steps, batch)


class LoopLstm(torch.nn.Module):
    """One LSTM layer whose time loop runs in Python, parameters named as torch.nn.LSTM's; w_hh, when given,
    is used in place of W_hh (weight drop). layer_norm: Ba et al. 2016, eqs. 20-22,
        gates = LN(W_hh h_(t-1); a_h, b_hh) + LN(W_ih x_t; a_x, b_ih)      (each over the 4H gates of a row)
        c_t = sigmoid(f) c_(t-1) + sigmoid(i) tanh(g),    h_t = sigmoid(o) tanh(LN(c_t; a_c, b_c))
    with the biases of torch.nn.LSTM as the two shifts; without it torch.nn.LSTM's equations."""

    def __init__(self, inputs, hidden, layer_norm):
        super().__init__()
        k = 1 / math.sqrt(hidden)
        u = lambda *shape: torch.nn.Parameter(torch.empty(*shape).uniform_(-k, k))
        self.weight_ih_l0, self.weight_hh_l0 = u(4 * hidden, inputs), u(4 * hidden, hidden)
        self.bias_ih_l0, self.bias_hh_l0 = u(4 * hidden), u(4 * hidden)
        self.hidden, self.layer_norm = hidden, layer_norm
        if layer_norm:
            self.ln_gain_ih, self.ln_gain_hh = torch.nn.Parameter(torch.ones(4 * hidden)), torch.nn.Parameter(torch.ones(4 * hidden))
            self.ln_gain_c, self.ln_bias_c = torch.nn.Parameter(torch.ones(hidden)), torch.nn.Parameter(torch.zeros(hidden))

    def forward(self, x, state, w_hh=None):
        H, G = self.hidden, 4 * self.hidden
        w_hh = self.weight_hh_l0 if w_hh is None else w_hh
        if state is None:
            zero = x.new_zeros(x.shape[1], H)
            state = (zero[None], zero[None])
        h, c = state[0][0], state[1][0]
        xs = F.linear(x, self.weight_ih_l0)  # every step's input product at once
        if self.layer_norm:
            xs = F.layer_norm(xs, (G,), self.ln_gain_ih, self.bias_ih_l0)
        else:
            xs = xs + self.bias_ih_l0
        outs = []
        for t in range(x.shape[0]):
            r = F.linear(h, w_hh)
            r = F.layer_norm(r, (G,), self.ln_gain_hh, self.bias_hh_l0) if self.layer_norm else r + self.bias_hh_l0
            i, f, g, o = (xs[t] + r).chunk(4, 1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(F.layer_norm(c, (H,), self.ln_gain_c, self.ln_bias_c) if self.layer_norm else c)
            outs.append(h)
        return torch.stack(outs), (h[None], c[None])


def lstm_layer(lstm, x, state, w_hh=None):
    """One layer's forward, with w_hh in place of its W_hh when given (weight drop). torch.nn.LSTM's fused
    kernel reads the weights the module cached (_flat_weights), so swapping the module's W_hh with
    torch.nn.utils.stateless.functional_call is silently ignored in PyTorch 1.13 (the output is the undropped
    one); the kernel torch.nn.LSTM itself calls is called here with the weights listed instead."""
    if w_hh is None:
        return lstm(x, state)
    if isinstance(lstm, LoopLstm):
        return lstm(x, state, w_hh)
    if state is None:
        zero = x.new_zeros(1, x.shape[1], lstm.hidden_size)
        state = (zero, zero)
    out, h, c = torch._VF.lstm(x, state, [lstm.weight_ih_l0, w_hh, lstm.bias_ih_l0, lstm.bias_hh_l0],
                               True, 1, 0.0, lstm.training, False, False)
    return out, (h, c)


def locked_mask(like, p):
    """One mask per stream and feature, shared by every time step: shape (1, batch, features)."""
    return like.new_empty(1, like.shape[1], like.shape[2]).bernoulli_(1 - p) / (1 - p)


class AwdModel(torch.nn.Module):
    def __init__(self, args, vocab):
        super().__init__()
        self.args, self.vocab = args, vocab
        self.embed = torch.nn.Embedding(vocab, args.embed) if args.embed else None
        inputs = args.embed or vocab
        def layer(n):
            if args.cell == "fused":
                return torch.nn.LSTM(n, args.hidden, 1)
            return LoopLstm(n, args.hidden, args.cell == "layernorm")
        self.layers = torch.nn.ModuleList(layer(inputs if i == 0 else args.hidden) for i in range(args.layers))
        self.linear = torch.nn.Linear(args.hidden, vocab)
        if args.tie_weights:
            if args.embed != args.hidden:
                raise SystemExit("--tie-weights needs --embed equal to --hidden")
            self.linear.weight = self.embed.weight

    def forward(self, x, state):
        a = self.args
        if self.embed is None:
            e = F.one_hot(x, self.vocab).float()
        elif self.training and a.embedding_dropout > 0:
            rows = self.embed.weight.new_empty(self.vocab, 1).bernoulli_(1 - a.embedding_dropout) / (1 - a.embedding_dropout)
            e = F.embedding(x, self.embed.weight * rows)
        else:
            e = self.embed(x)
        if self.training and a.input_dropout > 0:
            e = e * locked_mask(e, a.input_dropout)
        out, states = e, []
        for i, lstm in enumerate(self.layers):
            s = state[i] if state is not None else None
            dropped = None
            if self.training and a.weight_drop > 0:
                dropped = F.dropout(lstm.weight_hh_l0, a.weight_drop, training=True)
            out, s = lstm_layer(lstm, out, s, dropped)
            states.append(s)
            if self.training and i < len(self.layers) - 1 and a.hidden_dropout > 0:
                out = out * locked_mask(out, a.hidden_dropout)
        top = out
        if self.training and a.output_dropout > 0:
            out = out * locked_mask(out, a.output_dropout)
        return self.linear(out.reshape(-1, out.shape[-1])), states, top, out


def detach(states):
    return None if states is None else [tuple(t.detach() for t in s) for s in states]


def set_threads(torch_threads, blas_threads):
    if torch_threads:
        torch.set_num_threads(torch_threads)
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
    except OSError:
        return
    if blas_threads:
        lib.openblas_set_num_threads(blas_threads)


@torch.no_grad()
def validation_loss(args, model, corpus):
    model.eval()
    batches, state, total, count = sequential_batches(corpus, args.batch, args.steps), None, 0.0, 0
    for _ in range((len(corpus) - 1) // (args.batch * args.steps)):
        X, Y = next(batches)
        logits, state, _, _ = model(X, state)
        total += F.cross_entropy(logits, Y.reshape(-1), reduction="sum").item()
        count += Y.numel()
    model.train()
    return total / count


def check_weight_drop():
    """--check-weight-drop: lstm_layer with a dropped W_hh gives what torch.nn.LSTM gives holding that W_hh,
    dL/dW_hh is the mask times dL/dW', and the Python loop agrees with the fused kernel."""
    torch.manual_seed(0)
    p = 0.2
    fused, x = torch.nn.LSTM(3, 4, 1), torch.randn(5, 2, 3)
    dropped = F.dropout(fused.weight_hh_l0, p, training=True)
    holding = torch.nn.LSTM(3, 4, 1)
    holding.load_state_dict(fused.state_dict())
    with torch.no_grad():
        holding.weight_hh_l0.copy_(dropped)
    out, held = lstm_layer(fused, x, None, dropped)[0], holding(x)[0]
    assert torch.allclose(out, held), "the dropped W_hh is not the one used"
    out.pow(2).sum().backward()
    held.pow(2).sum().backward()
    mask = (dropped.detach() != 0).float() / (1 - p)
    assert torch.allclose(fused.weight_hh_l0.grad, holding.weight_hh_l0.grad * mask, atol=1e-6), "wrong dL/dW_hh"
    loop = LoopLstm(3, 4, False)
    loop.load_state_dict(fused.state_dict())
    assert torch.allclose(lstm_layer(loop, x, None, dropped)[0], out, atol=1e-6), "loop and fused differ"
    print("weight drop: ok")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    if "--check-weight-drop" in sys.argv:
        return check_weight_drop()
    p.add_argument("--text", required=True)
    p.add_argument("--valid", type=float, default=0.1, help="the held-out last fraction of the text")
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--embed", type=int, default=0)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--lr", type=float, default=0.002)
    p.add_argument("--clip", type=float, default=5.0)
    p.add_argument("--weight-decay", type=float, default=0.0, help="AdamW's decoupled weight decay (0: Adam)")
    p.add_argument("--schedule", choices=["constant", "cosine"], default="constant")
    p.add_argument("--embedding-dropout", type=float, default=0.0)
    p.add_argument("--input-dropout", type=float, default=0.0)
    p.add_argument("--hidden-dropout", type=float, default=0.0)
    p.add_argument("--output-dropout", type=float, default=0.0)
    p.add_argument("--weight-drop", type=float, default=0.0)
    p.add_argument("--ar", type=float, default=0.0)
    p.add_argument("--tar", type=float, default=0.0)
    p.add_argument("--tie-weights", action="store_true")
    p.add_argument("--average-last", type=float, default=0.0, help="average the weights over this last fraction of the budget")
    p.add_argument("--cell", choices=["fused", "loop", "layernorm"], default="fused",
                   help="torch.nn.LSTM (fused), or a Python time loop: plain (loop) or layer-normalised (layernorm)")
    p.add_argument("--seconds", type=float, default=600)
    p.add_argument("--valid-every", type=float, default=60, help="seconds of training between validations")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--blas-threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()

    torch.manual_seed(args.seed)
    set_threads(args.threads, args.blas_threads)
    corpus, vocab = load_corpus(args.text)
    cut = int(len(corpus) * (1 - args.valid))
    train_part, held_out = corpus[:cut], corpus[cut:]
    model = AwdModel(args, vocab)
    params = list(model.parameters())  # a tied weight appears once
    opt = (torch.optim.AdamW(params, lr=args.lr, weight_decay=args.weight_decay) if args.weight_decay > 0
           else torch.optim.Adam(params, lr=args.lr))
    averaged = None
    batches, state = sequential_batches(train_part, args.batch, args.steps), None
    trained, steps, tokens, curve, next_valid = 0.0, 0, 0, [], args.valid_every
    while trained < args.seconds:
        start = time.perf_counter()
        if args.schedule == "cosine":
            for g in opt.param_groups:
                g["lr"] = args.lr * 0.5 * (1 + math.cos(math.pi * min(1.0, trained / args.seconds)))
        X, Y = next(batches)
        logits, state, top, dropped = model(X, detach(state))
        loss = F.cross_entropy(logits, Y.reshape(-1))
        total = loss
        if args.ar > 0:
            total = total + args.ar * dropped.pow(2).mean()
        if args.tar > 0 and top.shape[0] > 1:
            total = total + args.tar * (top[1:] - top[:-1]).pow(2).mean()
        opt.zero_grad()
        total.backward()
        torch.nn.utils.clip_grad_norm_(params, args.clip)
        opt.step()
        if args.average_last > 0 and trained >= (1 - args.average_last) * args.seconds:
            if averaged is None:
                averaged = torch.optim.swa_utils.AveragedModel(model)
            else:
                averaged.update_parameters(model)
        steps += 1
        tokens += X.numel()
        trained += time.perf_counter() - start
        if trained >= next_valid or trained >= args.seconds:
            evaluated = averaged.module if averaged is not None else model
            curve.append({"seconds": round(trained, 2), "tokens": tokens, "valid_nats": validation_loss(args, evaluated, held_out)})
            next_valid += args.valid_every
            print(f"{trained:7.1f} s  {tokens:>10,} chars  train {loss.item():.4f}  valid {curve[-1]['valid_nats']:.4f}", flush=True)
    nats = curve[-1]["valid_nats"]
    print(json.dumps({"peer": "pytorch-awd", "torch": torch.__version__, "valid_nats": round(nats, 4),
                      "valid_bpc": round(nats / math.log(2), 4), "tokens_trained": tokens, "seconds": round(trained, 2),
                      "tokens_per_s": round(tokens / trained, 1), "steps": steps, "vocab": vocab,
                      "args": {k: v for k, v in vars(args).items() if k != "text"}, "curve": curve}))


if __name__ == "__main__":
    main()
